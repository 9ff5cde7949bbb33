import { type Kysely, sql } from 'kysely';
import { ensureMonthPartitions } from '../../src/store/partitions.ts';
import type { Database } from '../../src/store/schema.ts';

export interface FillOptions {
  workspaceId: string;
  sourceId: string;
  /** Every row is linked to this watch (a mention_watches row), like ingest would. */
  watchId: string;
  count: number;
  /** Row numbers run from `first` (default 1): fill in chunks with first = 1, 1 + chunk, ... */
  first?: number;
  /** External ids are `${prefix}${n}`, n from 1. */
  prefix?: string;
  /** The first row's time; each further group of three rows is one second later (ties test the id tie-break). */
  start?: Date;
}

/**
 * Fills mentions for one watch in two set-based statements (INSERT ... SELECT generate_series), for
 * tests and benchmarks that need many rows quickly without the ingest pipeline. Texts are ~200
 * characters; every 10th holds a comma and quotes, every 7th a line break, every 97th starts with
 * `=` (formula injection), every 5th carries a complaint signal; ratings on a 10-point scale on every
 * 4th. Scores are spread over [-1, 1]. Returns the number of rows inserted.
 */
export async function fillMentions(db: Kysely<Database>, o: FillOptions): Promise<number> {
  const prefix = o.prefix ?? 'fill-';
  const start = o.start ?? new Date('2026-01-01T00:00:00Z');
  // Mentions are partitioned by month: every month the rows fall in must exist first.
  const first = o.first ?? 1;
  const last = first + o.count - 1;
  const begin = start.getTime() + Math.floor(first / 3) * 1000;
  const end = start.getTime() + Math.floor(last / 3) * 1000;
  const months: Date[] = [];
  for (let t = begin; t <= end; t += 86_400_000) months.push(new Date(t));
  await ensureMonthPartitions(db, [...months, new Date(end)]);
  const inserted = await sql<{ n: number }>`
    with words as (
      -- One ~6,600-character string of hex words: each text is a slice of it (cheaper than hashing per row).
      select string_agg(md5(g::text), ' ') as s from generate_series(1, 200) as g
    ), rows as (
      select i,
        round((((i::bigint * 7919) % 2001) - 1000) / 1000.0, 3)::real as score,
        substr(words.s, ((i::bigint * 7919) % 6400)::int + 1, 150) as slice
      from generate_series(${first}::int, ${last}::int) as i, words
    ), ins as (
      insert into mentions (workspace_id, source_id, external_id, url, author_name, author_handle,
        author_followers, title, text, text_hash, language, published_at, fetched_at, engagement, rating,
        rating_scale, sentiment_score, sentiment_label, signals)
      select ${o.workspaceId}::uuid, ${o.sourceId}::uuid, ${prefix} || i,
        'https://social.example/p/' || i,
        'Author ' || (i % 1000), 'user_' || (i % 1000), (i * 37) % 100000,
        case when i % 3 = 0 then 'Post ' || i else null end,
        (case when i % 97 = 0 then '=HYPERLINK("http://evil.example","x") ' else '' end) ||
        'Telvana mention ' || i ||
        (case when i % 10 = 0 then ', she said "never again", ' else ' ' end) ||
        (case when i % 7 = 0 then E'\nsecond line ' else ' ' end) || slice || ' Grüße',
        md5(i::text), case when i % 2 = 0 then 'en' else 'de' end,
        ${start}::timestamptz + ((i / 3) * interval '1 second'),
        ${start}::timestamptz + ((i / 3) * interval '1 second') + interval '5 minutes',
        jsonb_build_object('likes', i % 50),
        case when i % 4 = 0 then (i % 10) + 1 else null end,
        case when i % 4 = 0 then 10 else null end,
        score,
        case when score > 0.05 then 'positive' when score < -0.05 then 'negative' else 'neutral' end,
        case when i % 5 = 0 then '[{"kind":"complaint","evidence":"broken"}]'::jsonb else '[]'::jsonb end
      from rows
      returning id, workspace_id, published_at, sentiment_score, sentiment_label
    ), links as (
      insert into mention_watches (mention_id, watch_id, workspace_id, published_at, sentiment_score,
        sentiment_label, owned, duplicate, matched_terms)
      select id, ${o.watchId}::uuid, workspace_id, published_at, sentiment_score, sentiment_label, false, false,
        '["telvana"]'::jsonb
      from ins
      returning 1
    )
    select count(*)::int as n from links`.execute(db);
  return inserted.rows[0]?.n ?? 0;
}
