import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/store/schema.ts';

/**
 * Hourly rollups for one watch from `from` to `to` (both hours included), written directly with SQL:
 * ~`perHour` mentions an hour with a daily cycle and ±20 % noise, and sentiment, red flags, ratings,
 * reach and sources in fixed proportions. For the read-side benchmarks (trends, API load, dashboard),
 * which need years of history in seconds. Returns the mentions written.
 */
export async function fillHourlyRollups(
  db: Kysely<Database>,
  opts: { watchId: string; workspaceId: string; perHour: number; from: Date; to: Date },
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with ins as (
      insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral,
        sentiment_sum, signals, rating_sum, rating_count, followers_sum, followers_count, engagement_sum, sources, updated_at)
      select ${opts.watchId}::uuid, ${opts.workspaceId}::uuid, g, n, n * 3 / 10, n / 5, n - n * 3 / 10 - n / 5,
        n * 0.05, jsonb_build_object('complaint', n / 10, 'churn_intent', n / 60, 'praise', n / 8, 'question', n / 12),
        (n / 20) * 3.8, n / 20, n::bigint * 900, n / 2, n::bigint * 4,
        jsonb_build_object('rss', n / 2, 'reviews', n / 4, 'hackernews', n - n / 2 - n / 4), now()
      from (
        select g, greatest(1, (${opts.perHour} * (1 + 0.6 * sin(extract(hour from g at time zone 'UTC') * pi() / 12))
          * (0.8 + 0.4 * random()))::int) as n
        from generate_series(${opts.from.toISOString()}::timestamptz, ${opts.to.toISOString()}::timestamptz,
          interval '1 hour') g
      ) x
      returning mentions
    )
    select coalesce(sum(mentions), 0)::float8 as n from ins`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
