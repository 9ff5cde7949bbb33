import type { Kysely } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import type { Watch, WatchKind } from '../../core/watch.ts';
import { isUuid } from '../ids.ts';
import type { Database, WatchRow } from '../schema.ts';
import { withNameConflict } from '../unique.ts';
import { recordAudit } from './audit.ts';

export interface NewWatch {
  name: string;
  kind?: WatchKind;
  query: string;
  exclusions?: string[];
  ownedHandles?: string[];
  competitorOf?: string | null;
}

export function toWatch(row: WatchRow): Watch {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    kind: row.kind,
    query: row.query,
    exclusions: row.exclusions,
    ownedHandles: row.owned_handles,
    competitorOf: row.competitor_of,
    createdAt: row.created_at,
  };
}

/** Creates a watch. The caller validates the query first (see src/core/query). */
export async function createWatch(
  db: Kysely<Database>,
  workspaceId: string,
  input: NewWatch,
  actor: string,
): Promise<Watch> {
  if (input.competitorOf) await getWatch(db, workspaceId, input.competitorOf);
  return withNameConflict('watch', input.name, async () => {
    const row = await db
      .insertInto('watches')
      .values({
        workspace_id: workspaceId,
        name: input.name,
        kind: input.kind ?? 'brand',
        query: input.query,
        exclusions: JSON.stringify(input.exclusions ?? []),
        owned_handles: JSON.stringify((input.ownedHandles ?? []).map((h) => h.replace(/^@/, ''))),
        competitor_of: input.competitorOf ?? null,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'watch.create',
      targetType: 'watch',
      targetId: row.id,
      details: { name: row.name, query: row.query },
    });
    return toWatch(row);
  });
}

export async function listWatches(db: Kysely<Database>, workspaceId: string): Promise<Watch[]> {
  const rows = await db
    .selectFrom('watches')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  return rows.map(toWatch);
}

export async function getWatch(db: Kysely<Database>, workspaceId: string, id: string): Promise<Watch> {
  const row = isUuid(id)
    ? await db
        .selectFrom('watches')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Watch', id);
  return toWatch(row);
}

/** Finds a watch by id or by name (the CLI accepts either). */
export async function findWatch(db: Kysely<Database>, workspaceId: string, idOrName: string): Promise<Watch> {
  const byName = await db
    .selectFrom('watches')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', idOrName)
    .executeTakeFirst();
  if (byName) return toWatch(byName);
  return getWatch(db, workspaceId, idOrName);
}
