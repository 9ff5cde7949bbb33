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
  lexicon?: Record<string, number>;
}

/** What editing a watch changes (its lexicon has its own call, setWatchLexicon). */
export type WatchEdit = Pick<
  Watch,
  'name' | 'kind' | 'query' | 'exclusions' | 'ownedHandles' | 'competitorOf'
>;

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
    lexicon: row.lexicon ?? {},
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
        lexicon: JSON.stringify(input.lexicon ?? {}),
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
      details: { name: row.name, query: row.query, lexiconEntries: Object.keys(row.lexicon ?? {}).length },
    });
    return toWatch(row);
  });
}

/** Changes a watch. New mentions are matched with the new query; stored ones keep their matches. */
export async function updateWatch(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  edit: WatchEdit,
  actor: string,
): Promise<Watch> {
  const before = await getWatch(db, workspaceId, id);
  if (edit.competitorOf) await getWatch(db, workspaceId, edit.competitorOf);
  return withNameConflict('watch', edit.name, async () => {
    const row = await db
      .updateTable('watches')
      .set({
        name: edit.name,
        kind: edit.kind,
        query: edit.query,
        exclusions: JSON.stringify(edit.exclusions),
        owned_handles: JSON.stringify(edit.ownedHandles.map((h) => h.replace(/^@/, ''))),
        competitor_of: edit.competitorOf === id ? null : edit.competitorOf,
        updated_at: new Date(),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'watch.update',
      targetType: 'watch',
      targetId: id,
      details: { name: row.name, query: { from: before.query, to: row.query } },
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

/**
 * Replaces a watch's lexicon (the caller validates it). Mentions stored before keep their scores;
 * new and re-fetched ones are scored with it.
 */
export async function setWatchLexicon(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  lexicon: Record<string, number>,
  actor: string,
): Promise<Watch> {
  const row = isUuid(id)
    ? await db
        .updateTable('watches')
        .set({ lexicon: JSON.stringify(lexicon), updated_at: new Date() })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Watch', id);
  await recordAudit(db, {
    workspaceId,
    actor,
    action: 'watch.lexicon',
    targetType: 'watch',
    targetId: row.id,
    details: { entries: Object.keys(lexicon).length },
  });
  return toWatch(row);
}
