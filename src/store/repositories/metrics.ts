import { type Kysely, sql } from 'kysely';
import { ValidationError } from '../../core/errors.ts';
import type { Database } from '../schema.ts';
import { type SeriesBucket, bucketKey, bucketStarts, checkSeriesRange } from './series.ts';

/**
 * Custom metric series of a workspace: business numbers posted from outside (orders per day,
 * support tickets, survey responses, NPS), so the detectors that watch mentions also watch the
 * signals that show trust fading before anyone complains. One value per name and timestamp:
 * posting the same timestamp again replaces the value (a corrected daily total, a retried job).
 */

/** Metric names: letters, digits, `_ . -`, starting with a letter or digit; up to 64 characters. */
export const METRIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Points accepted in one request. */
export const MAX_METRIC_POINTS = 10_000;

export interface MetricPoint {
  at: Date;
  value: number;
}

export function checkMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) {
    throw new ValidationError(
      `Invalid metric name "${name.slice(0, 80)}": use letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)`,
      [{ path: 'name', message: 'invalid metric name' }],
    );
  }
  return name;
}

/** Writes points (upsert by timestamp). Returns how many were new and how many replaced a value. */
export async function recordMetricPoints(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
  points: MetricPoint[],
): Promise<{ inserted: number; updated: number }> {
  checkMetricName(name);
  if (points.length > MAX_METRIC_POINTS) {
    throw new ValidationError(`At most ${MAX_METRIC_POINTS} points per request`, [
      { path: 'points', message: `more than ${MAX_METRIC_POINTS} points` },
    ]);
  }
  // The same timestamp twice in one request: the later value wins (as a later request would).
  const byAt = new Map<number, MetricPoint>();
  points.forEach((p, i) => {
    if (!Number.isFinite(p.value) || Number.isNaN(p.at.getTime())) {
      throw new ValidationError(`Point ${i} has no finite value or valid time`, [
        { path: `points.${i}`, message: 'invalid point' },
      ]);
    }
    byAt.set(p.at.getTime(), p);
  });
  const rows = [...byAt.values()];
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: out } = await sql<{ inserted: boolean }>`
    insert into metric_points (workspace_id, name, at, value, updated_at)
    select ${workspaceId}::uuid, ${name}, t.at, t.value, now()
    from unnest(${rows.map((p) => p.at.toISOString())}::timestamptz[], ${rows.map((p) => p.value)}::float8[]) as t(at, value)
    on conflict (workspace_id, name, at) do update set value = excluded.value, updated_at = now()
    returning (xmax = 0) as inserted
  `.execute(db);
  const inserted = out.filter((r) => r.inserted).length;
  return { inserted, updated: out.length - inserted };
}

export interface MetricSummary {
  name: string;
  points: number;
  first: Date;
  last: Date;
}

export async function listMetrics(db: Kysely<Database>, workspaceId: string): Promise<MetricSummary[]> {
  const rows = await db
    .selectFrom('metric_points')
    .select([
      'name',
      sql<number>`count(*)::int`.as('points'),
      sql<Date>`min(at)`.as('first'),
      sql<Date>`max(at)`.as('last'),
    ])
    .where('workspace_id', '=', workspaceId)
    .groupBy('name')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    points: r.points,
    first: new Date(r.first),
    last: new Date(r.last),
  }));
}

export type MetricAggregate = 'sum' | 'avg' | 'min' | 'max' | 'last';

export interface MetricQuery {
  workspaceId: string;
  name: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  /** 'raw' returns the points as posted; a bucket size aggregates them into a continuous series. */
  bucket: 'raw' | SeriesBucket;
  aggregate?: MetricAggregate;
  tz?: string | undefined;
}

export interface MetricBucket {
  start: Date;
  /** Aggregated value, or null when no point falls in the bucket (no data is not zero). */
  value: number | null;
  /** Points in the bucket. */
  points: number;
}

/** Reads a metric: raw points (at most MAX_METRIC_POINTS, oldest first) or a bucketed series. */
export async function readMetric(db: Kysely<Database>, q: MetricQuery): Promise<MetricBucket[]> {
  checkMetricName(q.name);
  if (q.bucket === 'raw') {
    if (!(q.from < q.to)) checkSeriesRange(q.from, q.to, 'hour');
    const rows = await db
      .selectFrom('metric_points')
      .select(['at', 'value'])
      .where('workspace_id', '=', q.workspaceId)
      .where('name', '=', q.name)
      .where('at', '>=', q.from)
      .where('at', '<', q.to)
      .orderBy('at')
      .limit(MAX_METRIC_POINTS)
      .execute();
    return rows.map((r) => ({ start: r.at, value: r.value, points: 1 }));
  }
  checkSeriesRange(q.from, q.to, q.bucket);
  const starts = await bucketStarts(db, q.from, q.to, q.bucket, q.tz);
  const first = starts[0];
  if (!first) return [];
  const tz = q.tz ?? 'UTC';
  const key = q.bucket === 'hour' ? sql<Date>`date_trunc('hour', at, 'UTC')` : bucketKey(q.bucket, tz, 'at');
  const agg = q.aggregate ?? 'sum';
  const value =
    agg === 'last'
      ? sql<number>`(array_agg(value order by at desc))[1]`
      : sql<number>`${sql.raw(agg)}(value)`;
  const { rows } = await sql<{ b: Date; value: number; n: number }>`
    select ${key} as b, ${value} as value, count(*)::int as n
    from metric_points
    where workspace_id = ${q.workspaceId}::uuid and name = ${q.name}
      and at >= ${first.toISOString()}::timestamptz and at < ${q.to.toISOString()}::timestamptz
    group by 1`.execute(db);
  const byStart = new Map(rows.map((r) => [new Date(r.b).getTime(), r]));
  return starts.map((start) => {
    const r = byStart.get(start.getTime());
    return { start, value: r ? Number(r.value) : null, points: r?.n ?? 0 };
  });
}
