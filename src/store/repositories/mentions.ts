import { type Kysely, sql } from 'kysely';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { SentimentLabel, SignalKind } from '../../core/mention.ts';
import type { Database, MentionRow } from '../schema.ts';

/** Orders of a mention list: newest or oldest first, or most negative first (ties: newest id first). */
export const MENTION_SORTS = ['newest', 'oldest', 'most_negative'] as const;
export type MentionSort = (typeof MENTION_SORTS)[number];

/** Which mentions: every filter is optional and they combine with AND. */
export interface MentionFilter {
  workspaceId: string;
  watchId?: string | undefined;
  sourceId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** One label (the older parameter; `labels` takes several). */
  sentiment?: SentimentLabel | undefined;
  /** Any of these labels (with a watch: the watch's own label, see below). */
  labels?: SentimentLabel[] | undefined;
  /** Score bounds, inclusive, in [-1, 1]. */
  sentimentMin?: number | undefined;
  sentimentMax?: number | undefined;
  /** Mentions carrying any of these red flags. */
  signals?: SignalKind[] | undefined;
  /** Any of these language codes (`en`, `de`); `und` matches mentions whose language is unknown. */
  languages?: string[] | undefined;
  /** Bounds, inclusive, on the rating normalized to 5 stars (see normalizeRating); unrated mentions drop out. */
  ratingMin?: number | undefined;
  ratingMax?: number | undefined;
  /** Words that must all appear (case-insensitive substrings) in the title or the text. */
  text?: string | undefined;
  /** Author handle (with or without `@`) or name, case-insensitive, whole value. */
  author?: string | undefined;
  includeDuplicates?: boolean | undefined;
  sort?: MentionSort | undefined;
}

export interface MentionListOptions extends MentionFilter {
  limit: number;
  cursor?: string | undefined;
}

export interface MentionView {
  id: number;
  sourceId: string;
  externalId: string;
  url: string | null;
  title: string | null;
  text: string;
  author: { name: string | null; handle: string | null; followers: number | null };
  language: string | null;
  publishedAt: Date;
  fetchedAt: Date;
  engagement: Record<string, number>;
  rating: number | null;
  ratingScale: number | null;
  parentId: string | null;
  threadId: string | null;
  sentiment: { score: number; label: SentimentLabel };
  signals: unknown[];
  duplicateOf: number | null;
}

/** One mention in full: the list view plus the raw upstream payload and the watches it matched. */
export interface MentionDetail extends MentionView {
  raw: unknown;
  watches: { watchId: string; owned: boolean; duplicate: boolean; matchedTerms: string[] }[];
}

/** Every column but `raw`, which can be large and is only served by the single-mention view. */
const LIST_COLUMNS = [
  'm.id',
  'm.source_id',
  'm.external_id',
  'm.url',
  'm.title',
  'm.text',
  'm.author_name',
  'm.author_handle',
  'm.author_followers',
  'm.language',
  'm.published_at',
  'm.fetched_at',
  'm.engagement',
  'm.rating',
  'm.rating_scale',
  'm.parent_id',
  'm.thread_id',
  'm.sentiment_score',
  'm.sentiment_label',
  'm.signals',
  'm.duplicate_of',
] as const;

type ListRow = Omit<
  MentionRow,
  'raw' | 'workspace_id' | 'canonical_url' | 'text_hash' | 'terms' | 'created_at' | 'updated_at'
>;

function toView(r: ListRow): MentionView {
  return {
    id: r.id,
    sourceId: r.source_id,
    externalId: r.external_id,
    url: r.url,
    title: r.title,
    text: r.text,
    author: { name: r.author_name, handle: r.author_handle, followers: r.author_followers },
    language: r.language,
    publishedAt: r.published_at,
    fetchedAt: r.fetched_at,
    engagement: r.engagement,
    rating: r.rating,
    ratingScale: r.rating_scale,
    parentId: r.parent_id,
    threadId: r.thread_id,
    sentiment: { score: r.sentiment_score, label: r.sentiment_label },
    signals: r.signals,
    duplicateOf: r.duplicate_of,
  };
}

export interface MentionPage {
  items: MentionView[];
  nextCursor: string | null;
}

/** Where a page ends: the sort's key of the last row returned and its id. */
export type MentionPosition =
  | { sort: 'newest' | 'oldest'; publishedAt: Date; id: number }
  | { sort: 'most_negative'; score: number; id: number };

/** Cursor = the position of the last row returned, with its sort, opaque to clients. */
export function encodeCursor(p: MentionPosition): string {
  const key = p.sort === 'most_negative' ? p.score : p.publishedAt.toISOString();
  return Buffer.from(JSON.stringify([p.sort, key, p.id])).toString('base64url');
}

const invalidCursor = (message = 'not a cursor returned by this API') =>
  new ValidationError('Invalid cursor', [{ path: 'cursor', message }]);

/**
 * Reads a cursor for `sort`. A cursor of another sort is refused (its key means something else);
 * the two-element form of earlier versions ([publishedAt, id]) is a `newest` cursor.
 */
export function decodeCursor(cursor: string, sort: MentionSort = 'newest'): MentionPosition {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts)) throw invalidCursor();
  const [s, key, id] = parts.length === 2 ? ['newest', ...parts] : parts;
  if (!(MENTION_SORTS as readonly unknown[]).includes(s) || !Number.isSafeInteger(id)) throw invalidCursor();
  if (s !== sort) throw invalidCursor(`this cursor belongs to sort=${String(s)}, not sort=${sort}`);
  if (s === 'most_negative') {
    // Scores are float4: a value float4 cannot hold (it would round to 0) is no score this API gave out.
    if (typeof key !== 'number' || !(key >= -1 && key <= 1) || (key !== 0 && Math.fround(key) === 0)) {
      throw invalidCursor();
    }
    return { sort: s, score: key, id: id as number };
  }
  const publishedAt = new Date(typeof key === 'string' || typeof key === 'number' ? key : Number.NaN);
  if (Number.isNaN(publishedAt.getTime())) throw invalidCursor();
  return { sort: s as 'newest' | 'oldest', publishedAt, id: id as number };
}

function positionOf(sort: MentionSort, row: { published_at: Date; id: number; sentiment_score: number }) {
  return sort === 'most_negative'
    ? { sort, score: row.sentiment_score, id: row.id }
    : { sort, publishedAt: row.published_at, id: row.id };
}

const SENTIMENT_COLUMNS = new Set(['m.sentiment_score', 'm.sentiment_label']);

/** `%` and `_` are LIKE wildcards and `\` its escape character: a search word matches only itself. */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, '\\$&')}%`;
}

/** At most this many words of a text search are used (each one is a condition). */
export const MAX_SEARCH_WORDS = 8;

export function searchWords(text: string): string[] {
  return [...new Set(text.trim().split(/\s+/).filter(Boolean))].slice(0, MAX_SEARCH_WORDS);
}

/** The filter's rows in the sort's order, from after `after`, at most `limit` of them. */
function selectMentions(
  db: Kysely<Database>,
  f: MentionFilter,
  after: MentionPosition | undefined,
  limit: number,
) {
  const sort = f.sort ?? 'newest';
  const watchId = f.watchId;
  // Listed for a watch, a mention shows and is filtered by that watch's own score (its link row), which
  // differs from the mention's when the watch has a custom lexicon; otherwise by the mention's score.
  const score = watchId ? sql<number>`mw.sentiment_score` : sql<number>`m.sentiment_score`;
  const label = watchId ? sql<SentimentLabel>`mw.sentiment_label` : sql<SentimentLabel>`m.sentiment_label`;
  // For a watch, time and id come from the link row (a copy of the mention's): ordering and paging
  // then walk the index mention_watches_watch_published_idx instead of sorting all of the watch's rows.
  const published = watchId ? sql<Date>`mw.published_at` : sql<Date>`m.published_at`;
  const id = watchId ? sql<number>`mw.mention_id` : sql<number>`m.id`;
  let q = db
    .selectFrom('mentions as m')
    .select(LIST_COLUMNS.filter((c) => !SENTIMENT_COLUMNS.has(c)))
    .select([score.as('sentiment_score'), label.as('sentiment_label')])
    .where('m.workspace_id', '=', f.workspaceId)
    .limit(limit);
  if (sort === 'newest') q = q.orderBy(published, 'desc').orderBy(id, 'desc');
  else if (sort === 'oldest') q = q.orderBy(published, 'asc').orderBy(id, 'asc');
  else q = q.orderBy(score, 'asc').orderBy(id, 'desc');
  if (watchId) {
    // One link row per (watch, mention): the primary key makes this join at most one row per mention.
    // On id alone, deliberately: adding published_at and workspace_id (the rest of the key) makes the
    // planner count the correlated keys as independent, expect one row and pick a hash join over every
    // link (11 s against 49 ms for the first page at 10M mentions, bench:scale).
    q = q.innerJoin('mention_watches as mw', (j) =>
      j.onRef('mw.mention_id', '=', 'm.id').on('mw.watch_id', '=', watchId),
    );
    if (!f.includeDuplicates) q = q.where(sql<boolean>`mw.duplicate`, '=', false);
  } else if (!f.includeDuplicates) {
    q = q.where('m.duplicate_of', 'is', null);
  }
  if (f.sourceId) q = q.where('m.source_id', '=', f.sourceId);
  if (f.from) q = q.where(published, '>=', f.from);
  if (f.to) q = q.where(published, '<', f.to);
  const labels = [...(f.labels ?? []), ...(f.sentiment ? [f.sentiment] : [])];
  if (labels.length) q = q.where(label, 'in', labels);
  if (f.sentimentMin !== undefined) q = q.where(score, '>=', f.sentimentMin);
  if (f.sentimentMax !== undefined) q = q.where(score, '<=', f.sentimentMax);
  if (f.signals?.length) {
    const kinds = f.signals;
    // jsonb containment, served by the GIN index mentions_signals_idx (migration 0002).
    q = q.where((eb) =>
      eb.or(kinds.map((kind) => eb(sql`m.signals`, '@>', sql`${JSON.stringify([{ kind }])}::jsonb`))),
    );
  }
  if (f.languages?.length) {
    const codes = f.languages.filter((l) => l !== 'und');
    const unknown = codes.length < f.languages.length;
    q = q.where((eb) =>
      eb.or([
        ...(codes.length ? [eb('m.language', 'in', codes)] : []),
        ...(unknown ? [eb('m.language', 'is', null)] : []),
      ]),
    );
  }
  if (f.ratingMin !== undefined || f.ratingMax !== undefined) {
    // The rollups' normalizeRating in SQL (float8 over the stored float4, as it computes): x 5 / scale,
    // a missing or non-positive scale counting as 5, clamped to [0, 5]. NaN and infinities are no rating.
    const stars = sql<number>`least(5, greatest(0, m.rating::float8 * 5 / (case when m.rating_scale > 0 then m.rating_scale::float8 else 5 end)))`;
    q = q.where(sql<boolean>`m.rating > '-Infinity'::real and m.rating < 'Infinity'::real`);
    if (f.ratingMin !== undefined) q = q.where(stars, '>=', sql<number>`${f.ratingMin}::float8`);
    if (f.ratingMax !== undefined) q = q.where(stars, '<=', sql<number>`${f.ratingMax}::float8`);
  }
  if (f.text) {
    for (const word of searchWords(f.text)) {
      const pattern = likePattern(word);
      q = q.where((eb) =>
        eb.or([eb('m.text', 'ilike', pattern), eb(sql`coalesce(m.title, '')`, 'ilike', pattern)]),
      );
    }
  }
  if (f.author) {
    const name = f.author.trim().toLowerCase();
    const handle = name.replace(/^@/, '');
    q = q.where((eb) =>
      eb.or([eb(sql`lower(m.author_handle)`, '=', handle), eb(sql`lower(m.author_name)`, '=', name)]),
    );
  }
  if (after) {
    if (after.sort === 'most_negative') {
      // The score parameter stays untyped, so it is read as float4 like the column: a cursor's score
      // (the column's value printed in full) then compares equal to the row it came from.
      q = q.where(
        sql<boolean>`(${score} > ${after.score} or (${score} = ${after.score} and ${id} < ${after.id}))`,
      );
    } else {
      const op = sql.raw(after.sort === 'newest' ? '<' : '>');
      q = q.where(
        sql<boolean>`(${published}, ${id}) ${op} (${after.publishedAt}::timestamptz, ${after.id}::bigint)`,
      );
    }
  }
  return q;
}

/** Mentions in the chosen order (newest first by default), keyset-paginated so deep pages cost the same as the first. */
export async function listMentions(db: Kysely<Database>, f: MentionListOptions): Promise<MentionPage> {
  const sort = f.sort ?? 'newest';
  const after = f.cursor ? decodeCursor(f.cursor, sort) : undefined;
  const rows = await selectMentions(db, f, after, f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > f.limit && last ? encodeCursor(positionOf(sort, last)) : null,
  };
}

/**
 * Rows per query of streamMentions: large enough that round trips do not dominate (~200 KB of CSV
 * each), small enough that a batch's row objects are few when a young-generation GC finds them alive
 * (what survives is promoted to the old generation, which is only emptied by a full GC).
 */
export const STREAM_BATCH_SIZE = 500;

/**
 * Every mention of the filter, in batches of `batchSize`, each fetched by its own keyset query when
 * the consumer asks for it: memory holds one batch whatever the count, and nothing holds a
 * transaction or a connection between batches (a long export never blocks writers or the pool).
 */
export async function* streamMentions(
  db: Kysely<Database>,
  f: MentionFilter,
  opts: { batchSize?: number } = {},
): AsyncGenerator<MentionView[], void, undefined> {
  const sort = f.sort ?? 'newest';
  const batchSize = opts.batchSize ?? STREAM_BATCH_SIZE;
  let after: MentionPosition | undefined;
  for (;;) {
    const rows = await selectMentions(db, f, after, batchSize).execute();
    if (rows.length > 0) yield rows.map(toView);
    const last = rows[rows.length - 1];
    if (rows.length < batchSize || !last) return;
    after = positionOf(sort, last);
  }
}

/** One mention of the workspace with its raw payload and watch links, or NOT_FOUND. */
export async function getMention(
  db: Kysely<Database>,
  workspaceId: string,
  id: number,
): Promise<MentionDetail> {
  const row = await db
    .selectFrom('mentions as m')
    .select([...LIST_COLUMNS, 'm.raw'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Mention', id);
  const links = await db
    .selectFrom('mention_watches')
    .select(['watch_id', 'owned', 'duplicate', 'matched_terms'])
    .where('mention_id', '=', id)
    .orderBy('watch_id')
    .execute();
  return {
    ...toView(row),
    raw: row.raw,
    watches: links.map((l) => ({
      watchId: l.watch_id,
      owned: l.owned,
      duplicate: l.duplicate,
      matchedTerms: l.matched_terms,
    })),
  };
}

export async function countMentions(
  db: Kysely<Database>,
  workspaceId: string,
  sourceId?: string,
): Promise<number> {
  let q = db
    .selectFrom('mentions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId);
  if (sourceId) q = q.where('source_id', '=', sourceId);
  const row = await q.executeTakeFirstOrThrow();
  return row.n;
}
