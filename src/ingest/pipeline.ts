import type { Kysely } from 'kysely';
import { TrustwatchError } from '../core/errors.ts';
import type { SourceItem } from '../core/mention.ts';
import type { Logger } from '../core/source.ts';
import type { SentimentScorer } from '../score/sentiment.ts';
import { detectSignals } from '../score/signals.ts';
import { statsKeeperFor } from '../store/maintenance.ts';
import { type MentionWrite, storeMentionBatch } from '../store/repositories/mention-batch.ts';
import type { Database } from '../store/schema.ts';
import { detectLanguage, loadLanguageDetector } from './language.ts';
import type { WatchMatch, WatchMatcher } from './match.ts';
import { normalizeItem } from './normalize.ts';

/**
 * The ingest pipeline: normalize -> language -> match watches -> score -> store (dedupe happens in the
 * store, where the earlier mentions are). Language comes before matching because queries may filter
 * on `lang:`. Batches commit one transaction each, so a failure keeps every earlier batch.
 */

export interface IngestSource {
  id: string;
  workspaceId: string;
  type: string;
  name: string;
  /** A source dedicated to one watch: its items belong to that watch without matching the query. */
  watchId: string | null;
}

export interface IngestDeps {
  db: Kysely<Database>;
  matcher: WatchMatcher;
  scorer: SentimentScorer;
  batchSize: number;
  now: () => Date;
  log: Logger;
}

export interface IngestStats {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  /** Items that matched no watch and were not stored. */
  unmatched: number;
  /** Items with neither text nor title. */
  empty: number;
  /** Milliseconds spent in sentiment scoring and signal detection (for the benchmark's scoring share). */
  scoringMs: number;
}

export function emptyStats(): IngestStats {
  return {
    received: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    unmatched: 0,
    empty: 0,
    scoringMs: 0,
  };
}

export function addStats(a: IngestStats, b: IngestStats): IngestStats {
  return {
    received: a.received + b.received,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    duplicates: a.duplicates + b.duplicates,
    unmatched: a.unmatched + b.unmatched,
    empty: a.empty + b.empty,
    scoringMs: a.scoringMs + b.scoringMs,
  };
}

/**
 * Turns adapter items into storable mentions (pure apart from the clock). Callers await
 * loadLanguageDetector() first, as ingestItems does.
 */
export function prepareItems(
  source: IngestSource,
  items: SourceItem[],
  deps: Pick<IngestDeps, 'matcher' | 'scorer' | 'now'>,
): { writes: MentionWrite[]; stats: IngestStats } {
  const stats = emptyStats();
  stats.received = items.length;
  const fetchedAt = deps.now();
  const writes: MentionWrite[] = [];
  for (const item of items) {
    const n = normalizeItem(item, fetchedAt);
    if (!n) {
      stats.empty++;
      continue;
    }
    // Language detection is the costliest step, so it runs before matching only when a query needs
    // it (`lang:`); otherwise only for the items that matched.
    const body = n.title ? `${n.title}. ${n.text}` : n.text;
    let language: string | null | undefined = deps.matcher.usesLanguage
      ? detectLanguage(body, n.language)
      : undefined;
    const target = {
      text: n.text,
      title: n.title,
      language: language ?? n.language,
      sourceType: source.type,
      sourceName: source.name,
      authorHandle: n.author.handle ?? null,
    };
    let matches: WatchMatch[];
    if (source.watchId) {
      const one = deps.matcher.matchOne(source.watchId, target);
      matches = one ? [one] : [];
    } else {
      matches = deps.matcher.match(target);
    }
    if (matches.length === 0) {
      stats.unmatched++;
      continue;
    }
    if (language === undefined) language = detectLanguage(body, n.language);
    const t0 = performance.now();
    const sentiment = deps.scorer.score(body, language, { rating: n.rating, ratingScale: n.ratingScale });
    // The red-flag rules are English patterns: other detected languages get none rather than a guess.
    const signals = language === null || language === 'en' ? detectSignals(body) : [];
    // A watch with its own words ("sick" is praise for a skate brand) gets its own score on its link;
    // only those watches pay for a second scoring.
    const links: MentionWrite['matches'] = matches.map((m) => {
      const link: MentionWrite['matches'][number] = { watchId: m.watchId, owned: m.owned, terms: m.terms };
      if (m.lexicon) {
        const own = deps.scorer.score(body, language, {
          rating: n.rating,
          ratingScale: n.ratingScale,
          lexicon: m.lexicon,
        });
        link.sentimentScore = own.score;
        link.sentimentLabel = own.label;
      }
      return link;
    });
    stats.scoringMs += performance.now() - t0;
    writes.push({
      externalId: n.externalId,
      url: n.url,
      canonicalUrl: n.canonicalUrl,
      title: n.title,
      text: n.text,
      textHash: n.textHash,
      authorName: n.author.name ?? null,
      authorHandle: n.author.handle ?? null,
      authorFollowers: n.author.followers ?? null,
      publishedAt: n.publishedAt,
      publishedAtEstimated: n.publishedAtEstimated,
      engagement: n.engagement,
      rating: n.rating,
      ratingScale: n.ratingScale,
      parentId: n.parentId,
      threadId: n.threadId,
      language,
      sentimentScore: sentiment.score,
      sentimentLabel: sentiment.label,
      signals,
      raw: n.raw,
      matches: links,
    });
  }
  return { writes, stats };
}

/**
 * Replaces the synchronous scores of a batch with an asynchronous scorer's (a model behind HTTP).
 * The scorer resolves to null on any failure, and the lexicon scores already on the writes stand,
 * so a scorer outage never loses or holds back a mention. Links with their own score (a watch with a
 * custom lexicon) keep it: the user's words for that watch win over the model. Returns the time spent.
 */
async function rescoreBatch(scorer: SentimentScorer, batch: MentionWrite[]): Promise<number> {
  const t0 = performance.now();
  const results = await scorer.scoreBatch?.(
    batch.map((w) => ({
      text: w.title ? `${w.title}. ${w.text}` : w.text,
      language: w.language,
      rating: w.rating,
      ratingScale: w.ratingScale,
    })),
  );
  if (results && results.length === batch.length) {
    batch.forEach((w, k) => {
      const r = results[k];
      if (!r) return;
      w.sentimentScore = r.score;
      w.sentimentLabel = r.label;
    });
  }
  return performance.now() - t0;
}

/** Prepares and stores items in batches of `batchSize`, one transaction per batch. */
export async function ingestItems(
  deps: IngestDeps,
  source: IngestSource,
  items: SourceItem[],
): Promise<IngestStats> {
  await loadLanguageDetector();
  const { writes, stats } = prepareItems(source, items, deps);
  const fetchedAt = deps.now();
  for (let i = 0; i < writes.length; i += deps.batchSize) {
    const batch = writes.slice(i, i + deps.batchSize);
    if (deps.scorer.scoreBatch) stats.scoringMs += await rescoreBatch(deps.scorer, batch);
    let outcome: Awaited<ReturnType<typeof storeMentionBatch>>;
    try {
      outcome = await deps.db
        .transaction()
        .execute((trx) => storeMentionBatch(trx, source.workspaceId, source.id, batch, fetchedAt));
    } catch (err) {
      const n = Math.floor(i / deps.batchSize) + 1;
      const total = Math.ceil(writes.length / deps.batchSize);
      throw new TrustwatchError(
        'DATABASE',
        `Storing batch ${n} of ${total} from source "${source.name}" failed (${stats.inserted + stats.updated} mentions of this poll were already stored and are kept): ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, details: { sourceId: source.id, batch: n } },
      );
    }
    await statsKeeperFor(deps.db).written(outcome.inserted + outcome.updated);
    stats.inserted += outcome.inserted;
    stats.updated += outcome.updated;
    stats.unchanged += outcome.unchanged;
    stats.duplicates += outcome.duplicates;
  }
  return stats;
}
