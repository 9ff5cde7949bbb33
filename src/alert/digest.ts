import { type Kysely, sql } from 'kysely';
import { type AlertRoute, digestRoutes } from '../store/repositories/alert-routes.ts';
import { insertDelivery } from '../store/repositories/deliveries.ts';
import type { Database } from '../store/schema.ts';
import { destinationLabel } from './enqueue.ts';
import type { DigestPayload, DigestSnapshot, MentionSnapshot } from './payload.ts';
import { localParts, zonedTime } from './quiet-hours.ts';

/**
 * Daily or weekly digests per watch to Slack routes: mood, volume against the period before, top red
 * flags, top mentions. Read from rollups (counts, sentiment, signal counts) and a few mentions, so the
 * cost does not grow with volume. Each period is enqueued once (its idempotency key is the route,
 * the watch and the period end), whoever runs the scheduler and however often.
 */
export const DIGEST_HOUR = 9;
const DAY_MS = 86_400_000;

/** End of the latest digest period at or before `now`: 09:00 local time (weekly: on a Monday). */
export function latestPeriodEnd(now: Date, period: 'daily' | 'weekly', timeZone: string): Date {
  const p = localParts(now, timeZone);
  let day = Date.UTC(p.year, p.month - 1, p.day);
  const at = (d: number) => {
    const x = new Date(d);
    return zonedTime(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate(), DIGEST_HOUR * 60, timeZone);
  };
  if (at(day) > now) day -= DAY_MS;
  if (period === 'weekly') {
    // getUTCDay of the local calendar date: 0 Sunday .. 6 Saturday; back to Monday.
    const back = (new Date(day).getUTCDay() + 6) % 7;
    day -= back * DAY_MS;
  }
  return at(day);
}

function periodMs(period: 'daily' | 'weekly'): number {
  return period === 'daily' ? DAY_MS : 7 * DAY_MS;
}

async function totals(db: Kysely<Database>, watchId: string, from: Date, to: Date) {
  const row = await db
    .selectFrom('rollups')
    .select([
      sql<number>`coalesce(sum(mentions), 0)::int`.as('mentions'),
      sql<number>`coalesce(sum(negative), 0)::int`.as('negative'),
      sql<number>`coalesce(sum(sentiment_sum), 0)`.as('sentiment'),
    ])
    .where('watch_id', '=', watchId)
    .where('bucket_start', '>=', from)
    .where('bucket_start', '<', to)
    .executeTakeFirst();
  const mentions = Number(row?.mentions ?? 0);
  return {
    mentions,
    mean: mentions > 0 ? Number(row?.sentiment ?? 0) / mentions : null,
    negativeShare: mentions > 0 ? Number(row?.negative ?? 0) / mentions : null,
  };
}

export async function buildDigest(
  db: Kysely<Database>,
  watch: { id: string; name: string; workspaceId: string },
  period: 'daily' | 'weekly',
  to: Date,
  baseUrl: string,
): Promise<DigestSnapshot> {
  const from = new Date(to.getTime() - periodMs(period));
  const before = new Date(from.getTime() - periodMs(period));
  const [now, prev] = await Promise.all([totals(db, watch.id, from, to), totals(db, watch.id, before, from)]);
  const flags = await sql<{ kind: string; count: number }>`
    select s.key as kind, sum(s.value::int)::int as count
    from rollups r, jsonb_each_text(r.signals) s
    where r.watch_id = ${watch.id} and r.bucket_start >= ${from} and r.bucket_start < ${to}
      and s.key <> 'praise'
    group by s.key order by count desc, kind limit 5`.execute(db);
  const mentions = await db
    .selectFrom('mention_watches as mw')
    .innerJoin('mentions as m', 'm.id', 'mw.mention_id')
    .select(['m.id', 'm.url', 'm.text', 'm.author_handle', 'm.sentiment_score', 'm.published_at'])
    .where('mw.watch_id', '=', watch.id)
    .where('mw.published_at', '>=', from)
    .where('mw.published_at', '<', to)
    .where('mw.owned', '=', false)
    .where('mw.duplicate', '=', false)
    .orderBy('m.sentiment_score')
    .orderBy('m.id')
    .limit(3)
    .execute();
  const alerts = await db
    .selectFrom('alerts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('watch_id', '=', watch.id)
    .where('opened_at', '>=', from)
    .where('opened_at', '<', to)
    .executeTakeFirst();
  const topMentions: MentionSnapshot[] = mentions.map((m) => ({
    id: String(m.id),
    url: m.url,
    text: m.text.slice(0, 1000),
    authorHandle: m.author_handle,
    sentimentScore: m.sentiment_score,
    publishedAt: new Date(m.published_at).toISOString(),
  }));
  return {
    watchId: watch.id,
    watchName: watch.name,
    period,
    from: from.toISOString(),
    to: to.toISOString(),
    url: `${baseUrl.replace(/\/+$/, '')}/watches/${watch.id}`,
    mentions: now.mentions,
    previousMentions: prev.mentions,
    meanSentiment: now.mean,
    previousMeanSentiment: prev.mean,
    negativeShare: now.negativeShare,
    redFlags: flags.rows.map((f) => ({ kind: f.kind, count: Number(f.count) })),
    topMentions,
    alertsOpened: Number(alerts?.n ?? 0),
  };
}

async function routeWatches(db: Kysely<Database>, route: AlertRoute) {
  let q = db
    .selectFrom('watches')
    .select(['id', 'name', 'workspace_id as workspaceId'])
    .where('workspace_id', '=', route.workspaceId);
  if (route.watchId) q = q.where('id', '=', route.watchId);
  return q.orderBy('created_at').limit(50).execute();
}

/**
 * Enqueues the digests that are due: for every Slack route with a digest, the latest period that
 * ended after the route was created, per watch. Returns how many were newly enqueued.
 */
export async function enqueueDueDigests(db: Kysely<Database>, now: Date, baseUrl: string): Promise<number> {
  let n = 0;
  for (const route of await digestRoutes(db)) {
    if (route.type !== 'slack' || route.digest === 'off') continue;
    const to = latestPeriodEnd(now, route.digest, route.timeZone);
    if (to < route.createdAt) continue;
    for (const watch of await routeWatches(db, route)) {
      const key = `digest_${route.id}_${watch.id}_${to.toISOString()}`;
      const exists = await db
        .selectFrom('deliveries')
        .select('id')
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (exists) continue;
      const payload: DigestPayload = {
        type: 'digest',
        timestamp: now.toISOString(),
        data: { digest: await buildDigest(db, watch, route.digest, to, baseUrl) },
      };
      const inserted = await insertDelivery(db, {
        workspaceId: route.workspaceId,
        alertId: null,
        routeId: route.id,
        destination: destinationLabel(route),
        event: 'digest',
        payload: payload as unknown as Record<string, unknown>,
        idempotencyKey: key,
        nextAttemptAt: now,
        createdAt: now,
      });
      if (inserted) n++;
    }
  }
  return n;
}

/** Runs `enqueueDueDigests` at most once a minute, for the delivery worker's tick. */
export function digestTicker(db: Kysely<Database>, baseUrl: string, everyMs = 60_000) {
  let last = 0;
  return async (now: Date) => {
    if (now.getTime() - last < everyMs) return;
    last = now.getTime();
    await enqueueDueDigests(db, now, baseUrl);
  };
}
