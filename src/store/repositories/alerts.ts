import { type Kysely, type Transaction, sql } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import { isUuid } from '../ids.ts';
import type { AlertRow, Database } from '../schema.ts';

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** The facts of the latest detection, kept on the alert (`alerts.details`). */
export interface AlertDetails {
  subject: string | null;
  summary: string;
  observed: number;
  expected: number;
  unit: string;
  pValue: number;
  score: number;
  bucketStart: string;
  bucketSeconds: number;
  trend: string | null;
  topMentions: {
    id: string;
    url: string | null;
    text: string;
    authorHandle: string | null;
    sentimentScore: number;
    publishedAt: string;
  }[];
  topTerms: string[];
}

export interface Alert {
  id: string;
  workspaceId: string;
  watchId: string | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  state: AlertState;
  dedupeKey: string;
  title: string;
  details: Partial<AlertDetails>;
  detectionCount: number;
  openedAt: Date;
  updatedAt: Date;
  lastDetectedAt: Date | null;
  lastBucketStart: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export interface AlertEvent {
  id: number;
  action: string;
  actor: string;
  details: Record<string, unknown>;
  at: Date;
}

type Db = Kysely<Database> | Transaction<Database>;

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    watchId: row.watch_id,
    kind: row.kind,
    severity: row.severity,
    state: row.state,
    dedupeKey: row.dedupe_key,
    title: row.title,
    details: row.details as Partial<AlertDetails>,
    detectionCount: row.detection_count,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    lastDetectedAt: row.last_detected_at,
    lastBucketStart: row.last_bucket_start,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

/** One alert; `workspaceId` null means any workspace (Slack actions carry only the alert id). */
export async function getAlert(
  db: Db,
  workspaceId: string | null,
  id: string,
  forUpdate = false,
): Promise<Alert> {
  if (!isUuid(id)) throw new NotFoundError('Alert', id);
  let q = db.selectFrom('alerts').selectAll().where('id', '=', id);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const row = await (forUpdate ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new NotFoundError('Alert', id);
  return toAlert(row);
}

export interface AlertFilter {
  state?: AlertState | undefined;
  watchId?: string | undefined;
  severity?: 'info' | 'warning' | 'critical' | undefined;
  limit?: number | undefined;
  /** Alerts opened before this one (keyset pagination: `${openedAt ISO}|${id}`). */
  cursor?: string | undefined;
}

export async function listAlerts(
  db: Db,
  workspaceId: string,
  filter: AlertFilter = {},
): Promise<{ items: Alert[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  let q = db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.watchId) q = q.where('watch_id', '=', filter.watchId);
  if (filter.severity) q = q.where('severity', '=', filter.severity);
  if (filter.cursor) {
    const [at, id] = filter.cursor.split('|');
    if (at && id && isUuid(id) && !Number.isNaN(Date.parse(at))) {
      q = q.where(sql<boolean>`(opened_at, id) < (${new Date(at)}::timestamptz, ${id}::uuid)`);
    }
  }
  const rows = await q
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toAlert);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? `${last.openedAt.toISOString()}|${last.id}` : null,
  };
}

export async function alertEvents(db: Db, alertId: string): Promise<AlertEvent[]> {
  const rows = await db
    .selectFrom('alert_events')
    .select(['id', 'action', 'actor', 'details', 'at'])
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
  return rows;
}

export async function recordAlertEvent(
  db: Db,
  alert: { id: string; workspaceId: string },
  action: string,
  actor: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insertInto('alert_events')
    .values({
      alert_id: alert.id,
      workspace_id: alert.workspaceId,
      action,
      actor,
      details: JSON.stringify(details),
    })
    .execute();
}
