import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { HOUR_MS } from './rollups.ts';

export type BucketSize = 'hour' | 'day';

export interface TrendBucket {
  start: Date;
  mentions: number;
  positive: number;
  negative: number;
  neutral: number;
  /** Mean compound sentiment in [-1, 1]; null for an empty bucket. */
  meanSentiment: number | null;
  /** Share of mentions that are negative, in [0, 1]; null for an empty bucket. */
  negativeShare: number | null;
}

export interface TrendQuery {
  workspaceId: string;
  watchId: string;
  from: Date;
  to: Date;
  bucket: BucketSize;
}

const BUCKET_MS: Record<BucketSize, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };

/** Largest number of buckets one trend request may span (about 2 years of hours). */
export const MAX_TREND_BUCKETS = 20_000;

export function bucketFloor(d: Date, bucket: BucketSize): Date {
  const ms = BUCKET_MS[bucket];
  return new Date(Math.floor(d.getTime() / ms) * ms);
}

/**
 * A watch's trend from rollups only (cost grows with buckets, not mentions), as a continuous series:
 * buckets without mentions are present with zero counts. Buckets are UTC-aligned.
 */
export async function readTrend(db: Kysely<Database>, q: TrendQuery): Promise<TrendBucket[]> {
  const from = bucketFloor(q.from, q.bucket);
  const to = q.to;
  const bucketExpr =
    q.bucket === 'hour' ? sql<Date>`bucket_start` : sql<Date>`date_trunc('day', bucket_start, 'UTC')`;
  const rows = await db
    .selectFrom('rollups')
    .select([
      bucketExpr.as('start'),
      sql<number>`sum(mentions)::int`.as('mentions'),
      sql<number>`sum(positive)::int`.as('positive'),
      sql<number>`sum(negative)::int`.as('negative'),
      sql<number>`sum(neutral)::int`.as('neutral'),
      sql<number>`sum(sentiment_sum)`.as('sentiment_sum'),
    ])
    .where('workspace_id', '=', q.workspaceId)
    .where('watch_id', '=', q.watchId)
    .where('bucket_start', '>=', from)
    .where('bucket_start', '<', to)
    .groupBy(sql`1`)
    .execute();
  const byStart = new Map(rows.map((r) => [new Date(r.start).getTime(), r]));
  const out: TrendBucket[] = [];
  const step = BUCKET_MS[q.bucket];
  for (let t = from.getTime(); t < to.getTime(); t += step) {
    const r = byStart.get(t);
    const mentions = r?.mentions ?? 0;
    out.push({
      start: new Date(t),
      mentions,
      positive: r?.positive ?? 0,
      negative: r?.negative ?? 0,
      neutral: r?.neutral ?? 0,
      meanSentiment: r && mentions > 0 ? Number(r.sentiment_sum) / mentions : null,
      negativeShare: r && mentions > 0 ? r.negative / mentions : null,
    });
  }
  return out;
}
