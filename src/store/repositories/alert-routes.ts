import type { Kysely, Transaction } from 'kysely';
import type { Severity } from '../../core/detection.ts';
import { NotFoundError } from '../../core/errors.ts';
import { isUuid } from '../ids.ts';
import type { AlertRouteRow, Database } from '../schema.ts';
import { withNameConflict } from '../unique.ts';
import { recordAudit } from './audit.ts';

/** A route as the rest of the app sees it. `config` holds secrets: only src/alert reads it. */
export interface AlertRoute {
  id: string;
  workspaceId: string;
  watchId: string | null;
  name: string;
  type: 'slack' | 'webhook';
  config: { url: string; secret?: string };
  kinds: string[];
  minSeverity: Severity;
  cooldownSeconds: number;
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  digest: 'off' | 'daily' | 'weekly';
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toRoute(row: AlertRouteRow): AlertRoute {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    watchId: row.watch_id,
    name: row.name,
    type: row.type,
    config: row.config,
    kinds: row.kinds,
    minSeverity: row.min_severity,
    cooldownSeconds: row.cooldown_seconds,
    quietHours: row.quiet_hours,
    timeZone: row.time_zone,
    digest: row.digest,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface RouteInput {
  name: string;
  type: 'slack' | 'webhook';
  config: { url: string; secret?: string };
  watchId?: string | null;
  kinds?: string[];
  minSeverity?: Severity;
  cooldownSeconds?: number;
  quietHours?: { start: string; end: string } | null;
  timeZone?: string;
  digest?: 'off' | 'daily' | 'weekly';
  enabled?: boolean;
}

type Db = Kysely<Database> | Transaction<Database>;

/** What the audit log may say about a route: never its URL or secret. */
function auditView(r: AlertRoute): Record<string, unknown> {
  return {
    name: r.name,
    type: r.type,
    watchId: r.watchId,
    kinds: r.kinds,
    minSeverity: r.minSeverity,
    cooldownSeconds: r.cooldownSeconds,
    quietHours: r.quietHours,
    timeZone: r.timeZone,
    digest: r.digest,
    enabled: r.enabled,
  };
}

export async function createRoute(
  db: Kysely<Database>,
  workspaceId: string,
  input: RouteInput,
  actor: string,
): Promise<AlertRoute> {
  return withNameConflict('route', input.name, async () => {
    const row = await db
      .insertInto('alert_routes')
      .values({
        workspace_id: workspaceId,
        watch_id: input.watchId ?? null,
        name: input.name,
        type: input.type,
        config: JSON.stringify(input.config),
        kinds: JSON.stringify(input.kinds ?? []),
        min_severity: input.minSeverity ?? 'warning',
        cooldown_seconds: input.cooldownSeconds ?? 600,
        quiet_hours: input.quietHours ? JSON.stringify(input.quietHours) : null,
        time_zone: input.timeZone ?? 'UTC',
        digest: input.digest ?? 'off',
        enabled: input.enabled ?? true,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const route = toRoute(row);
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'route.create',
      targetType: 'alert_route',
      targetId: route.id,
      details: auditView(route),
    });
    return route;
  });
}

export async function updateRoute(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Partial<RouteInput>,
  actor: string,
): Promise<AlertRoute> {
  const current = await getRoute(db, workspaceId, id);
  const name = patch.name ?? current.name;
  return withNameConflict('route', name, async () => {
    const row = await db
      .updateTable('alert_routes')
      .set({
        name,
        ...(patch.type !== undefined ? { type: patch.type } : {}),
        ...(patch.config !== undefined ? { config: JSON.stringify(patch.config) } : {}),
        ...(patch.watchId !== undefined ? { watch_id: patch.watchId } : {}),
        ...(patch.kinds !== undefined ? { kinds: JSON.stringify(patch.kinds) } : {}),
        ...(patch.minSeverity !== undefined ? { min_severity: patch.minSeverity } : {}),
        ...(patch.cooldownSeconds !== undefined ? { cooldown_seconds: patch.cooldownSeconds } : {}),
        ...(patch.quietHours !== undefined
          ? { quiet_hours: patch.quietHours ? JSON.stringify(patch.quietHours) : null }
          : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.digest !== undefined ? { digest: patch.digest } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        updated_at: new Date(),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const route = toRoute(row);
    await recordAudit(db, {
      workspaceId,
      actor,
      action: 'route.update',
      targetType: 'alert_route',
      targetId: route.id,
      details: { ...auditView(route), configChanged: patch.config !== undefined },
    });
    return route;
  });
}

export async function deleteRoute(db: Kysely<Database>, workspaceId: string, id: string, actor: string) {
  const route = await getRoute(db, workspaceId, id);
  await db.transaction().execute(async (trx) => {
    // Pending deliveries to a deleted route can never be sent: they are closed as dead, not lost silently.
    await trx
      .updateTable('deliveries')
      .set({ state: 'dead', dead_at: new Date(), last_error: 'route deleted', lease_until: null })
      .where('route_id', '=', route.id)
      .where('state', 'in', ['pending', 'sending'])
      .execute();
    await trx.deleteFrom('alert_routes').where('id', '=', route.id).execute();
    await recordAudit(trx, {
      workspaceId,
      actor,
      action: 'route.delete',
      targetType: 'alert_route',
      targetId: route.id,
      details: auditView(route),
    });
  });
}

export async function listRoutes(db: Db, workspaceId: string): Promise<AlertRoute[]> {
  const rows = await db
    .selectFrom('alert_routes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  return rows.map(toRoute);
}

export async function getRoute(db: Db, workspaceId: string, id: string): Promise<AlertRoute> {
  const row = isUuid(id)
    ? await db
        .selectFrom('alert_routes')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Route', id);
  return toRoute(row);
}

/** By id or name (the CLI accepts either). */
export async function findRoute(db: Db, workspaceId: string, idOrName: string): Promise<AlertRoute> {
  const byName = await db
    .selectFrom('alert_routes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', idOrName)
    .executeTakeFirst();
  if (byName) return toRoute(byName);
  return getRoute(db, workspaceId, idOrName);
}

/** Any route by id regardless of workspace (the delivery worker resolves a delivery's route). */
export async function routeById(db: Db, id: string): Promise<AlertRoute | undefined> {
  const row = await db.selectFrom('alert_routes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRoute(row) : undefined;
}

/** Enabled routes that could take alerts of a watch (kind and severity are checked by the caller). */
export async function routesForWatch(
  db: Db,
  workspaceId: string,
  watchId: string | null,
): Promise<AlertRoute[]> {
  let q = db
    .selectFrom('alert_routes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('enabled', '=', true);
  q = watchId
    ? q.where((eb) => eb.or([eb('watch_id', 'is', null), eb('watch_id', '=', watchId)]))
    : q.where('watch_id', 'is', null);
  return (await q.orderBy('created_at').execute()).map(toRoute);
}

/** Enabled routes with a digest (any workspace), for the digest scheduler. */
export async function digestRoutes(db: Db): Promise<AlertRoute[]> {
  const rows = await db
    .selectFrom('alert_routes')
    .selectAll()
    .where('enabled', '=', true)
    .where('digest', '<>', 'off')
    .execute();
  return rows.map(toRoute);
}
