import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/** One hour of one watch whose rollup must be recomputed. */
export interface BucketKey {
  watchId: string;
  bucketStart: Date;
}

export const HOUR_MS = 3_600_000;

export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

/** Deduplicates bucket keys (same watch, same hour). */
export function uniqueBuckets(keys: Iterable<BucketKey>): BucketKey[] {
  const seen = new Map<string, BucketKey>();
  for (const k of keys) seen.set(`${k.watchId}|${k.bucketStart.getTime()}`, k);
  return [...seen.values()];
}

/**
 * Recomputes the hourly rollups of the given buckets from mention_watches, in the caller's transaction.
 *
 * Why recompute instead of increment: a re-ingested mention can change sentiment, time or watches;
 * recomputing the touched buckets is always right, and costs only the mentions of those hours
 * (served by the (watch_id, published_at) index). Owned-handle posts and duplicates are not counted.
 */
export async function refreshRollups(db: Kysely<Database> | Transaction<Database>, keys: BucketKey[]): Promise<void> {
  const buckets = uniqueBuckets(keys);
  if (buckets.length === 0) return;
  const watchIds = buckets.map((b) => b.watchId);
  const starts = buckets.map((b) => b.bucketStart.toISOString());
  await sql`
    delete from rollups r
    using unnest(${watchIds}::uuid[], ${starts}::timestamptz[]) as b(watch_id, bucket_start)
    where r.watch_id = b.watch_id and r.bucket_start = b.bucket_start
  `.execute(db);
  await sql`
    insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum, updated_at)
    select mw.watch_id, min(mw.workspace_id::text)::uuid, b.bucket_start,
           count(*)::int,
           (count(*) filter (where mw.sentiment_label = 'positive'))::int,
           (count(*) filter (where mw.sentiment_label = 'negative'))::int,
           (count(*) filter (where mw.sentiment_label = 'neutral'))::int,
           coalesce(sum(mw.sentiment_score), 0),
           now()
    from unnest(${watchIds}::uuid[], ${starts}::timestamptz[]) as b(watch_id, bucket_start)
    join mention_watches mw
      on mw.watch_id = b.watch_id
     and mw.published_at >= b.bucket_start
     and mw.published_at < b.bucket_start + interval '1 hour'
    where not mw.owned and not mw.duplicate
    group by mw.watch_id, b.bucket_start
  `.execute(db);
}

/** Rebuilds every rollup of a watch (or all watches) from scratch. */
export async function rebuildRollups(db: Kysely<Database>, watchId?: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let del = trx.deleteFrom('rollups');
    if (watchId) del = del.where('watch_id', '=', watchId);
    await del.execute();
    const filter = watchId ? sql`and mw.watch_id = ${watchId}::uuid` : sql``;
    const result = await sql`
      insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum, updated_at)
      select mw.watch_id, min(mw.workspace_id::text)::uuid, date_trunc('hour', mw.published_at, 'UTC'),
             count(*)::int,
             (count(*) filter (where mw.sentiment_label = 'positive'))::int,
             (count(*) filter (where mw.sentiment_label = 'negative'))::int,
             (count(*) filter (where mw.sentiment_label = 'neutral'))::int,
             coalesce(sum(mw.sentiment_score), 0),
             now()
      from mention_watches mw
      where not mw.owned and not mw.duplicate ${filter}
      group by mw.watch_id, date_trunc('hour', mw.published_at, 'UTC')
    `.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}
