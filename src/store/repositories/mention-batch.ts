import { type Transaction, sql } from 'kysely';
import type { Engagement, SentimentLabel, Signal } from '../../core/mention.ts';
import { termsForWatch } from '../../core/terms.ts';
import { PARTITIONED_TABLES, ensureMonthPartitions, monthOf, partitionName } from '../partitions.ts';
import type { Database } from '../schema.ts';
import { type UnnestColumn, columnList, toJsonb, unnestSelect } from '../unnest.ts';
import { enqueueReviewItems } from './review.ts';
import {
  HOUR_MS,
  type RollupContribution,
  applyRollupDeltas,
  mentionTerms,
  normalizeRating,
} from './rollups.ts';

/** A fully processed mention, ready to store (the output of the ingest pipeline). */
export interface MentionWrite {
  externalId: string;
  url: string | null;
  canonicalUrl: string | null;
  title: string | null;
  text: string;
  textHash: string;
  authorName: string | null;
  authorHandle: string | null;
  authorFollowers: number | null;
  publishedAt: Date;
  /** The item carried no date: keep the time it was first stored rather than this fetch's time. */
  publishedAtEstimated?: boolean;
  engagement: Engagement;
  rating: number | null;
  ratingScale: number | null;
  parentId: string | null;
  threadId: string | null;
  language: string | null;
  sentimentScore: number;
  sentimentLabel: SentimentLabel;
  signals: Signal[];
  raw: unknown;
  matches: {
    watchId: string;
    owned: boolean;
    terms: string[];
    /** This watch's own score (the watch has a custom lexicon); absent means the mention's score. */
    sentimentScore?: number;
    sentimentLabel?: SentimentLabel;
  }[];
}

export interface BatchOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Newly stored items that repeat an earlier mention (same URL, or same text in a watch within 24 h). */
  duplicates: number;
}

/** Two mentions with the same text in one watch within this window count once. */
export const TEXT_DUPLICATE_WINDOW_MS = 24 * HOUR_MS;

interface ExistingRow {
  id: number;
  external_id: string;
  text_hash: string;
  title: string | null;
  url: string | null;
  published_at: Date;
  rating: number | null;
  engagement: Record<string, number>;
  sentiment_score: number;
  language: string | null;
  // What the mention added to its rollups, to take back out when it changes.
  signals: unknown[];
  rating_scale: number | null;
  author_followers: number | null;
  author_handle: string | null;
  terms: string[] | null;
}

/** Distinct signal kinds of a stored or incoming signal list (tolerates malformed stored json). */
function signalKinds(signals: unknown): string[] {
  if (!Array.isArray(signals)) return [];
  const kinds = new Set<string>();
  for (const s of signals) {
    const kind = (s as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string') kinds.add(kind);
  }
  return [...kinds];
}

function engagementTotal(e: Engagement | Record<string, number>): number {
  return (['likes', 'replies', 'shares'] as const).reduce((t, k) => {
    const v = (e as Engagement)[k];
    return t + (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  }, 0);
}

function engagementJson(e: Engagement): string {
  const out: Record<string, number> = {};
  if (e.likes !== undefined) out.likes = e.likes;
  if (e.replies !== undefined) out.replies = e.replies;
  if (e.shares !== undefined) out.shares = e.shares;
  return JSON.stringify(out);
}

/** Equal within float4 precision (ratings and scores are stored as `real`); nulls equal only nulls. */
function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Compared field by field: jsonb hands keys back in its own order, not the one we wrote. */
function sameEngagement(stored: Record<string, number>, e: Engagement): boolean {
  return (['likes', 'replies', 'shares'] as const).every((k) => (stored[k] ?? null) === (e[k] ?? null));
}

/**
 * Same signals (kind, evidence, span), in any order. Compared so that a scorer upgrade re-stores the
 * mentions it now flags differently, which keeps the rollups' signal counts true.
 */
function sameSignals(stored: unknown, incoming: Signal[]): boolean {
  const key = (s: unknown) => {
    const v = (s ?? {}) as Partial<Signal>;
    return `${v.kind}|${v.evidence}|${v.start ?? ''}|${v.end ?? ''}`;
  };
  const a = Array.isArray(stored) ? stored.map(key).sort() : [];
  const b = incoming.map(key).sort();
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameMatches(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((v, i) => v === sb[i]);
}

/**
 * Stores one batch of mentions of one source, inside the caller's transaction:
 * upsert on (source_id, external_id), duplicate detection, watch links and rollup refresh.
 * Re-ingesting an unchanged item writes nothing.
 *
 * Idempotency across months: `mentions` is partitioned by month of published_at (migration 0007), and
 * a partitioned table's unique keys must include the partition key, so the database alone can only
 * keep (source_id, external_id) unique within a month. An item whose published_at moves to another
 * month between polls (an edited post, a feed that fixes its dates) would otherwise be stored twice.
 * Ingest therefore looks the batch's items up before writing (across all months) and updates the rows
 * it finds, moving them between partitions, under the per-source advisory lock that already serializes
 * batches of one source. The look-up was needed anyway (change detection and rollup deltas), so this
 * costs no extra round trip; a separate unpartitioned key table (source_id, external_id) -> id would
 * have made the database enforce it but added an insert and an index entry per mention and, on Citus,
 * a second distributed write per row. The look-up probes one small index per monthly partition
 * (bench/scale.bench.ts measures it) and the per-month unique key still catches a writer that skips
 * the lock.
 */
export async function storeMentionBatch(
  trx: Transaction<Database>,
  workspaceId: string,
  sourceId: string,
  input: MentionWrite[],
  fetchedAt: Date,
): Promise<BatchOutcome> {
  // The same item twice in one batch: the later copy wins.
  const byExternal = new Map<string, MentionWrite>();
  for (const w of input) byExternal.set(w.externalId, w);
  let writes = [...byExternal.values()];
  if (writes.length === 0) return { inserted: 0, updated: 0, unchanged: 0, duplicates: 0 };

  // Batches of one source are serialized across processes: the rollup deltas below are computed from
  // what this transaction read, which a concurrent writer of the same items would invalidate, and the
  // cross-month look-up below relies on it. The same round trip finds months without a partition yet
  // (an import of old posts): those are created here, before this batch touches the tables.
  const lastTable = PARTITIONED_TABLES[PARTITIONED_TABLES.length - 1] as string;
  const partitions = [...new Set(writes.map((w) => partitionName(lastTable, monthOf(w.publishedAt))))];
  const { rows: lockRows } = await sql<{ missing: number }>`
    select pg_advisory_xact_lock(hashtext(${sourceId})) is null as locked,
      (select count(*)::int from unnest(${partitions}::text[]) n where to_regclass(quote_ident(n)) is null) as missing
  `.execute(trx);
  if ((lockRows[0]?.missing ?? 0) > 0) {
    await ensureMonthPartitions(
      trx,
      writes.map((w) => w.publishedAt),
    );
  }

  const existingRows: ExistingRow[] = await trx
    .selectFrom('mentions')
    .select([
      'id',
      'external_id',
      'text_hash',
      'title',
      'url',
      'published_at',
      'rating',
      'engagement',
      'sentiment_score',
      'language',
      'signals',
      'rating_scale',
      'author_followers',
      'author_handle',
      'terms',
    ])
    .where('source_id', '=', sourceId)
    .where(
      'external_id',
      'in',
      writes.map((w) => w.externalId),
    )
    .execute();
  const existing = new Map(existingRows.map((r) => [r.external_id, r]));
  writes = writes.map((w) => {
    const old = existing.get(w.externalId);
    return old && w.publishedAtEstimated ? { ...w, publishedAt: old.published_at } : w;
  });
  const existingLinks = existingRows.length
    ? await trx
        .selectFrom('mention_watches')
        .select([
          'mention_id',
          'watch_id',
          'workspace_id',
          'published_at',
          'sentiment_score',
          'sentiment_label',
          'owned',
          'duplicate',
          'matched_terms',
        ])
        .where(
          'mention_id',
          'in',
          existingRows.map((r) => r.id),
        )
        .execute()
    : [];
  const linksByMention = new Map<number, typeof existingLinks>();
  for (const l of existingLinks) {
    const list = linksByMention.get(l.mention_id) ?? [];
    list.push(l);
    linksByMention.set(l.mention_id, list);
  }

  const changed: MentionWrite[] = [];
  let unchanged = 0;
  for (const w of writes) {
    const old = existing.get(w.externalId);
    if (
      old &&
      old.text_hash === w.textHash &&
      old.title === w.title &&
      old.url === w.url &&
      old.published_at.getTime() === w.publishedAt.getTime() &&
      sameNumber(old.rating, w.rating) &&
      sameEngagement(old.engagement, w.engagement) &&
      sameNumber(old.sentiment_score, w.sentimentScore) &&
      old.language === w.language &&
      sameSignals(old.signals, w.signals) &&
      sameMatches(
        (linksByMention.get(old.id) ?? []).map((l) => l.watch_id),
        w.matches.map((m) => m.watchId),
      )
    ) {
      unchanged++;
    } else {
      changed.push(w);
    }
  }
  if (changed.length === 0) return { inserted: 0, updated: 0, unchanged, duplicates: 0 };
  const termsOf = new Map(changed.map((w) => [w.externalId, mentionTerms(w.title, w.text)]));

  const columns: UnnestColumn[] = [
    { name: 'workspace_id', type: 'uuid', values: changed.map(() => workspaceId) },
    { name: 'source_id', type: 'uuid', values: changed.map(() => sourceId) },
    { name: 'external_id', type: 'text', values: changed.map((w) => w.externalId) },
    { name: 'url', type: 'text', values: changed.map((w) => w.url) },
    { name: 'canonical_url', type: 'text', values: changed.map((w) => w.canonicalUrl) },
    { name: 'author_name', type: 'text', values: changed.map((w) => w.authorName) },
    { name: 'author_handle', type: 'text', values: changed.map((w) => w.authorHandle) },
    { name: 'author_followers', type: 'int', values: changed.map((w) => w.authorFollowers) },
    { name: 'title', type: 'text', values: changed.map((w) => w.title) },
    { name: 'text', type: 'text', values: changed.map((w) => w.text) },
    { name: 'text_hash', type: 'text', values: changed.map((w) => w.textHash) },
    { name: 'language', type: 'text', values: changed.map((w) => w.language) },
    { name: 'published_at', type: 'timestamptz', values: changed.map((w) => w.publishedAt.toISOString()) },
    { name: 'fetched_at', type: 'timestamptz', values: changed.map(() => fetchedAt.toISOString()) },
    { name: 'engagement', type: 'jsonb', values: changed.map((w) => engagementJson(w.engagement)) },
    { name: 'rating', type: 'real', values: changed.map((w) => w.rating) },
    { name: 'rating_scale', type: 'real', values: changed.map((w) => w.ratingScale) },
    { name: 'parent_id', type: 'text', values: changed.map((w) => w.parentId) },
    { name: 'thread_id', type: 'text', values: changed.map((w) => w.threadId) },
    { name: 'sentiment_score', type: 'real', values: changed.map((w) => w.sentimentScore) },
    { name: 'sentiment_label', type: 'text', values: changed.map((w) => w.sentimentLabel) },
    { name: 'signals', type: 'jsonb', values: changed.map((w) => toJsonb(w.signals)) },
    { name: 'terms', type: 'jsonb', values: changed.map((w) => toJsonb(termsOf.get(w.externalId))) },
    { name: 'raw', type: 'jsonb', values: changed.map((w) => toJsonb(w.raw)) },
    { name: 'updated_at', type: 'timestamptz', values: changed.map(() => fetchedAt.toISOString()) },
  ];
  // Rows found by the look-up are updated where they are (moved to another month's partition when
  // published_at changed), the rest inserted: one statement, one round trip. Links of the updated
  // mentions are replaced below, so they go first (a move would otherwise cascade to them for nothing).
  const updatedIds = changed.flatMap((w) => {
    const old = existing.get(w.externalId);
    return old ? [old.id] : [];
  });
  if (updatedIds.length) {
    await trx.deleteFrom('mention_watches').where('mention_id', 'in', updatedIds).execute();
  }
  const keys: UnnestColumn[] = [
    { name: 'old_id', type: 'bigint', values: changed.map((w) => existing.get(w.externalId)?.id ?? null) },
    {
      name: 'old_published_at',
      type: 'timestamptz',
      values: changed.map((w) => existing.get(w.externalId)?.published_at.toISOString() ?? null),
    },
  ];
  const keep = new Set(['workspace_id', 'source_id', 'external_id']);
  const updates = columns
    .filter((c) => !keep.has(c.name))
    .map((c) => sql`${sql.ref(c.name)} = d.${sql.ref(c.name)}`);
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const { rows: upserted } = await sql<{ id: number; external_id: string; inserted: boolean }>`
    with d as (${unnestSelect([...columns, ...keys])}),
    upd as (
      update mentions m set ${sql.join(updates)}, duplicate_of = null
      from d
      where d.old_id is not null and m.id = d.old_id and m.published_at = d.old_published_at
        and m.workspace_id = d.workspace_id
      returning m.id, m.external_id, false as inserted
    ),
    ins as (
      insert into mentions (${names}) select ${names} from d where d.old_id is null
      returning id, external_id, true as inserted
    )
    select * from upd union all select * from ins
  `.execute(trx);
  const idOf = new Map(upserted.map((r) => [r.external_id, r.id]));
  const inserted = upserted.filter((r) => r.inserted).length;

  const duplicateOf = await findDuplicates(trx, workspaceId, changed, idOf);
  const writeOfId = new Map(changed.map((w) => [idOf.get(w.externalId) as number, w]));

  const links = changed.flatMap((w) => {
    const id = idOf.get(w.externalId) as number;
    const dup = duplicateOf.get(id);
    return w.matches.map((m) => ({
      mention_id: id,
      watch_id: m.watchId,
      workspace_id: workspaceId,
      published_at: w.publishedAt,
      sentiment_score: m.sentimentScore ?? w.sentimentScore,
      sentiment_label: m.sentimentLabel ?? w.sentimentLabel,
      owned: m.owned,
      duplicate: dup !== undefined && (dup.watchIds === 'all' || dup.watchIds.has(m.watchId)),
      matched_terms: toJsonb(m.terms),
    }));
  });
  if (links.length) {
    const linkColumns: UnnestColumn[] = [
      { name: 'mention_id', type: 'bigint', values: links.map((l) => l.mention_id) },
      { name: 'watch_id', type: 'uuid', values: links.map((l) => l.watch_id) },
      { name: 'workspace_id', type: 'uuid', values: links.map((l) => l.workspace_id) },
      { name: 'published_at', type: 'timestamptz', values: links.map((l) => l.published_at.toISOString()) },
      { name: 'sentiment_score', type: 'real', values: links.map((l) => l.sentiment_score) },
      { name: 'sentiment_label', type: 'text', values: links.map((l) => l.sentiment_label) },
      { name: 'owned', type: 'bool', values: links.map((l) => l.owned) },
      { name: 'duplicate', type: 'bool', values: links.map((l) => l.duplicate) },
      { name: 'matched_terms', type: 'jsonb', values: links.map((l) => l.matched_terms) },
    ];
    await sql`insert into mention_watches ${columnList(linkColumns)} ${unnestSelect(linkColumns)}`.execute(
      trx,
    );
  }

  // Link crossposts to the mention they repeat; clear the link on items that no longer repeat one.
  const dupIds = [...duplicateOf.keys()];
  const dupTargets = dupIds.map((id) => (duplicateOf.get(id) as DuplicateLink).of);
  // With each row's published_at, so that the update probes one partition, not every month.
  const dupTimes = dupIds.map((id) => (writeOfId.get(id) as MentionWrite).publishedAt.toISOString());
  if (dupIds.length) {
    await sql`
      update mentions m set duplicate_of = d.of
      from unnest(${dupIds}::bigint[], ${dupTargets}::bigint[], ${dupTimes}::timestamptz[]) as d(id, of, at)
      where m.id = d.id and m.published_at = d.at
    `.execute(trx);
  }

  const counted = (l: { owned: boolean; duplicate: boolean }) => !l.owned && !l.duplicate;
  // One source per batch, so one type for every contribution.
  const sourceType =
    (await trx.selectFrom('sources').select('type').where('id', '=', sourceId).executeTakeFirst())?.type ??
    null;
  const removed = changed.flatMap((w): RollupContribution[] => {
    const old = existing.get(w.externalId);
    if (!old) return [];
    const kinds = signalKinds(old.signals);
    const rating5 = normalizeRating(old.rating, old.rating_scale);
    return (linksByMention.get(old.id) ?? []).filter(counted).map((l) => ({
      watchId: l.watch_id,
      workspaceId: l.workspace_id,
      publishedAt: l.published_at,
      sentimentScore: l.sentiment_score,
      sentimentLabel: l.sentiment_label,
      signalKinds: kinds,
      rating5,
      followers: old.author_followers,
      engagement: engagementTotal(old.engagement),
      sourceType,
      // Null terms: stored before term extraction, so they were never counted.
      terms: old.terms ? termsForWatch(old.terms, l.matched_terms) : [],
      author: old.terms ? old.author_handle : null,
    }));
  });
  const writeOf = writeOfId;
  const added = links.filter(counted).map((l): RollupContribution => {
    const w = writeOf.get(l.mention_id) as MentionWrite;
    const match = w.matches.find((m) => m.watchId === l.watch_id);
    return {
      watchId: l.watch_id,
      workspaceId: l.workspace_id,
      publishedAt: l.published_at,
      sentimentScore: l.sentiment_score,
      sentimentLabel: l.sentiment_label,
      signalKinds: signalKinds(w.signals),
      rating5: normalizeRating(w.rating, w.ratingScale),
      followers: w.authorFollowers,
      engagement: engagementTotal(w.engagement),
      sourceType,
      terms: termsForWatch(termsOf.get(w.externalId) ?? [], match?.terms ?? []),
      author: w.authorHandle,
    };
  });
  await applyRollupDeltas(trx, removed, added);
  // Red flags, negative high-reach posts and rule matches enter the comms review queue in this same
  // transaction; links already queued are left as reviewers left them.
  await enqueueReviewItems(
    trx,
    workspaceId,
    links.map((l) => ({ ...l, write: writeOf.get(l.mention_id) as MentionWrite })),
  );

  return {
    inserted,
    updated: upserted.length - inserted,
    unchanged,
    duplicates: upserted.filter((r) => r.inserted && duplicateOf.has(r.id)).length,
  };
}

interface DuplicateLink {
  of: number;
  /** 'all' for a URL duplicate (the same page), or the watches in which the text repeats. */
  watchIds: 'all' | Set<string>;
}

/**
 * Finds which of the just-written mentions repeat another: the same canonical URL anywhere in the
 * workspace (a crosspost of the same page), or the same normalized text in the same watch within 24 h.
 * The earliest copy (lowest id) is the original, so the result does not depend on batch boundaries.
 */
async function findDuplicates(
  trx: Transaction<Database>,
  workspaceId: string,
  changed: MentionWrite[],
  idOf: Map<string, number>,
): Promise<Map<number, DuplicateLink>> {
  const result = new Map<number, DuplicateLink>();
  const urls = [...new Set(changed.map((w) => w.canonicalUrl).filter((u): u is string => u !== null))];
  if (urls.length) {
    const rows = await trx
      .selectFrom('mentions')
      .select(['canonical_url', sql<number>`min(id)`.as('first_id')])
      .where('workspace_id', '=', workspaceId)
      .where('canonical_url', 'in', urls)
      .groupBy('canonical_url')
      .execute();
    const first = new Map(rows.map((r) => [r.canonical_url as string, r.first_id]));
    for (const w of changed) {
      const id = idOf.get(w.externalId) as number;
      const original = w.canonicalUrl ? first.get(w.canonicalUrl) : undefined;
      if (original !== undefined && original !== id) result.set(id, { of: original, watchIds: 'all' });
    }
  }

  const hashes = [...new Set(changed.map((w) => w.textHash))];
  const times = changed.map((w) => w.publishedAt.getTime());
  const from = new Date(Math.min(...times) - TEXT_DUPLICATE_WINDOW_MS);
  const to = new Date(Math.max(...times) + TEXT_DUPLICATE_WINDOW_MS);
  // Two steps rather than one join: the mentions with these texts first (index look-ups), then the
  // links of the few that are not this batch's own rows, joined on their whole key so each probes its
  // own month. As one join, the planner scanned every partition of mention_watches once the tables
  // held a few hundred thousand rows; and most batches repeat nothing, so the second step is skipped.
  const own = new Set(idOf.values());
  const earlier = (
    await trx
      .selectFrom('mentions')
      .select(['id', 'text_hash', 'published_at'])
      .where('workspace_id', '=', workspaceId)
      .where('text_hash', 'in', hashes)
      .where('published_at', '>=', from)
      .where('published_at', '<=', to)
      .execute()
  ).filter((r) => !own.has(r.id));
  const byId = new Map(earlier.map((r) => [r.id, r]));
  const earlierKeys: UnnestColumn[] = [
    { name: 'id', type: 'bigint', values: earlier.map((r) => r.id) },
    { name: 'at', type: 'timestamptz', values: earlier.map((r) => r.published_at.toISOString()) },
  ];
  const candidates = earlier.length
    ? (
        await sql<{ mention_id: number; watch_id: string }>`
          with d as (${unnestSelect(earlierKeys)})
          select mw.mention_id, mw.watch_id
          from d join mention_watches mw
            on mw.mention_id = d.id and mw.published_at = d.at and mw.workspace_id = ${workspaceId}::uuid
        `.execute(trx)
      ).rows.map((l) => ({ ...(byId.get(l.mention_id) as (typeof earlier)[number]), watch_id: l.watch_id }))
    : [];
  // This batch's own rows have no links yet (an updated row's were deleted above), so add them with
  // the watches they match now.
  const pool = [
    ...candidates,
    ...changed.flatMap((w) =>
      w.matches.map((m) => ({
        id: idOf.get(w.externalId) as number,
        text_hash: w.textHash,
        published_at: w.publishedAt,
        watch_id: m.watchId,
      })),
    ),
  ];
  const byKey = new Map<string, typeof pool>();
  for (const c of pool) {
    const key = `${c.text_hash}|${c.watch_id}`;
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  }
  for (const w of changed) {
    const id = idOf.get(w.externalId) as number;
    if (result.has(id)) continue;
    for (const m of w.matches) {
      const earlier = byKey
        .get(`${w.textHash}|${m.watchId}`)
        ?.find(
          (c) =>
            c.id < id &&
            Math.abs(c.published_at.getTime() - w.publishedAt.getTime()) <= TEXT_DUPLICATE_WINDOW_MS,
        );
      if (!earlier) continue;
      const link = result.get(id);
      if (link && link.watchIds !== 'all') link.watchIds.add(m.watchId);
      else result.set(id, { of: earlier.id, watchIds: new Set([m.watchId]) });
    }
  }
  return result;
}
