import { type Kysely, type Transaction, sql } from 'kysely';
import { extractTerms, termKind, termsForWatch } from '../../core/terms.ts';
import type { Database } from '../schema.ts';

export const HOUR_MS = 3_600_000;

export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What one counted mention-watch link adds to its bucket (negated to remove it). The fields after
 * the sentiment are optional so that a caller that knows only volume and tone still counts those.
 */
export interface RollupContribution {
  watchId: string;
  workspaceId: string;
  publishedAt: Date;
  sentimentScore: number;
  sentimentLabel: 'positive' | 'neutral' | 'negative';
  /** Distinct signal kinds found in the mention (a mention counts once per kind). */
  signalKinds?: readonly string[];
  /** The rating normalized to a 5-point scale (see normalizeRating), or null. */
  rating5?: number | null;
  followers?: number | null;
  /** likes + replies + shares. */
  engagement?: number;
  sourceType?: string | null;
  /** Terms and `#hashtags` counted for this watch (see termsForWatch). */
  terms?: readonly string[];
  /** Author handle (folded), counted in the author rollups. */
  author?: string | null;
}

/** Ratings on any scale as "stars out of 5": a 4/5 review is 4, an 8/10 survey score is 4. */
export function normalizeRating(rating: number | null, scale: number | null): number | null {
  if (rating === null || !Number.isFinite(rating)) return null;
  // Ratings are stored as float4: count the stored value, so a rebuild adds up to the same sums.
  const s = scale !== null && Number.isFinite(scale) && scale > 0 ? Math.fround(scale) : 5;
  return Math.min(5, Math.max(0, (Math.fround(rating) * 5) / s));
}

interface BucketDelta {
  watchId: string;
  workspaceId: string;
  start: Date;
  n: number;
  pos: number;
  neg: number;
  neu: number;
  sum: number;
  ratingSum: number;
  ratingCount: number;
  followersSum: number;
  followersCount: number;
  engagement: number;
  signals: Record<string, number>;
  sources: Record<string, number>;
}

interface TermDelta {
  watchId: string;
  workspaceId: string;
  kind: 'term' | 'hashtag' | 'author';
  start: Date;
  term: string;
  n: number;
}

function collectTerms(map: Map<string, TermDelta>, c: RollupContribution, sign: number): void {
  const start = hourOf(c.publishedAt);
  const add = (kind: TermDelta['kind'], term: string) => {
    const key = `${c.watchId}|${kind}|${start.getTime()}|${term}`;
    const t = map.get(key);
    if (t) t.n += sign;
    else map.set(key, { watchId: c.watchId, workspaceId: c.workspaceId, kind, start, term, n: sign });
  };
  for (const term of new Set(c.terms ?? [])) add(termKind(term), term);
  if (c.author) add('author', c.author);
}

function bump(map: Record<string, number>, key: string, by: number): void {
  const v = (map[key] ?? 0) + by;
  if (v === 0) delete map[key];
  else map[key] = v;
}

// Adds two jsonb count maps key by key, dropping keys that reach zero (so an emptied kind vanishes).
const mergeCounts = (column: string) => sql`(
  select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from (
    select key as k, sum(value::int) as v
    from (select * from jsonb_each_text(rollups.${sql.raw(column)})
          union all select * from jsonb_each_text(excluded.${sql.raw(column)})) u
    group by key) t
  where v <> 0)`;

/**
 * Applies the change of a batch to the hourly rollups and term rollups as deltas: `removed` are links
 * that counted before the batch (an updated mention's old state), `added` the links that count now.
 * One upsert per table per batch whatever the number of buckets, and safe under concurrent writers
 * (the increments are atomic). Owned-handle posts and duplicates must be left out by the caller.
 * `rollups rebuild` recomputes from scratch should anything ever drift.
 */
export async function applyRollupDeltas(
  db: Db,
  removed: RollupContribution[],
  added: RollupContribution[],
): Promise<void> {
  const deltas = new Map<string, BucketDelta>();
  const terms = new Map<string, TermDelta>();
  const apply = (c: RollupContribution, sign: 1 | -1) => {
    const start = hourOf(c.publishedAt);
    const key = `${c.watchId}|${start.getTime()}`;
    let d = deltas.get(key);
    if (!d) {
      d = {
        watchId: c.watchId,
        workspaceId: c.workspaceId,
        start,
        n: 0,
        pos: 0,
        neg: 0,
        neu: 0,
        sum: 0,
        ratingSum: 0,
        ratingCount: 0,
        followersSum: 0,
        followersCount: 0,
        engagement: 0,
        signals: {},
        sources: {},
      };
      deltas.set(key, d);
    }
    d.n += sign;
    if (c.sentimentLabel === 'positive') d.pos += sign;
    else if (c.sentimentLabel === 'negative') d.neg += sign;
    else d.neu += sign;
    d.sum += sign * c.sentimentScore;
    for (const kind of new Set(c.signalKinds ?? [])) bump(d.signals, kind, sign);
    if (c.rating5 !== undefined && c.rating5 !== null) {
      d.ratingSum += sign * c.rating5;
      d.ratingCount += sign;
    }
    if (c.followers !== undefined && c.followers !== null) {
      d.followersSum += sign * c.followers;
      d.followersCount += sign;
    }
    d.engagement += sign * (c.engagement ?? 0);
    if (c.sourceType) bump(d.sources, c.sourceType, sign);
    collectTerms(terms, c, sign);
  };
  for (const c of removed) apply(c, -1);
  for (const c of added) apply(c, 1);
  await upsertBuckets(db, [...deltas.values()], removed.length > 0);
  await upsertTerms(
    db,
    [...terms.values()].filter((t) => t.n !== 0),
    removed.length > 0,
  );
}

/** Orders two keys field by field (strings by code unit, as the lock order only needs to be total). */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

async function upsertBuckets(db: Db, all: BucketDelta[], mayEmpty: boolean): Promise<void> {
  const rows = all.filter(
    (d) =>
      d.n !== 0 ||
      d.pos !== 0 ||
      d.neg !== 0 ||
      d.neu !== 0 ||
      d.sum !== 0 ||
      d.ratingCount !== 0 ||
      d.ratingSum !== 0 ||
      d.followersCount !== 0 ||
      d.engagement !== 0 ||
      Object.keys(d.signals).length > 0 ||
      Object.keys(d.sources).length > 0,
  );
  if (rows.length === 0) return;
  // Concurrent batches (several workers, sources matching the same watch) lock the same bucket rows;
  // taking them in one global order, not each batch's arrival order, keeps them from deadlocking.
  rows.sort((a, b) => compareKeys([a.watchId, a.start.getTime()], [b.watchId, b.start.getTime()]));
  await sql`
    insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum,
      rating_sum, rating_count, followers_sum, followers_count, engagement_sum, signals, sources, updated_at)
    select * , now() from unnest(
      ${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.workspaceId)}::uuid[],
      ${rows.map((r) => r.start.toISOString())}::timestamptz[], ${rows.map((r) => r.n)}::int[],
      ${rows.map((r) => r.pos)}::int[], ${rows.map((r) => r.neg)}::int[], ${rows.map((r) => r.neu)}::int[],
      ${rows.map((r) => r.sum)}::float8[], ${rows.map((r) => r.ratingSum)}::float8[],
      ${rows.map((r) => r.ratingCount)}::int[], ${rows.map((r) => Math.round(r.followersSum))}::bigint[],
      ${rows.map((r) => r.followersCount)}::int[], ${rows.map((r) => Math.round(r.engagement))}::bigint[],
      ${rows.map((r) => JSON.stringify(r.signals))}::jsonb[], ${rows.map((r) => JSON.stringify(r.sources))}::jsonb[])
    on conflict (watch_id, bucket_start, workspace_id) do update set
      mentions = rollups.mentions + excluded.mentions,
      positive = rollups.positive + excluded.positive,
      negative = rollups.negative + excluded.negative,
      neutral = rollups.neutral + excluded.neutral,
      sentiment_sum = rollups.sentiment_sum + excluded.sentiment_sum,
      rating_sum = rollups.rating_sum + excluded.rating_sum,
      rating_count = rollups.rating_count + excluded.rating_count,
      followers_sum = rollups.followers_sum + excluded.followers_sum,
      followers_count = rollups.followers_count + excluded.followers_count,
      engagement_sum = rollups.engagement_sum + excluded.engagement_sum,
      signals = ${mergeCounts('signals')},
      sources = ${mergeCounts('sources')},
      updated_at = now()
  `.execute(db);
  // A bucket emptied by an update (the mention moved hours) goes away, as if never filled.
  if (mayEmpty) {
    await sql`
      delete from rollups r
      using unnest(${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.start.toISOString())}::timestamptz[])
        as b(watch_id, bucket_start)
      where r.watch_id = b.watch_id and r.bucket_start = b.bucket_start and r.mentions <= 0
    `.execute(db);
  }
}

async function upsertTerms(db: Db, rows: TermDelta[], mayEmpty: boolean): Promise<void> {
  if (rows.length === 0) return;
  // The same global lock order as the buckets (see upsertBuckets).
  rows.sort((a, b) =>
    compareKeys(
      [a.watchId, a.kind, a.start.getTime(), a.term],
      [b.watchId, b.kind, b.start.getTime(), b.term],
    ),
  );
  await sql`
    insert into term_rollups (watch_id, workspace_id, kind, bucket_start, term, mentions)
    select * from unnest(
      ${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.workspaceId)}::uuid[],
      ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.start.toISOString())}::timestamptz[],
      ${rows.map((r) => r.term)}::text[], ${rows.map((r) => r.n)}::int[])
    on conflict (watch_id, kind, bucket_start, term, workspace_id) do update set
      mentions = term_rollups.mentions + excluded.mentions
  `.execute(db);
  if (mayEmpty) {
    await sql`
      delete from term_rollups r
      using unnest(${rows.map((r) => r.watchId)}::uuid[], ${rows.map((r) => r.kind)}::text[],
        ${rows.map((r) => r.start.toISOString())}::timestamptz[], ${rows.map((r) => r.term)}::text[])
        as b(watch_id, kind, bucket_start, term)
      where r.watch_id = b.watch_id and r.kind = b.kind and r.bucket_start = b.bucket_start
        and r.term = b.term and r.mentions <= 0
    `.execute(db);
  }
}

export interface RebuildStats {
  /** Hourly buckets written to `rollups`. */
  buckets: number;
  /** Rows written to `term_rollups`. */
  termRows: number;
  /** Mentions stored before term extraction existed whose terms were extracted now. */
  termsExtracted: number;
}

/** Mentions read per round trip while rebuilding term rollups. */
const REBUILD_CHUNK = 2_000;

/**
 * Rebuilds every rollup of a watch (or all watches) from scratch: the hourly `rollups` in one SQL
 * statement, then the term rollups by walking the counted links in chunks through the same delta
 * code as ingest (so rebuilt and incremental counts cannot disagree). Mentions stored before term
 * extraction existed get their terms extracted on the way. One transaction: readers see the old
 * rollups until the new ones are complete.
 */
export async function rebuildRollups(
  db: Kysely<Database>,
  watchId?: string,
  onProgress?: (done: number) => void,
): Promise<RebuildStats> {
  return db.transaction().execute(async (trx) => {
    let del = trx.deleteFrom('rollups');
    let delTerms = trx.deleteFrom('term_rollups');
    if (watchId) {
      del = del.where('watch_id', '=', watchId);
      delTerms = delTerms.where('watch_id', '=', watchId);
    }
    await del.execute();
    await delTerms.execute();
    const filter = watchId ? sql`and mw.watch_id = ${watchId}::uuid` : sql``;
    const result = await sql`
      with base as (
        select mw.watch_id, mw.workspace_id, date_trunc('hour', mw.published_at, 'UTC') as b,
               mw.sentiment_label, mw.sentiment_score, m.signals, m.rating, m.rating_scale,
               m.author_followers, m.engagement, s.type as source_type
        from mention_watches mw
        join mentions m on m.id = mw.mention_id
        join sources s on s.id = m.source_id
        where not mw.owned and not mw.duplicate ${filter}
      ),
      main as (
        select watch_id, b, min(workspace_id::text)::uuid as workspace_id,
               count(*)::int as n,
               (count(*) filter (where sentiment_label = 'positive'))::int as pos,
               (count(*) filter (where sentiment_label = 'negative'))::int as neg,
               (count(*) filter (where sentiment_label = 'neutral'))::int as neu,
               coalesce(sum(sentiment_score), 0) as ssum,
               coalesce(sum(least(5, greatest(0, rating::float8 * 5 /
                 (case when rating_scale > 0 then rating_scale::float8 else 5 end))))
                 filter (where rating is not null), 0) as rsum,
               (count(*) filter (where rating is not null))::int as rcount,
               coalesce(sum(author_followers), 0)::bigint as fsum,
               count(author_followers)::int as fcount,
               coalesce(sum(round(coalesce((engagement->>'likes')::float8, 0)
                 + coalesce((engagement->>'replies')::float8, 0)
                 + coalesce((engagement->>'shares')::float8, 0))), 0)::bigint as esum
        from base group by watch_id, b
      ),
      sig as (
        select watch_id, b, jsonb_object_agg(kind, n) as m from (
          select watch_id, b, k.kind, count(*)::int as n
          from base, lateral (
            select distinct e->>'kind' as kind
            from jsonb_array_elements(case when jsonb_typeof(base.signals) = 'array' then base.signals else '[]'::jsonb end) e
            where e->>'kind' is not null
          ) k
          group by watch_id, b, k.kind) x
        group by watch_id, b
      ),
      src as (
        select watch_id, b, jsonb_object_agg(source_type, n) as m from (
          select watch_id, b, source_type, count(*)::int as n from base group by watch_id, b, source_type) x
        group by watch_id, b
      )
      insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum,
        rating_sum, rating_count, followers_sum, followers_count, engagement_sum, signals, sources, updated_at)
      select main.watch_id, main.workspace_id, main.b, n, pos, neg, neu, ssum, rsum, rcount, fsum, fcount, esum,
             coalesce(sig.m, '{}'::jsonb), coalesce(src.m, '{}'::jsonb), now()
      from main
      left join sig on sig.watch_id = main.watch_id and sig.b = main.b
      left join src on src.watch_id = main.watch_id and src.b = main.b
    `.execute(trx);
    const buckets = Number(result.numAffectedRows ?? 0);
    const termsExtracted = await rebuildTermRollups(trx, watchId, onProgress);
    let count = trx.selectFrom('term_rollups').select(sql<number>`count(*)::int`.as('n'));
    if (watchId) count = count.where('watch_id', '=', watchId);
    const termRows = (await count.executeTakeFirstOrThrow()).n;
    return { buckets, termRows, termsExtracted };
  });
}

async function rebuildTermRollups(
  trx: Transaction<Database>,
  watchId: string | undefined,
  onProgress?: (done: number) => void,
): Promise<number> {
  let after = 0;
  let done = 0;
  let termsExtracted = 0;
  for (;;) {
    // Keyset over mention ids (an index range scan per chunk, whatever the table size): a watch's
    // links by its primary key, or every mention.
    const ids = watchId
      ? (
          await trx
            .selectFrom('mention_watches')
            .select('mention_id as id')
            .where('watch_id', '=', watchId)
            .where('mention_id', '>', after)
            .orderBy('mention_id')
            .limit(REBUILD_CHUNK)
            .execute()
        ).map((r) => r.id)
      : (
          await trx
            .selectFrom('mentions')
            .select('id')
            .where('id', '>', after)
            .orderBy('id')
            .limit(REBUILD_CHUNK)
            .execute()
        ).map((r) => r.id);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] ?? after;
    const mentions = await trx
      .selectFrom('mentions')
      .select(['id', 'title', 'text', 'terms', 'author_handle'])
      .where('id', 'in', ids)
      .execute();
    const missing = mentions.filter((m) => m.terms === null);
    const termsOf = new Map<number, string[]>();
    for (const m of mentions) termsOf.set(m.id, m.terms ?? mentionTerms(m.title, m.text));
    if (missing.length) {
      await sql`
        update mentions set terms = t.terms
        from unnest(${missing.map((m) => m.id)}::bigint[], ${missing.map((m) => JSON.stringify(termsOf.get(m.id)))}::jsonb[])
          as t(id, terms)
        where mentions.id = t.id
      `.execute(trx);
      termsExtracted += missing.length;
    }
    let links = trx
      .selectFrom('mention_watches')
      .select([
        'mention_id',
        'watch_id',
        'workspace_id',
        'published_at',
        'sentiment_score',
        'sentiment_label',
      ])
      .select('matched_terms')
      .where('mention_id', 'in', ids)
      .where('owned', '=', false)
      .where('duplicate', '=', false);
    if (watchId) links = links.where('watch_id', '=', watchId);
    const rows = await links.execute();
    const author = new Map(mentions.map((m) => [m.id, m.author_handle]));
    const contributions: RollupContribution[] = rows.map((l) => ({
      watchId: l.watch_id,
      workspaceId: l.workspace_id,
      publishedAt: l.published_at,
      sentimentScore: 0,
      sentimentLabel: l.sentiment_label,
      terms: termsForWatch(termsOf.get(l.mention_id) ?? [], l.matched_terms),
      author: author.get(l.mention_id) ?? null,
    }));
    const terms = new Map<string, TermDelta>();
    for (const c of contributions) collectTerms(terms, c, 1);
    await upsertTerms(trx, [...terms.values()], false);
    done += mentions.length;
    onProgress?.(done);
  }
  return termsExtracted;
}

/** The terms stored with a mention: extracted from its title and text together. */
export function mentionTerms(title: string | null, text: string): string[] {
  return extractTerms(title ? `${title}\n${text}` : text);
}
