import { type Kysely, sql } from 'kysely';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { SentimentLabel, SignalKind } from '../../core/mention.ts';
import type { Database, MentionRow } from '../schema.ts';

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
  includeDuplicates?: boolean | undefined;
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

/** Cursor = position of the last row returned: (published_at, id), opaque to clients. */
export function encodeCursor(publishedAt: Date, id: number): string {
  return Buffer.from(JSON.stringify([publishedAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { publishedAt: Date; id: number } {
  try {
    const [p, i] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number];
    const publishedAt = new Date(p);
    if (Number.isNaN(publishedAt.getTime()) || !Number.isSafeInteger(i)) throw new Error('bad cursor');
    return { publishedAt, id: i };
  } catch {
    throw new ValidationError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor returned by this API' },
    ]);
  }
}

const SENTIMENT_COLUMNS = new Set(['m.sentiment_score', 'm.sentiment_label']);

/** Mentions newest first, keyset-paginated so deep pages cost the same as the first. */
export async function listMentions(db: Kysely<Database>, f: MentionFilter): Promise<MentionPage> {
  const after = f.cursor ? decodeCursor(f.cursor) : undefined;
  const watchId = f.watchId;
  // Listed for a watch, a mention shows and is filtered by that watch's own score (its link row), which
  // differs from the mention's when the watch has a custom lexicon; otherwise by the mention's score.
  const score = watchId ? sql<number>`mw.sentiment_score` : sql<number>`m.sentiment_score`;
  const label = watchId ? sql<SentimentLabel>`mw.sentiment_label` : sql<SentimentLabel>`m.sentiment_label`;
  let q = db
    .selectFrom('mentions as m')
    .select(LIST_COLUMNS.filter((c) => !SENTIMENT_COLUMNS.has(c)))
    .select([score.as('sentiment_score'), label.as('sentiment_label')])
    .where('m.workspace_id', '=', f.workspaceId)
    .orderBy('m.published_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(f.limit + 1);
  if (watchId) {
    // One link row per (watch, mention): the primary key makes this join at most one row per mention.
    q = q.innerJoin('mention_watches as mw', (j) =>
      j.onRef('mw.mention_id', '=', 'm.id').on('mw.watch_id', '=', watchId),
    );
    if (!f.includeDuplicates) q = q.where(sql<boolean>`mw.duplicate`, '=', false);
  } else if (!f.includeDuplicates) {
    q = q.where('m.duplicate_of', 'is', null);
  }
  if (f.sourceId) q = q.where('m.source_id', '=', f.sourceId);
  if (f.from) q = q.where('m.published_at', '>=', f.from);
  if (f.to) q = q.where('m.published_at', '<', f.to);
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
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('m.published_at', '<', after.publishedAt),
        eb.and([eb('m.published_at', '=', after.publishedAt), eb('m.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.published_at, last.id) : null,
  };
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
