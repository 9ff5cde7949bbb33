import type { Kysely } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import { isUuid } from '../ids.ts';
import type { Database, SourceRow } from '../schema.ts';
import { withNameConflict } from '../unique.ts';
import { recordAudit } from './audit.ts';

/** A configured source as the rest of the app sees it (config is the adapter's, secrets included). */
export interface SourceRecord {
  id: string;
  workspaceId: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  watchId: string | null;
  enabled: boolean;
  intervalSeconds: number;
  cursor: unknown;
  health: SourceHealth;
  createdAt: Date;
}

export interface SourceHealth {
  nextPollAt: Date;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: Date | null;
  consecutiveFailures: number;
  lastStats: Record<string, unknown> | null;
}

export function toSource(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    name: row.name,
    config: row.config,
    watchId: row.watch_id,
    enabled: row.enabled,
    intervalSeconds: row.interval_seconds,
    cursor: row.cursor,
    createdAt: row.created_at,
    health: {
      nextPollAt: row.next_poll_at,
      lastPolledAt: row.last_polled_at,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error,
      lastErrorCode: row.last_error_code,
      lastErrorAt: row.last_error_at,
      consecutiveFailures: row.consecutive_failures,
      lastStats: row.last_stats,
    },
  };
}

export interface NewSource {
  type: string;
  name: string;
  config: Record<string, unknown>;
  watchId?: string | null;
  intervalSeconds: number;
  enabled?: boolean;
}

export async function createSource(
  db: Kysely<Database>,
  workspaceId: string,
  input: NewSource,
  actor: string,
  /** The config with secrets masked, for the audit log. */
  auditConfig: Record<string, unknown>,
): Promise<SourceRecord> {
  return withNameConflict('source', input.name, async () => {
    const row = await db
      .insertInto('sources')
      .values({
        workspace_id: workspaceId,
        type: input.type,
        name: input.name,
        config: JSON.stringify(input.config),
        watch_id: input.watchId ?? null,
        enabled: input.enabled ?? true,
        interval_seconds: input.intervalSeconds,
        cursor: null,
        next_poll_at: new Date(),
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'source.create',
      targetType: 'source',
      targetId: row.id,
      details: { type: row.type, name: row.name, config: auditConfig },
    });
    return toSource(row);
  });
}

export async function listSources(db: Kysely<Database>, workspaceId: string): Promise<SourceRecord[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  return rows.map(toSource);
}

export async function getSource(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<SourceRecord> {
  const row = isUuid(id)
    ? await db
        .selectFrom('sources')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Source', id);
  return toSource(row);
}

export async function findSource(
  db: Kysely<Database>,
  workspaceId: string,
  idOrName: string,
): Promise<SourceRecord> {
  const byName = await db
    .selectFrom('sources')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', idOrName)
    .executeTakeFirst();
  if (byName) return toSource(byName);
  return getSource(db, workspaceId, idOrName);
}

/** Enabled sources whose next poll is due, oldest first. */
export async function dueSources(db: Kysely<Database>, now: Date, limit = 20): Promise<SourceRecord[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .where('enabled', '=', true)
    .where('next_poll_at', '<=', now)
    .orderBy('next_poll_at')
    .limit(limit)
    .execute();
  return rows.map(toSource);
}

/** Saves the cursor after a page was stored, so a crash later in the poll resumes from here. */
export async function saveCursor(db: Kysely<Database>, id: string, cursor: unknown): Promise<void> {
  await db
    .updateTable('sources')
    .set({ cursor: JSON.stringify(cursor ?? null), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function recordPollSuccess(
  db: Kysely<Database>,
  id: string,
  at: Date,
  nextPollAt: Date,
  stats: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('sources')
    .set({
      last_polled_at: at,
      last_success_at: at,
      next_poll_at: nextPollAt,
      consecutive_failures: 0,
      last_stats: JSON.stringify(stats),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** Records a failed poll. The last error stays visible until the next success. */
export async function recordPollFailure(
  db: Kysely<Database>,
  id: string,
  at: Date,
  nextPollAt: Date,
  error: { code: string; message: string },
  stats: Record<string, unknown>,
): Promise<void> {
  const current = await db
    .selectFrom('sources')
    .select('consecutive_failures')
    .where('id', '=', id)
    .executeTakeFirst();
  await db
    .updateTable('sources')
    .set({
      last_polled_at: at,
      last_error: error.message.slice(0, 2000),
      last_error_code: error.code,
      last_error_at: at,
      next_poll_at: nextPollAt,
      consecutive_failures: (current?.consecutive_failures ?? 0) + 1,
      last_stats: JSON.stringify(stats),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

export interface SourceEdit {
  name: string;
  config: Record<string, unknown>;
  watchId: string | null;
  intervalSeconds: number;
}

/** Changes a source's name, config, watch and interval; it is polled again soon with the new config. */
export async function updateSource(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  edit: SourceEdit,
  actor: string,
  auditConfig: Record<string, unknown>,
): Promise<SourceRecord> {
  await getSource(db, workspaceId, id);
  return withNameConflict('source', edit.name, async () => {
    const row = await db
      .updateTable('sources')
      .set({
        name: edit.name,
        config: JSON.stringify(edit.config),
        watch_id: edit.watchId,
        interval_seconds: edit.intervalSeconds,
        next_poll_at: new Date(),
        updated_at: new Date(),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'source.update',
      targetType: 'source',
      targetId: id,
      details: { name: row.name, config: auditConfig, intervalSeconds: row.interval_seconds },
    });
    return toSource(row);
  });
}

/** Enables or pauses a source; an enabled one is due at once. */
export async function setSourceEnabled(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  enabled: boolean,
  actor: string,
): Promise<SourceRecord> {
  const current = await getSource(db, workspaceId, id);
  if (current.enabled === enabled) return current;
  const row = await db
    .updateTable('sources')
    .set({ enabled, updated_at: new Date(), ...(enabled ? { next_poll_at: new Date() } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    workspaceId,
    actor,
    action: enabled ? 'source.enable' : 'source.disable',
    targetType: 'source',
    targetId: id,
    details: { name: row.name },
  });
  return toSource(row);
}
