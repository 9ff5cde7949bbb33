import type { Kysely, Transaction } from 'kysely';
import type { Detection, Severity } from '../core/detection.ts';
import { TrustwatchError } from '../core/errors.ts';
import type { AlertRoute } from '../store/repositories/alert-routes.ts';
import {
  type Alert,
  type AlertDetails,
  getAlert,
  recordAlertEvent,
  toAlert,
} from '../store/repositories/alerts.ts';
import { recordAudit } from '../store/repositories/audit.ts';
import type { Database } from '../store/schema.ts';
import { isUniqueViolation } from '../store/unique.ts';
import { enqueueAlertChange } from './enqueue.ts';
import { type AlertEventType, alertTitle, sparkline } from './payload.ts';
import { maxSeverity, severityRank } from './severity.ts';

/**
 * Detections become alerts. One live alert per incident (workspace + dedupe key): a new detection
 * updates it instead of paging again; a detection shortly after the alert was resolved reopens it.
 * Every change and its deliveries commit in one transaction (the outbox), so a crash between the two
 * is impossible.
 */
export interface LifecycleOptions {
  now?: () => Date;
  /** Public base URL for links in messages. */
  baseUrl: string;
  /** A detection within this long after an alert was resolved reopens it (default 6 h). */
  reopenWindowMs?: number;
  /** Called after deliveries were committed, so an in-process worker sends them at once. */
  onEnqueued?: () => void;
}

export interface DetectionOutcome {
  opened: number;
  reopened: number;
  updated: number;
  unchanged: number;
  deliveries: number;
  alertIds: string[];
}

const ACTOR = 'detector';

/** Folds the detections of one batch that share an incident into one (latest bucket, worst severity). */
function groupDetections(detections: Detection[]): { head: Detection; severity: Severity; count: number }[] {
  const groups = new Map<string, { head: Detection; severity: Severity; count: number }>();
  for (const d of detections) {
    const key = `${d.workspaceId}|${d.dedupeKey}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { head: d, severity: d.severity, count: 1 });
      continue;
    }
    g.count++;
    g.severity = maxSeverity(g.severity, d.severity);
    if (d.bucketStart.getTime() >= g.head.bucketStart.getTime()) g.head = d;
  }
  return [...groups.values()];
}

async function trendFor(
  trx: Transaction<Database>,
  watchId: string | null,
  until: Date,
): Promise<string | null> {
  if (!watchId) return null;
  const from = new Date(until.getTime() - 12 * 3_600_000);
  const rows = await trx
    .selectFrom('rollups')
    .select(['bucket_start', 'mentions'])
    .where('watch_id', '=', watchId)
    .where('bucket_start', '>', from)
    .where('bucket_start', '<=', until)
    .orderBy('bucket_start')
    .execute();
  if (rows.length < 2) return null;
  const byHour = new Map(rows.map((r) => [new Date(r.bucket_start).getTime(), r.mentions]));
  const values: number[] = [];
  const last = Math.floor(until.getTime() / 3_600_000) * 3_600_000;
  for (let t = last - 11 * 3_600_000; t <= last; t += 3_600_000) values.push(byHour.get(t) ?? 0);
  return sparkline(values);
}

function detailsOf(d: Detection, trend: string | null): AlertDetails {
  return {
    subject: d.subject,
    summary: d.summary,
    observed: d.observed,
    expected: d.expected,
    unit: d.unit,
    pValue: d.pValue,
    score: d.score,
    bucketStart: d.bucketStart.toISOString(),
    bucketSeconds: d.bucketSeconds,
    trend,
    topMentions: d.topMentions.slice(0, 5).map((m) => ({
      id: m.id,
      url: m.url,
      text: m.text.slice(0, 1000),
      authorHandle: m.authorHandle,
      sentimentScore: m.sentimentScore,
      publishedAt: m.publishedAt.toISOString(),
    })),
    topTerms: d.topTerms.slice(0, 20),
  };
}

async function watchName(trx: Transaction<Database>, watchId: string | null): Promise<string | null> {
  if (!watchId) return null;
  const row = await trx.selectFrom('watches').select('name').where('id', '=', watchId).executeTakeFirst();
  return row?.name ?? null;
}

export async function recordDetections(
  db: Kysely<Database>,
  detections: Detection[],
  opts: LifecycleOptions,
): Promise<DetectionOutcome> {
  const out: DetectionOutcome = {
    opened: 0,
    reopened: 0,
    updated: 0,
    unchanged: 0,
    deliveries: 0,
    alertIds: [],
  };
  const clock = opts.now ?? (() => new Date());
  const cache: BatchCache = { routes: new Map(), names: new Map(), trends: new Map() };
  for (const group of groupDetections(detections)) {
    // A concurrent writer may open the same incident between our read and insert; the partial unique
    // index refuses the second, and the retry then finds and updates the first.
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await db.transaction().execute((trx) => applyGroup(trx, group, clock(), opts, cache));
        out[r.outcome]++;
        out.deliveries += r.deliveries;
        out.alertIds.push(r.alertId);
        // Wake the worker per committed alert: the first messages go out while later ones are written.
        if (r.deliveries > 0) opts.onEnqueued?.();
        break;
      } catch (err) {
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }
  return out;
}

/** Look-ups shared by the groups of one batch (a storm hits the same watch and routes many times). */
interface BatchCache {
  routes: Map<string, AlertRoute[]>;
  names: Map<string, string | null>;
  trends: Map<string, string | null>;
}

async function applyGroup(
  trx: Transaction<Database>,
  group: { head: Detection; severity: Severity; count: number },
  now: Date,
  opts: LifecycleOptions,
  cache: BatchCache,
): Promise<{
  outcome: 'opened' | 'reopened' | 'updated' | 'unchanged';
  deliveries: number;
  alertId: string;
}> {
  const d = group.head;
  const nameKey = d.watchId ?? '';
  if (!cache.names.has(nameKey)) cache.names.set(nameKey, await watchName(trx, d.watchId));
  const name = cache.names.get(nameKey) ?? null;
  const trendKey = `${d.watchId}|${d.bucketStart.getTime()}`;
  if (!cache.trends.has(trendKey)) cache.trends.set(trendKey, await trendFor(trx, d.watchId, d.bucketStart));
  const details = detailsOf(d, cache.trends.get(trendKey) ?? null);
  const live = await trx
    .selectFrom('alerts')
    .selectAll()
    .where('workspace_id', '=', d.workspaceId)
    .where('dedupe_key', '=', d.dedupeKey)
    .where('state', '<>', 'resolved')
    .forUpdate()
    .executeTakeFirst();

  let alert: Alert;
  let event: AlertEventType | null;
  let outcome: 'opened' | 'reopened' | 'updated' | 'unchanged';
  if (live) {
    const before = toAlert(live);
    const severity = maxSeverity(before.severity, group.severity);
    const escalated = severityRank(severity) > severityRank(before.severity);
    const newBucket = !before.lastBucketStart || d.bucketStart > before.lastBucketStart;
    const row = await trx
      .updateTable('alerts')
      .set({
        severity,
        details: JSON.stringify(details),
        detection_count: before.detectionCount + group.count,
        last_detected_at: now,
        last_bucket_start: newBucket ? d.bucketStart : (before.lastBucketStart ?? d.bucketStart),
        updated_at: now,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    alert = toAlert(row);
    // Acknowledged alerts stay quiet unless they get worse; open ones report each new bucket.
    event = escalated ? 'alert.escalated' : newBucket && before.state === 'open' ? 'alert.updated' : null;
    outcome = event ? 'updated' : 'unchanged';
    if (escalated) {
      await recordAlertEvent(trx, alert, 'escalated', ACTOR, { from: before.severity, to: severity });
      await recordAudit(trx, {
        workspaceId: alert.workspaceId,
        actor: ACTOR,
        action: 'alert.escalate',
        targetType: 'alert',
        targetId: alert.id,
        details: { from: before.severity, to: severity },
      });
    } else if (event) {
      await recordAlertEvent(trx, alert, 'updated', ACTOR, {
        bucketStart: details.bucketStart,
        observed: d.observed,
      });
    }
  } else {
    const windowMs = opts.reopenWindowMs ?? 6 * 3_600_000;
    const recent = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('workspace_id', '=', d.workspaceId)
      .where('dedupe_key', '=', d.dedupeKey)
      .where('state', '=', 'resolved')
      .where('resolved_at', '>=', new Date(now.getTime() - windowMs))
      .orderBy('resolved_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (recent) {
      const row = await trx
        .updateTable('alerts')
        .set({
          state: 'open',
          severity: group.severity,
          details: JSON.stringify(details),
          detection_count: recent.detection_count + group.count,
          last_detected_at: now,
          last_bucket_start: d.bucketStart,
          acknowledged_at: null,
          acknowledged_by: null,
          resolved_at: null,
          resolved_by: null,
          updated_at: now,
        })
        .where('id', '=', recent.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      alert = toAlert(row);
      event = 'alert.reopened';
      outcome = 'reopened';
    } else {
      const row = await trx
        .insertInto('alerts')
        .values({
          workspace_id: d.workspaceId,
          watch_id: d.watchId,
          kind: d.kind,
          severity: group.severity,
          dedupe_key: d.dedupeKey,
          title: alertTitle(name, d.kind, d.subject),
          details: JSON.stringify(details),
          detection_count: group.count,
          last_detected_at: now,
          last_bucket_start: d.bucketStart,
          opened_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      alert = toAlert(row);
      event = 'alert.opened';
      outcome = 'opened';
    }
    const action = outcome === 'opened' ? 'open' : 'reopen';
    await recordAlertEvent(trx, alert, outcome, ACTOR, { severity: alert.severity, summary: d.summary });
    await recordAudit(trx, {
      workspaceId: alert.workspaceId,
      actor: ACTOR,
      action: `alert.${action}`,
      targetType: 'alert',
      targetId: alert.id,
      details: { kind: alert.kind, severity: alert.severity, dedupeKey: alert.dedupeKey },
    });
  }
  const deliveries = event
    ? await enqueueAlertChange(trx, alert, event, name, {
        now,
        baseUrl: opts.baseUrl,
        routeCache: cache.routes,
      })
    : 0;
  return { outcome, deliveries, alertId: alert.id };
}

export interface TransitionOptions {
  now?: () => Date;
  baseUrl: string;
  onEnqueued?: () => void;
}

/**
 * Acknowledge or resolve an alert, by a person (`token:<id>`, `cli`, `slack:<user>`). Acknowledging an
 * acknowledged alert or resolving a resolved one changes nothing and sends nothing (Slack users click
 * twice); acknowledging a resolved alert is a conflict.
 */
export async function transitionAlert(
  db: Kysely<Database>,
  workspaceId: string | null,
  alertId: string,
  to: 'acknowledged' | 'resolved',
  actor: string,
  opts: TransitionOptions,
): Promise<{ alert: Alert; changed: boolean }> {
  const now = (opts.now ?? (() => new Date()))();
  const result = await db.transaction().execute(async (trx) => {
    const before = await getAlert(trx, workspaceId, alertId, true);
    if (before.state === to) return { alert: before, changed: false, deliveries: 0 };
    if (to === 'acknowledged' && before.state === 'resolved') {
      throw new TrustwatchError('CONFLICT', `Alert ${alertId} is resolved; it cannot be acknowledged`);
    }
    const row = await trx
      .updateTable('alerts')
      .set(
        to === 'acknowledged'
          ? { state: 'acknowledged', acknowledged_at: now, acknowledged_by: actor, updated_at: now }
          : { state: 'resolved', resolved_at: now, resolved_by: actor, updated_at: now },
      )
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const alert = toAlert(row);
    const verb = to === 'acknowledged' ? 'acknowledge' : 'resolve';
    await recordAlertEvent(trx, alert, to, actor, { from: before.state });
    await recordAudit(trx, {
      workspaceId: alert.workspaceId,
      actor,
      action: `alert.${verb}`,
      targetType: 'alert',
      targetId: alert.id,
      details: { from: before.state },
    });
    const name = await watchName(trx, alert.watchId);
    const deliveries = await enqueueAlertChange(
      trx,
      alert,
      to === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
      name,
      { now, baseUrl: opts.baseUrl },
    );
    return { alert, changed: true, deliveries };
  });
  if (result.deliveries > 0) opts.onEnqueued?.();
  return { alert: result.alert, changed: result.changed };
}

/**
 * Resolves alerts that have had no detection for `quietMs` (the incident is over and nobody closed
 * it), as `auto`. Routes are told like for any resolve. Returns the ids resolved.
 */
export async function resolveQuietAlerts(
  db: Kysely<Database>,
  now: Date,
  quietMs: number,
  opts: TransitionOptions,
): Promise<string[]> {
  const stale = await db
    .selectFrom('alerts')
    .select(['id', 'workspace_id'])
    .where('state', '<>', 'resolved')
    .where('last_detected_at', '<', new Date(now.getTime() - quietMs))
    .limit(500)
    .execute();
  const done: string[] = [];
  for (const a of stale) {
    const r = await transitionAlert(db, a.workspace_id, a.id, 'resolved', 'auto', {
      ...opts,
      now: () => now,
    });
    if (r.changed) done.push(a.id);
  }
  return done;
}
