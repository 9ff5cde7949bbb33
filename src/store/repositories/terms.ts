import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { type SeriesRange, bucketKey, bucketStarts, checkSeriesRange, checkedTz } from './series.ts';

/**
 * Term, hashtag and author counts from the term rollups (see rollups.ts and src/core/terms.ts):
 * each counted mention adds at most a few hashtags, its top words and its author to its hour.
 */

export interface TermCount {
  start: Date;
  kind: 'term' | 'hashtag' | 'author';
  term: string;
  mentions: number;
}

/**
 * Term counts per bucket (sparse: only buckets where a term occurs), for the emerging-term detector.
 * Bounded by the term rollups: each mention contributes at most a few hashtags and words. Pass
 * `terms` to read only those (their history for a baseline), or `minMentions` to keep the read small
 * when scanning a recent window for candidates.
 */
export async function readTermCounts(
  db: Kysely<Database>,
  q: SeriesRange & {
    kinds?: readonly ('term' | 'hashtag' | 'author')[];
    terms?: readonly string[];
    minMentions?: number;
  },
): Promise<TermCount[]> {
  const tz = checkedTz(q.tz);
  checkSeriesRange(q.from, q.to, q.bucket);
  const kinds = q.kinds ?? ['term', 'hashtag'];
  if (kinds.length === 0 || (q.terms && q.terms.length === 0)) return [];
  const from = (await bucketStarts(db, q.from, q.to, q.bucket, tz))[0] ?? q.from;
  const key = bucketKey(q.bucket, tz);
  const termFilter = q.terms ? sql`and term = any(${[...q.terms]}::text[])` : sql``;
  const { rows } = await sql<{ b: Date; kind: TermCount['kind']; term: string; n: number }>`
    select ${key} as b, kind, term, sum(mentions)::int as n
    from term_rollups
    where workspace_id = ${q.workspaceId}::uuid and watch_id = ${q.watchId}::uuid
      and kind = any(${[...kinds]}::text[])
      and bucket_start >= ${from.toISOString()}::timestamptz and bucket_start < ${q.to.toISOString()}::timestamptz
      ${termFilter}
    group by 1, 2, 3
    having sum(mentions) >= ${Math.max(1, q.minMentions ?? 1)}
    order by 1, 4 desc, 3`.execute(db);
  return rows.map((r) => ({ start: new Date(r.b), kind: r.kind, term: r.term, mentions: r.n }));
}

export interface TopTerm {
  term: string;
  mentions: number;
}

/** The most frequent terms, hashtags or authors of a watch over a window (from the term rollups). */
export async function readTopTerms(
  db: Kysely<Database>,
  q: {
    workspaceId: string;
    watchId: string;
    from: Date;
    to: Date;
    kind: 'term' | 'hashtag' | 'author';
    limit: number;
  },
): Promise<TopTerm[]> {
  const { rows } = await sql<{ term: string; n: number }>`
    select term, sum(mentions)::int as n
    from term_rollups
    where workspace_id = ${q.workspaceId}::uuid and watch_id = ${q.watchId}::uuid and kind = ${q.kind}
      and bucket_start >= ${q.from.toISOString()}::timestamptz and bucket_start < ${q.to.toISOString()}::timestamptz
    group by term
    order by n desc, term
    limit ${Math.max(1, Math.min(q.limit, 1000))}`.execute(db);
  return rows.map((r) => ({ term: r.term, mentions: r.n }));
}
