import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../schema.ts';

export const HOUR_MS = 3_600_000;

export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

/** What one counted mention-watch link adds to its bucket (negated to remove it). */
export interface RollupContribution {
  watchId: string;
  workspaceId: string;
  publishedAt: Date;
  sentimentScore: number;
  sentimentLabel: 'positive' | 'neutral' | 'negative';
}

/**
 * Applies the change of a batch to the hourly rollups as deltas: `removed` are links that counted
 * before the batch (an updated mention's old state), `added` the links that count now. One upsert per
 * batch whatever the number of buckets, and safe under concurrent writers (the increments are atomic).
 * Owned-handle posts and duplicates must be left out by the caller. `rollups rebuild` recomputes from
 * scratch should anything ever drift.
 */
export async function applyRollupDeltas(
  db: Kysely<Database> | Transaction<Database>,
  removed: RollupContribution[],
  added: RollupContribution[],
): Promise<void> {
  const deltas = new Map<
    string,
    {
      watchId: string;
      workspaceId: string;
      start: Date;
      n: number;
      pos: number;
      neg: number;
      neu: number;
      sum: number;
    }
  >();
  const apply = (c: RollupContribution, sign: 1 | -1) => {
    const start = hourOf(c.publishedAt);
    const key = `${c.watchId}|${start.getTime()}`;
    let d = deltas.get(key);
    if (!d) {
      d = { watchId: c.watchId, workspaceId: c.workspaceId, start, n: 0, pos: 0, neg: 0, neu: 0, sum: 0 };
      deltas.set(key, d);
    }
    d.n += sign;
    if (c.sentimentLabel === 'positive') d.pos += sign;
    else if (c.sentimentLabel === 'negative') d.neg += sign;
    else d.neu += sign;
    d.sum += sign * c.sentimentScore;
  };
  for (const c of removed) apply(c, -1);
  for (const c of added) apply(c, 1);
  const rows = [...deltas.values()].filter(
    (d) => d.n !== 0 || d.pos !== 0 || d.neg !== 0 || d.neu !== 0 || d.sum !== 0,
  );
  if (rows.length === 0) return;
  await sql`
    insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum, updated_at)
    select * , now() from unnest(
      ${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.workspaceId)}::uuid[],
      ${rows.map((r) => r.start.toISOString())}::timestamptz[], ${rows.map((r) => r.n)}::int[],
      ${rows.map((r) => r.pos)}::int[], ${rows.map((r) => r.neg)}::int[], ${rows.map((r) => r.neu)}::int[],
      ${rows.map((r) => r.sum)}::float8[])
    on conflict (watch_id, bucket_start) do update set
      mentions = rollups.mentions + excluded.mentions,
      positive = rollups.positive + excluded.positive,
      negative = rollups.negative + excluded.negative,
      neutral = rollups.neutral + excluded.neutral,
      sentiment_sum = rollups.sentiment_sum + excluded.sentiment_sum,
      updated_at = now()
  `.execute(db);
  // A bucket emptied by an update (the mention moved hours) goes away, as if never filled.
  if (removed.length) {
    await sql`
      delete from rollups r
      using unnest(${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.start.toISOString())}::timestamptz[])
        as b(watch_id, bucket_start)
      where r.watch_id = b.watch_id and r.bucket_start = b.bucket_start and r.mentions <= 0
    `.execute(db);
  }
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
