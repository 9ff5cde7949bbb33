import type { Kysely } from 'kysely';
import type { Watch, WatchKind } from '../../../core/watch.ts';
import { recordAudit } from '../../../store/repositories/audit.ts';
import { type SourceRecord, getSource, toSource } from '../../../store/repositories/sources.ts';
import { getWatch, toWatch } from '../../../store/repositories/watches.ts';
import type { Database } from '../../../store/schema.ts';
import { withNameConflict } from '../../../store/unique.ts';

/**
 * The few writes the dashboard makes that the repositories do not offer yet (editing a watch or a
 * source, enabling a source). Small and workspace-scoped like the repositories; each writes the
 * audit log. Move them to src/store/repositories when the API grows the same endpoints.
 */

export interface WatchEdit {
  name: string;
  kind: WatchKind;
  query: string;
  exclusions: string[];
  ownedHandles: string[];
  competitorOf: string | null;
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
