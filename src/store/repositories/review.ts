import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { NotFoundError, TrustwatchError, ValidationError } from '../../core/errors.ts';
import type { Engagement, SentimentLabel, Signal } from '../../core/mention.ts';
import {
  OPEN_REVIEW_STATES,
  type ReviewPriority,
  type ReviewReason,
  type ReviewState,
  canTransition,
  compileReviewRule,
  decideReview,
} from '../../core/review.ts';
import { isUuid } from '../ids.ts';
import type { Database, ReviewItemsTable } from '../schema.ts';
import { type UnnestColumn, columnList, toJsonb, unnestSelect } from '../unnest.ts';
import { recordAudit } from './audit.ts';
import { listReviewRules } from './review-rules.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** One stored (mention, watch) link of a batch and the mention as written: what the queue decides on. */
export interface ReviewLinkInput {
  mention_id: number;
  watch_id: string;
  owned: boolean;
  duplicate: boolean;
  sentiment_label: SentimentLabel;
  write: {
    text: string;
    title: string | null;
    authorHandle: string | null;
    authorFollowers: number | null;
    engagement: Engagement;
    signals: Signal[];
    publishedAt: Date;
  };
}

function engagementTotal(e: Engagement): number {
  return (e.likes ?? 0) + (e.replies ?? 0) + (e.shares ?? 0);
}

/**
 * Puts the mentions of a just-stored batch that need a human into the review queue, in the batch's
 * transaction (a crash stores both or neither). Idempotent per (mention, watch): an item already in
 * the queue is left as the reviewers left it. Returns how many items entered.
 */
export async function enqueueReviewItems(
  trx: Transaction<Database>,
  workspaceId: string,
  links: ReviewLinkInput[],
): Promise<number> {
  const eligible = links.filter((l) => !l.owned && !l.duplicate);
  if (eligible.length === 0) return 0;
  const rules = (await listReviewRules(trx, workspaceId, { enabledOnly: true })).flatMap((r) => {
    try {
      return [compileReviewRule(r)];
    } catch {
      // Rules are validated when saved; one that no longer compiles must not block ingest.
      return [];
    }
  });
  const createdAt = new Date();
  const rows: { link: ReviewLinkInput; decision: NonNullable<ReturnType<typeof decideReview>> }[] = [];
  for (const l of eligible) {
    const decision = decideReview(
      {
        watchId: l.watch_id,
        text: l.write.text,
        title: l.write.title,
        authorHandle: l.write.authorHandle,
        authorFollowers: l.write.authorFollowers,
        engagement: engagementTotal(l.write.engagement),
        sentimentLabel: l.sentiment_label,
        signalKinds: l.write.signals.map((s) => s.kind),
        owned: l.owned,
        duplicate: l.duplicate,
      },
      rules,
    );
    if (decision) rows.push({ link: l, decision });
  }
  if (rows.length === 0) return 0;
  const at = createdAt.toISOString();
  // unnest arrays (one parameter per column) and one statement for the items and their first
  // history entry: this runs inside every ingest batch, so it is kept to a single round trip.
  const columns: UnnestColumn[] = [
    { name: 'workspace_id', type: 'uuid', values: rows.map(() => workspaceId) },
    { name: 'mention_id', type: 'bigint', values: rows.map((r) => r.link.mention_id) },
    { name: 'watch_id', type: 'uuid', values: rows.map((r) => r.link.watch_id) },
    { name: 'state', type: 'text', values: rows.map((r) => r.decision.state) },
    { name: 'assignee', type: 'text', values: rows.map((r) => r.decision.assignee) },
    { name: 'tags', type: 'jsonb', values: rows.map((r) => toJsonb(r.decision.tags)) },
    { name: 'priority', type: 'text', values: rows.map((r) => r.decision.priority) },
    { name: 'reasons', type: 'jsonb', values: rows.map((r) => toJsonb(r.decision.reasons)) },
    { name: 'signal_kinds', type: 'jsonb', values: rows.map((r) => toJsonb(r.decision.signalKinds)) },
    {
      name: 'published_at',
      type: 'timestamptz',
      values: rows.map((r) => r.link.write.publishedAt.toISOString()),
    },
    // One time for the whole batch, the way it entered.
    { name: 'created_at', type: 'timestamptz', values: rows.map(() => at) },
    { name: 'updated_at', type: 'timestamptz', values: rows.map(() => at) },
  ];
  const { rows: result } = await sql<{ entered: number }>`
    with ins as (
      insert into review_items ${columnList(columns)} ${unnestSelect(columns)}
      on conflict (mention_id, watch_id, workspace_id) do nothing
      returning id, state, assignee, priority, tags, reasons
    ), hist as (
      insert into review_history (item_id, workspace_id, action, actor, details)
      select id, ${workspaceId}::uuid, 'entered', 'ingest',
        jsonb_build_object('reasons', reasons, 'state', state, 'assignee', assignee, 'priority', priority, 'tags', tags)
      from ins
      returning 1
    )
    select count(*)::int as entered from hist
  `.execute(trx);
  return Number(result[0]?.entered ?? 0);
}

export interface ReviewItem {
  id: string;
  mentionId: number;
  watchId: string;
  state: ReviewState;
  assignee: string | null;
  tags: string[];
  priority: ReviewPriority;
  reasons: ReviewReason[];
  signalKinds: string[];
  publishedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  respondedAt: Date | null;
  responseUrl: string | null;
  firstResponseSeconds: number | null;
  /** A short view of the post, with the link to the original. */
  mention: {
    url: string | null;
    title: string | null;
    text: string;
    authorHandle: string | null;
    authorName: string | null;
    authorFollowers: number | null;
    sentimentLabel: SentimentLabel;
    sentimentScore: number;
  };
}

type ItemRow = Selectable<ReviewItemsTable> & {
  m_url: string | null;
  m_title: string | null;
  m_text: string;
  m_author_handle: string | null;
  m_author_name: string | null;
  m_author_followers: number | null;
  m_sentiment_label: SentimentLabel;
  m_sentiment_score: number;
};

function toItem(r: ItemRow): ReviewItem {
  return {
    id: r.id,
    mentionId: Number(r.mention_id),
    watchId: r.watch_id,
    state: r.state,
    assignee: r.assignee,
    tags: r.tags,
    priority: r.priority,
    reasons: r.reasons as ReviewReason[],
    signalKinds: r.signal_kinds,
    publishedAt: r.published_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    respondedAt: r.responded_at,
    responseUrl: r.response_url,
    firstResponseSeconds: r.first_response_seconds,
    mention: {
      url: r.m_url,
      title: r.m_title,
      text: r.m_text,
      authorHandle: r.m_author_handle,
      authorName: r.m_author_name,
      authorFollowers: r.m_author_followers,
      sentimentLabel: r.m_sentiment_label,
      sentimentScore: r.m_sentiment_score,
    },
  };
}

function itemQuery(db: Db, workspaceId: string) {
  return db
    .selectFrom('review_items as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .selectAll('r')
    .select([
      'm.url as m_url',
      'm.title as m_title',
      'm.text as m_text',
      'm.author_handle as m_author_handle',
      'm.author_name as m_author_name',
      'm.author_followers as m_author_followers',
      'm.sentiment_label as m_sentiment_label',
      'm.sentiment_score as m_sentiment_score',
    ])
    .where('r.workspace_id', '=', workspaceId);
}

export interface ReviewFilter {
  states?: ReviewState[] | undefined;
  watchId?: string | undefined;
  assignee?: string | undefined;
  unassigned?: boolean | undefined;
  signals?: string[] | undefined;
  priorities?: ReviewPriority[] | undefined;
  limit?: number | undefined;
  /** Items of posts published before this one's (keyset: `${publishedAt ISO}|${id}`, base64url). */
  cursor?: string | undefined;
}

export function encodeReviewCursor(item: { publishedAt: Date; id: string }): string {
  return Buffer.from(`${item.publishedAt.toISOString()}|${item.id}`).toString('base64url');
}

function decodeReviewCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !isUuid(id) || Number.isNaN(Date.parse(at))) {
    throw new ValidationError('Invalid cursor: pass nextCursor from the previous page', [
      { path: 'cursor', message: 'invalid' },
    ]);
  }
  return { at: new Date(at), id };
}

/** The queue, newest posts first (a backfill enters many at once; the post time orders them). */
export async function listReviewItems(
  db: Db,
  workspaceId: string,
  f: ReviewFilter = {},
): Promise<{ items: ReviewItem[]; nextCursor: string | null }> {
  const limit = f.limit ?? 50;
  let q = itemQuery(db, workspaceId);
  if (f.states?.length) q = q.where('r.state', 'in', f.states);
  if (f.watchId) q = q.where('r.watch_id', '=', f.watchId);
  if (f.assignee) q = q.where('r.assignee', '=', f.assignee);
  if (f.unassigned) q = q.where('r.assignee', 'is', null);
  if (f.priorities?.length) q = q.where('r.priority', 'in', f.priorities);
  if (f.signals?.length) {
    // Any of the kinds: jsonb containment per kind, parameterized.
    const signals = f.signals;
    q = q.where((eb) =>
      eb.or(signals.map((k) => eb(sql`r.signal_kinds`, '@>', sql`${JSON.stringify([k])}::jsonb`))),
    );
  }
  if (f.cursor) {
    const c = decodeReviewCursor(f.cursor);
    q = q.where(sql<boolean>`(r.published_at, r.id) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }
  const rows = (await q
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1)
    .execute()) as ItemRow[];
  const items = rows.slice(0, limit).map(toItem);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeReviewCursor(last) : null };
}

export interface ReviewNote {
  id: number;
  author: string;
  body: string;
  createdAt: Date;
}

export interface ReviewEvent {
  id: number;
  action: string;
  actor: string;
  details: Record<string, unknown>;
  at: Date;
}

export async function getReviewItem(db: Db, workspaceId: string, id: string): Promise<ReviewItem> {
  if (!isUuid(id)) throw new NotFoundError('Review item', id);
  const row = (await itemQuery(db, workspaceId).where('r.id', '=', id).executeTakeFirst()) as
    | ItemRow
    | undefined;
  if (!row) throw new NotFoundError('Review item', id);
  return toItem(row);
}

/** One item with its notes and history, oldest first. */
export async function getReviewItemDetail(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<ReviewItem & { notes: ReviewNote[]; history: ReviewEvent[] }> {
  const item = await getReviewItem(db, workspaceId, id);
  const [notes, history] = await Promise.all([
    db
      .selectFrom('review_notes')
      .select(['id', 'author', 'body', 'created_at'])
      .where('item_id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('review_history')
      .select(['id', 'action', 'actor', 'details', 'at'])
      .where('item_id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute(),
  ]);
  return {
    ...item,
    notes: notes.map((n) => ({ id: Number(n.id), author: n.author, body: n.body, createdAt: n.created_at })),
    history: history.map((h) => ({
      id: Number(h.id),
      action: h.action,
      actor: h.actor,
      details: h.details,
      at: h.at,
    })),
  };
}

export interface ReviewPatch {
  state?: ReviewState | undefined;
  /** null unassigns. */
  assignee?: string | null | undefined;
  tags?: string[] | undefined;
  priority?: ReviewPriority | undefined;
}

export interface ReviewResponse {
  url: string;
  /** When the public reply was posted; default now. */
  at?: Date | undefined;
}

async function lockItem(trx: Transaction<Database>, workspaceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError('Review item', id);
  const row = await trx
    .selectFrom('review_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Review item', id);
  return row;
}

/**
 * Applies a change to one item inside a transaction: checks the state machine, writes the item, its
 * history and the audit log. Returns what changed (empty when nothing did: repeating is harmless).
 */
async function applyPatch(
  trx: Transaction<Database>,
  workspaceId: string,
  id: string,
  patch: ReviewPatch & { response?: ReviewResponse },
  actor: string,
  now: Date,
): Promise<Record<string, { from: unknown; to: unknown }>> {
  const row = await lockItem(trx, workspaceId, id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  if (patch.state !== undefined && patch.state !== row.state) {
    if (patch.state === 'responded' && !patch.response) {
      throw new ValidationError('Mark an item responded with POST /review/{id}/respond and the reply URL', [
        { path: 'state', message: 'use the respond action' },
      ]);
    }
    if (patch.state === 'new' || !canTransition(row.state, patch.state)) {
      throw new TrustwatchError('CONFLICT', `A review item cannot go from ${row.state} to ${patch.state}`, {
        details: { field: 'state', from: row.state, to: patch.state },
      });
    }
    changes.state = { from: row.state, to: patch.state };
    set.state = patch.state;
  }
  if (patch.response) {
    const at = patch.response.at ?? now;
    if (at.getTime() > now.getTime() + 5 * 60_000) {
      throw new ValidationError('The reply time is in the future', [
        { path: 'at', message: 'in the future' },
      ]);
    }
    if (at.getTime() < row.published_at.getTime()) {
      throw new ValidationError('The reply time is before the post was published', [
        { path: 'at', message: 'before the post' },
      ]);
    }
    if (row.state !== 'responded' && !canTransition(row.state, 'responded')) {
      throw new TrustwatchError('CONFLICT', `A review item cannot go from ${row.state} to responded`, {
        details: { field: 'state', from: row.state, to: 'responded' },
      });
    }
    if (row.state !== 'responded') {
      changes.state = { from: row.state, to: 'responded' };
      set.state = 'responded';
    }
    if (row.response_url !== patch.response.url) {
      changes.responseUrl = { from: row.response_url, to: patch.response.url };
      set.response_url = patch.response.url;
    }
    // The first response is what the customer waited for; later replies keep it.
    if (row.responded_at === null) {
      const seconds = Math.max(0, Math.round((at.getTime() - row.published_at.getTime()) / 1000));
      changes.firstResponseSeconds = { from: null, to: seconds };
      set.responded_at = at;
      set.first_response_seconds = seconds;
    }
  }
  if (patch.assignee !== undefined && patch.assignee !== row.assignee) {
    changes.assignee = { from: row.assignee, to: patch.assignee };
    set.assignee = patch.assignee;
  }
  if (patch.tags !== undefined) {
    const tags = [...new Set(patch.tags)].sort();
    if (JSON.stringify(tags) !== JSON.stringify([...row.tags].sort())) {
      changes.tags = { from: row.tags, to: tags };
      set.tags = JSON.stringify(tags);
    }
  }
  if (patch.priority !== undefined && patch.priority !== row.priority) {
    changes.priority = { from: row.priority, to: patch.priority };
    set.priority = patch.priority;
  }
  if (Object.keys(changes).length === 0) return changes;
  await trx
    .updateTable('review_items')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
  const action = changes.state ? `state:${String(changes.state.to)}` : 'update';
  await trx
    .insertInto('review_history')
    .values({ item_id: id, workspace_id: workspaceId, action, actor, details: JSON.stringify(changes) })
    .execute();
  await recordAudit(trx, {
    workspaceId,
    actor,
    action: `review.${changes.state ? String(changes.state.to) : 'update'}`,
    targetType: 'review_item',
    targetId: id,
    details: changes,
  });
  return changes;
}

export async function updateReviewItem(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: ReviewPatch,
  actor: string,
  now = new Date(),
): Promise<{ item: ReviewItem; changed: boolean }> {
  const changes = await db
    .transaction()
    .execute((trx) => applyPatch(trx, workspaceId, id, patch, actor, now));
  return { item: await getReviewItem(db, workspaceId, id), changed: Object.keys(changes).length > 0 };
}

/** Records the public reply: state responded, its URL, and (the first time) the first-response time. */
export async function respondReviewItem(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  response: ReviewResponse,
  actor: string,
  now = new Date(),
): Promise<{ item: ReviewItem; changed: boolean }> {
  const changes = await db
    .transaction()
    .execute((trx) => applyPatch(trx, workspaceId, id, { response }, actor, now));
  return { item: await getReviewItem(db, workspaceId, id), changed: Object.keys(changes).length > 0 };
}

export async function addReviewNote(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  body: string,
  author: string,
): Promise<ReviewNote> {
  return db.transaction().execute(async (trx) => {
    await lockItem(trx, workspaceId, id);
    const note = await trx
      .insertInto('review_notes')
      .values({ item_id: id, workspace_id: workspaceId, author, body })
      .returning(['id', 'author', 'body', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('review_history')
      .values({
        item_id: id,
        workspace_id: workspaceId,
        action: 'note',
        actor: author,
        details: JSON.stringify({ noteId: Number(note.id) }),
      })
      .execute();
    await trx.updateTable('review_items').set({ updated_at: new Date() }).where('id', '=', id).execute();
    return { id: Number(note.id), author: note.author, body: note.body, createdAt: note.created_at };
  });
}

export const BULK_ACTIONS = [
  'assign',
  'unassign',
  'start',
  'escalate',
  'dismiss',
  'reopen',
  'tag',
  'priority',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkRequest {
  ids: string[];
  action: BulkAction;
  assignee?: string | undefined;
  tags?: string[] | undefined;
  priority?: ReviewPriority | undefined;
}

/**
 * One action on many items, in one transaction. An item that is missing (or another workspace's) or
 * cannot make the transition is skipped with the reason; the others are applied.
 */
export async function bulkReview(
  db: Kysely<Database>,
  workspaceId: string,
  req: BulkRequest,
  actor: string,
  now = new Date(),
): Promise<{
  updated: string[];
  unchanged: string[];
  skipped: { id: string; code: string; reason: string }[];
}> {
  const patchFor = (current: { tags: string[] }): ReviewPatch => {
    switch (req.action) {
      case 'assign':
        if (!req.assignee) {
          throw new ValidationError('assign needs an assignee', [{ path: 'assignee', message: 'required' }]);
        }
        return { assignee: req.assignee };
      case 'unassign':
        return { assignee: null };
      case 'start':
      case 'reopen':
        return { state: 'in_review' };
      case 'escalate':
        return { state: 'escalated' };
      case 'dismiss':
        return { state: 'dismissed' };
      case 'tag':
        if (!req.tags?.length)
          throw new ValidationError('tag needs tags', [{ path: 'tags', message: 'required' }]);
        return { tags: [...current.tags, ...req.tags] };
      case 'priority':
        if (!req.priority) {
          throw new ValidationError('priority needs a priority', [{ path: 'priority', message: 'required' }]);
        }
        return { priority: req.priority };
    }
  };
  // Check the request itself before touching any item.
  patchFor({ tags: [] });
  const ids = [...new Set(req.ids)];
  return db.transaction().execute(async (trx) => {
    const updated: string[] = [];
    const unchanged: string[] = [];
    const skipped: { id: string; code: string; reason: string }[] = [];
    for (const id of ids) {
      // applyPatch refuses (not found, bad transition) before it writes anything, so a refused item
      // leaves the transaction clean and the others still apply.
      try {
        const current = await lockItem(trx, workspaceId, id);
        const changes = await applyPatch(trx, workspaceId, id, patchFor(current), actor, now);
        (Object.keys(changes).length ? updated : unchanged).push(id);
      } catch (err) {
        if (err instanceof TrustwatchError) skipped.push({ id, code: err.code, reason: err.message });
        else throw err;
      }
    }
    if (updated.length) {
      await recordAudit(trx, {
        workspaceId,
        actor,
        action: `review.bulk.${req.action}`,
        targetType: 'review_item',
        targetId: null,
        details: { count: updated.length },
      });
    }
    return { updated, unchanged, skipped };
  });
}

export interface ReviewWatchStats {
  watchId: string;
  watchName: string;
  /** Items first responded to within the window. */
  responded: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Items waiting now (new, in review, escalated), whatever the window. */
  openBacklog: number;
  /** Age of the oldest waiting post, from its publication. */
  oldestOpenSeconds: number | null;
}

/**
 * First-response time per watch over [from, to): median and 90th percentile (linear interpolation,
 * PostgreSQL's percentile_cont) of the seconds from publication to the first public reply.
 */
export async function reviewStats(
  db: Db,
  workspaceId: string,
  window: { from: Date; to: Date; watchId?: string | undefined },
  now = new Date(),
): Promise<ReviewWatchStats[]> {
  const inWindow = sql`r.responded_at >= ${window.from} and r.responded_at < ${window.to} and r.first_response_seconds is not null`;
  const open = sql`r.state in (${sql.join(OPEN_REVIEW_STATES)})`;
  let q = db
    .selectFrom('watches as w')
    .leftJoin('review_items as r', (j) =>
      j.onRef('r.watch_id', '=', 'w.id').on('r.workspace_id', '=', workspaceId),
    )
    .select([
      'w.id as watch_id',
      'w.name as watch_name',
      sql<string>`count(r.id) filter (where ${inWindow})`.as('responded'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by r.first_response_seconds) filter (where ${inWindow})`.as(
        'median',
      ),
      sql<
        number | null
      >`percentile_cont(0.9) within group (order by r.first_response_seconds) filter (where ${inWindow})`.as(
        'p90',
      ),
      sql<string>`count(r.id) filter (where ${open})`.as('open'),
      sql<Date | null>`min(r.published_at) filter (where ${open})`.as('oldest_open'),
    ])
    .where('w.workspace_id', '=', workspaceId)
    .groupBy(['w.id', 'w.name'])
    .orderBy('w.name');
  if (window.watchId) q = q.where('w.id', '=', window.watchId);
  const rows = await q.execute();
  return rows.map((r) => ({
    watchId: r.watch_id,
    watchName: r.watch_name,
    responded: Number(r.responded),
    medianSeconds: r.median === null ? null : Number(r.median),
    p90Seconds: r.p90 === null ? null : Number(r.p90),
    openBacklog: Number(r.open),
    oldestOpenSeconds: r.oldest_open
      ? Math.max(0, Math.round((now.getTime() - new Date(r.oldest_open).getTime()) / 1000))
      : null,
  }));
}
