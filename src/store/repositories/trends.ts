import type { Kysely } from 'kysely';
import { reputationIndex } from '../../core/reputation.ts';
import type { Database } from '../schema.ts';
import {
  MAX_SERIES_BUCKETS,
  type SeriesBucket,
  type WatchSeriesPoint,
  emptyPoint,
  meanRating,
  meanSentiment,
  negativeShare,
  readWatchSeries,
} from './series.ts';

/**
 * Trend figures for people (the API and dashboard), derived from the rollup series in series.ts:
 * cost grows with the number of buckets, never with the number of mentions.
 */

export type BucketSize = SeriesBucket;

export interface TrendBucket {
  start: Date;
  mentions: number;
  positive: number;
  negative: number;
  neutral: number;
  /** Mean compound sentiment in [-1, 1]; null for an empty bucket. */
  meanSentiment: number | null;
  /** Share of mentions that are negative, in [0, 1]; null for an empty bucket. */
  negativeShare: number | null;
  /** 0-100, 50 = balanced (see src/core/reputation.ts). */
  reputationIndex: number;
  /** Mentions per signal kind. */
  signals: Record<string, number>;
  /** Mean rating on a 5-point scale (null without ratings) and how many ratings. */
  rating: { mean: number | null; count: number };
  /** Followers of the authors (where known) and likes + replies + shares. */
  reach: { followers: number; engagement: number; mentionsWithFollowers: number };
  /** Mentions per source type. */
  sources: Record<string, number>;
}

export interface TrendQuery {
  workspaceId: string;
  watchId: string;
  from: Date;
  to: Date;
  bucket: BucketSize;
  tz?: string | undefined;
}

/** Largest number of buckets one trend request may span (about 2 years of hours). */
export const MAX_TREND_BUCKETS = MAX_SERIES_BUCKETS;

export function toTrendBucket(p: WatchSeriesPoint): TrendBucket {
  return {
    start: p.start,
    mentions: p.mentions,
    positive: p.positive,
    negative: p.negative,
    neutral: p.neutral,
    meanSentiment: meanSentiment(p),
    negativeShare: negativeShare(p),
    reputationIndex: reputationIndex(p),
    signals: p.signals,
    rating: { mean: meanRating(p), count: p.ratingCount },
    reach: {
      followers: p.followersSum,
      engagement: p.engagementSum,
      mentionsWithFollowers: p.followersCount,
    },
    sources: p.sources,
  };
}

/** A watch's trend as a continuous series: buckets without mentions are present with zero counts. */
export async function readTrend(db: Kysely<Database>, q: TrendQuery): Promise<TrendBucket[]> {
  return (await readWatchSeries(db, q)).map(toTrendBucket);
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** The whole window as one bucket (sums of the series; means weighted by mentions or ratings). */
export function totalOf(points: WatchSeriesPoint[]): Omit<TrendBucket, 'start'> {
  const t = emptyPoint(points[0]?.start ?? new Date(0));
  for (const p of points) {
    t.mentions += p.mentions;
    t.positive += p.positive;
    t.negative += p.negative;
    t.neutral += p.neutral;
    t.sentimentSum += p.sentimentSum;
    t.ratingSum += p.ratingSum;
    t.ratingCount += p.ratingCount;
    t.followersSum += p.followersSum;
    t.followersCount += p.followersCount;
    t.engagementSum += p.engagementSum;
    addCounts(t.signals, p.signals);
    addCounts(t.sources, p.sources);
  }
  const { start: _s, ...rest } = toTrendBucket(t);
  return rest;
}

export interface VoiceShare {
  watchId: string;
  name: string;
  kind: 'brand' | 'competitor';
  totals: Omit<TrendBucket, 'start'>;
  /** Share of all mentions of the compared watches, in [0, 1]; null when none has mentions. */
  share: number | null;
  /** Per bucket: mentions, share of voice, mean sentiment, reputation index. */
  buckets: {
    start: Date;
    mentions: number;
    share: number | null;
    meanSentiment: number | null;
    reputationIndex: number;
  }[];
}

/**
 * Share of voice and sentiment of a brand against its competitor watches (watches whose
 * `competitor_of` is the brand). Asked for a competitor, compares its brand and that brand's other
 * competitors. One rollup series per watch.
 */
export async function readShareOfVoice(db: Kysely<Database>, q: TrendQuery): Promise<VoiceShare[]> {
  const asked = await db
    .selectFrom('watches')
    .select(['id', 'competitor_of'])
    .where('workspace_id', '=', q.workspaceId)
    .where('id', '=', q.watchId)
    .executeTakeFirst();
  if (!asked) return [];
  const brandId = asked.competitor_of ?? asked.id;
  const watches = await db
    .selectFrom('watches')
    .select(['id', 'name', 'kind'])
    .where('workspace_id', '=', q.workspaceId)
    .where((eb) => eb.or([eb('id', '=', brandId), eb('competitor_of', '=', brandId)]))
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  const series = await Promise.all(watches.map((w) => readWatchSeries(db, { ...q, watchId: w.id })));
  const bucketTotals = (series[0] ?? []).map((_, i) => series.reduce((t, s) => t + (s[i]?.mentions ?? 0), 0));
  const grand = bucketTotals.reduce((a, b) => a + b, 0);
  return watches
    .map((w, i) => {
      const s = series[i] ?? [];
      const totals = totalOf(s);
      return {
        watchId: w.id,
        name: w.name,
        kind: w.kind,
        totals,
        share: grand > 0 ? totals.mentions / grand : null,
        buckets: s.map((p, j) => ({
          start: p.start,
          mentions: p.mentions,
          share: (bucketTotals[j] ?? 0) > 0 ? p.mentions / (bucketTotals[j] as number) : null,
          meanSentiment: meanSentiment(p),
          reputationIndex: reputationIndex(p),
        })),
      };
    })
    .sort((a, b) => (a.watchId === brandId ? -1 : b.watchId === brandId ? 1 : 0));
}
