import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Severity } from '../core/detection.ts';
import { type AlertRoute, routesForWatch } from '../store/repositories/alert-routes.ts';
import type { Alert } from '../store/repositories/alerts.ts';
import { coalesceIntoPending, insertDelivery, lastDeliveryAt } from '../store/repositories/deliveries.ts';
import type { Database } from '../store/schema.ts';
import type { AlertEventType, AlertPayload, AlertSnapshot } from './payload.ts';
import { quietUntil } from './quiet-hours.ts';
import { redactDestinationUrl } from './redact.ts';
import { atLeast } from './severity.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The link behind "Open in trustwatch". */
export function alertUrl(baseUrl: string, alertId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/alerts/${alertId}`;
}

export function alertSnapshot(alert: Alert, watchName: string | null, baseUrl: string): AlertSnapshot {
  const d = alert.details;
  return {
    id: alert.id,
    url: alertUrl(baseUrl, alert.id),
    workspaceId: alert.workspaceId,
    watchId: alert.watchId,
    watchName,
    kind: alert.kind,
    subject: d.subject ?? null,
    severity: alert.severity,
    state: alert.state,
    title: alert.title,
    summary: d.summary ?? alert.title,
    observed: d.observed ?? null,
    expected: d.expected ?? null,
    unit: d.unit ?? null,
    pValue: d.pValue ?? null,
    score: d.score ?? null,
    bucketStart: d.bucketStart ?? null,
    bucketSeconds: d.bucketSeconds ?? null,
    trend: d.trend ?? null,
    detectionCount: alert.detectionCount,
    openedAt: alert.openedAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: alert.acknowledgedBy,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    topMentions: (d.topMentions ?? []).slice(0, 3),
    topTerms: d.topTerms ?? [],
  };
}

export function destinationLabel(route: Pick<AlertRoute, 'type' | 'config'>): string {
  return `${route.type}:${redactDestinationUrl(route.config.url)}`;
}

/** Whether a route takes alerts of this kind and severity. */
export function routeAccepts(route: AlertRoute, kind: string, severity: Severity): boolean {
  if (!route.enabled) return false;
  if (route.kinds.length > 0 && !route.kinds.includes(kind)) return false;
  return atLeast(severity, route.minSeverity);
}

export interface EnqueueOptions {
  now: Date;
  baseUrl: string;
  /** Routes already read in this batch, per workspace and watch (a burst of detections reads them once). */
  routeCache?: Map<string, AlertRoute[]>;
}

/**
 * Writes the deliveries of one alert change, inside the caller's transaction (the outbox: the alert
 * change and its deliveries commit or roll back together). Per route:
 * - updates fold into a not-yet-attempted delivery of the same alert (a storm sends one message);
 * - plain updates wait out the route's cooldown after the previous delivery of this alert;
 * - non-critical deliveries wait for the end of the route's quiet hours.
 * Returns the number of deliveries written or refreshed.
 */
export async function enqueueAlertChange(
  trx: Db,
  alert: Alert,
  event: AlertEventType,
  watchName: string | null,
  opts: EnqueueOptions,
): Promise<number> {
  const cacheKey = `${alert.workspaceId}|${alert.watchId}`;
  let all = opts.routeCache?.get(cacheKey);
  if (!all) {
    all = await routesForWatch(trx, alert.workspaceId, alert.watchId);
    opts.routeCache?.set(cacheKey, all);
  }
  const routes = all.filter((r) => routeAccepts(r, alert.kind, alert.severity));
  let n = 0;
  for (const route of routes) {
    const payload: AlertPayload = {
      type: event,
      timestamp: opts.now.toISOString(),
      data: { alert: alertSnapshot(alert, watchName, opts.baseUrl) },
    };
    if (event === 'alert.updated' || event === 'alert.escalated') {
      if (await coalesceIntoPending(trx, alert.id, route.id, payload as unknown as Record<string, unknown>)) {
        n++;
        continue;
      }
    }
    let at = opts.now;
    if (event === 'alert.updated' && route.cooldownSeconds > 0) {
      const last = await lastDeliveryAt(trx, alert.id, route.id);
      const free = last ? new Date(last.getTime() + route.cooldownSeconds * 1000) : at;
      if (free > at) at = free;
    }
    if (alert.severity !== 'critical') {
      const until = quietUntil(at, route.quietHours, route.timeZone);
      if (until && until > at) at = until;
    }
    await insertDelivery(trx, {
      workspaceId: alert.workspaceId,
      alertId: alert.id,
      routeId: route.id,
      destination: destinationLabel(route),
      event,
      payload: payload as unknown as Record<string, unknown>,
      idempotencyKey: `msg_${randomUUID().replace(/-/g, '')}`,
      nextAttemptAt: at,
      createdAt: opts.now,
    });
    n++;
  }
  return n;
}

/** A test message to one route (ignores kinds, severity, cooldown and quiet hours). */
export async function enqueueTestMessage(
  db: Kysely<Database>,
  route: AlertRoute,
  opts: EnqueueOptions,
): Promise<string> {
  const now = opts.now;
  const id = randomUUID();
  const payload: AlertPayload = {
    type: 'test',
    timestamp: now.toISOString(),
    data: {
      alert: {
        id,
        url: `${opts.baseUrl.replace(/\/+$/, '')}/`,
        workspaceId: route.workspaceId,
        watchId: route.watchId,
        watchName: null,
        kind: 'volume_spike',
        subject: null,
        severity: 'info',
        state: 'open',
        title: `trustwatch test message for route "${route.name}"`,
        summary: 'If you can read this, alerts will reach this destination.',
        observed: 42,
        expected: 10,
        unit: 'count',
        pValue: 0.001,
        score: 0.99,
        bucketStart: now.toISOString(),
        bucketSeconds: 3600,
        trend: '▁▁▂▁▃▇',
        detectionCount: 1,
        openedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        topMentions: [],
        topTerms: [],
      },
    },
  };
  const key = `msg_${randomUUID().replace(/-/g, '')}`;
  await insertDelivery(db, {
    workspaceId: route.workspaceId,
    alertId: null,
    routeId: route.id,
    destination: destinationLabel(route),
    event: 'test',
    payload: payload as unknown as Record<string, unknown>,
    idempotencyKey: key,
    nextAttemptAt: now,
    createdAt: now,
  });
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}
