/**
 * The detectors: pure functions from a watch's (or metric's) series to Detection objects. Each one
 * streams through the history it is given (no look-ahead: a bucket is judged on the past alone) and
 * reports on the latest `evaluate` buckets. They read nothing and write nothing; src/detect/runner.ts
 * feeds them from the store and adds the evidence mentions.
 */

import type { Detection, DetectionKind, DetectionMention, Sensitivity } from '../core/detection.ts';
import { CountStream } from './count-stream.ts';
import { prefixSums, seasonalWindow } from './seasonal.ts';
import { type Thresholds, severityOf, thresholdsFor } from './sensitivity.ts';
import { ShareStream } from './share-stream.ts';
import { normalUpper, poissonUpper, scoreFromP } from './stats.ts';

/** One bucket of a watch's series (a structural subset of the store's WatchSeriesPoint). */
export interface SeriesPoint {
  start: Date;
  mentions: number;
  negative: number;
  signals?: Record<string, number>;
  ratingSum?: number;
  ratingCount?: number;
}

export interface DetectContext {
  workspaceId: string;
  watchId: string | null;
  bucketSeconds: number;
  sensitivity: Sensitivity;
  /** How many of the latest buckets to report on (default 1: the latest closed bucket). */
  evaluate?: number;
  /** Top terms of a bucket, quoted in detections (optional). */
  topTermsAt?: (bucketStart: Date) => string[];
}

const DAY_MS = 86_400_000;

function historyDays(points: readonly { start: Date }[], upTo: number, bucketSeconds: number): number {
  const first = points[0];
  const at = points[upTo];
  if (!first || !at) return 0;
  return (at.start.getTime() - first.start.getTime() + bucketSeconds * 1000) / DAY_MS;
}

function fmt(x: number): string {
  if (x >= 100 || Number.isInteger(x)) return String(Math.round(x));
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function pText(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function unitName(bucketSeconds: number): string {
  if (bucketSeconds === 3600) return 'hour';
  if (bucketSeconds === 86_400) return 'day';
  if (bucketSeconds === 604_800) return 'week';
  return `${Math.round(bucketSeconds / 60)} minutes`;
}

function make(
  ctx: DetectContext,
  kind: DetectionKind,
  subject: string | null,
  bucketStart: Date,
  fields: Pick<Detection, 'observed' | 'expected' | 'unit' | 'pValue' | 'summary'> & {
    severity: Detection['severity'];
    topTerms?: string[];
    topMentions?: DetectionMention[];
  },
): Detection {
  return {
    kind,
    workspaceId: ctx.workspaceId,
    watchId: ctx.watchId,
    subject,
    bucketStart,
    bucketSeconds: ctx.bucketSeconds,
    observed: fields.observed,
    expected: fields.expected,
    unit: fields.unit,
    pValue: fields.pValue,
    score: scoreFromP(fields.pValue),
    severity: fields.severity,
    dedupeKey: [kind, ctx.watchId ?? ctx.workspaceId, subject].filter((x) => x !== null).join(':'),
    summary: fields.summary,
    topMentions: fields.topMentions ?? [],
    topTerms: fields.topTerms ?? ctx.topTermsAt?.(bucketStart) ?? [],
  };
}

/** Index of the first bucket to report on. */
function firstReported(length: number, ctx: DetectContext): number {
  return Math.max(0, length - Math.max(1, ctx.evaluate ?? 1));
}

/** Buckets in one day (at least 1). */
function perDay(bucketSeconds: number): number {
  return Math.max(1, Math.round(86_400 / bucketSeconds));
}

/**
 * Volume spike (the bucket, or the last 3, far above the seasonal baseline) and volume drop / silence
 * (the last day far below it: quiet customers, fewer orders). Also used for custom metrics.
 */
export function detectVolume(
  points: readonly { start: Date; value: number }[],
  ctx: DetectContext,
  kinds: { spike: DetectionKind; drop: DetectionKind; subject: string | null; noun: string } = {
    spike: 'volume_spike',
    drop: 'volume_drop',
    subject: null,
    noun: 'mentions',
  },
): Detection[] {
  const out: Detection[] = [];
  const day = perDay(ctx.bucketSeconds);
  const up = new CountStream({ bucketSeconds: ctx.bucketSeconds, scales: [1, 3], direction: 'up' });
  // Silence is judged over a day (or 3 buckets of daily data): one quiet hour is noise. Its baseline is
  // the same window of the past weeks (seasonal.ts), which a past spike cannot move.
  const dropScale = day > 1 ? day : 3;
  const period = Math.max(1, Math.round((7 * 86_400) / ctx.bucketSeconds));
  const values = points.map((p) => p.value);
  const prefix = prefixSums(values);
  const from = firstReported(points.length, ctx);
  const unit = unitName(ctx.bucketSeconds);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as { start: Date; value: number };
    const t = p.start.getTime();
    const s = up.push(t, p.value);
    if (i < from) continue;
    const th = thresholdsFor(ctx.sensitivity, historyDays(points, i, ctx.bucketSeconds));
    if (!th) continue;
    // The spike is reported at the scale where it was most unusual; observed/expected are per bucket.
    const obs = s.scale === 1 ? s.observed : windowSum(points, i, s.scale);
    const exp = s.scale === 1 ? s.expected : (up.windowExpected(s.scale) ?? s.expected * s.scale);
    if (s.pValue <= th.maxP && obs >= th.minCount && obs >= th.minRatio * Math.max(exp, 0.5)) {
      const span = s.scale === 1 ? `in the ${unit}` : `in the last ${s.scale} ${unit}s`;
      out.push(
        make(ctx, kinds.spike, kinds.subject, p.start, {
          observed: obs,
          expected: exp,
          unit: kinds.spike === 'metric_spike' ? 'value' : 'count',
          pValue: s.pValue,
          severity: severityOf(s.pValue, th),
          summary: `${fmt(obs)} ${kinds.noun} ${span}, ${fmt(exp)} expected (${fmt(obs / Math.max(exp, 0.5))}x, ${pText(s.pValue)})`,
        }),
      );
    }
    const d = seasonalWindow(values, i, { window: dropScale, period, direction: 'down', prefix });
    if (d && d.pValue <= th.maxP) {
      const obsD = d.observed;
      const expD = d.expected;
      if (expD >= th.minCount && obsD * th.minRatio <= expD) {
        out.push(
          make(ctx, kinds.drop, kinds.subject, p.start, {
            observed: obsD,
            expected: expD,
            unit: kinds.drop === 'metric_drop' ? 'value' : 'count',
            pValue: d.pValue,
            severity: severityOf(d.pValue, th),
            summary: `${fmt(obsD)} ${kinds.noun} in the last ${dropScale} ${unit}s, ${fmt(expD)} expected (${pct(obsD / expD)} of normal; same ${unit}s of past weeks: ${d.past.map(fmt).join(', ')}; ${pText(d.pValue)})`,
          }),
        );
      }
    }
  }
  return out;
}

function windowSum(points: readonly { value: number }[], i: number, k: number): number {
  let sum = 0;
  for (let j = Math.max(0, i - k + 1); j <= i; j++) sum += (points[j] as { value: number }).value;
  return sum;
}

/** Volume spike and drop over a watch's mention counts. */
export function detectVolumeChanges(points: readonly SeriesPoint[], ctx: DetectContext): Detection[] {
  return detectVolume(
    points.map((p) => ({ start: p.start, value: p.mentions })),
    ctx,
  );
}

/**
 * Negativity spike: the share of negative mentions well above its baseline share, by a binomial test
 * widened for overdispersion, over the bucket or the last 3 (whichever is more unusual).
 */
export function detectNegativity(points: readonly SeriesPoint[], ctx: DetectContext): Detection[] {
  return detectShare(points, ctx, {
    kind: 'negativity_spike',
    subject: null,
    count: (p) => p.negative,
    prior: 0.3,
    noun: 'negative',
  });
}

/** Signal spike, per signal kind: the share of mentions carrying it well above its baseline. */
export function detectSignals(points: readonly SeriesPoint[], ctx: DetectContext): Detection[] {
  const kinds = new Set<string>();
  for (const p of points.slice(firstReported(points.length, ctx) - 2)) {
    for (const [k, n] of Object.entries(p.signals ?? {})) if (n > 0) kinds.add(k);
  }
  return [...kinds].sort().flatMap((kind) =>
    detectShare(points, ctx, {
      kind: 'signal_spike',
      subject: kind,
      count: (p) => p.signals?.[kind] ?? 0,
      prior: 0.02,
      noun: `with ${kind.replaceAll('_', ' ')}`,
    }),
  );
}

function detectShare(
  points: readonly SeriesPoint[],
  ctx: DetectContext,
  spec: {
    kind: DetectionKind;
    subject: string | null;
    count: (p: SeriesPoint) => number;
    prior: number;
    noun: string;
  },
): Detection[] {
  const out: Detection[] = [];
  const streams = [1, 3].map(
    (window) => new ShareStream({ bucketSeconds: ctx.bucketSeconds, window, prior: spec.prior }),
  );
  const from = firstReported(points.length, ctx);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as SeriesPoint;
    const k = spec.count(p);
    const steps = streams.map((s) => s.push(k, p.mentions));
    if (i < from) continue;
    const th = thresholdsFor(ctx.sensitivity, historyDays(points, i, ctx.bucketSeconds));
    if (!th) continue;
    // Bonferroni over the two windows.
    const best = steps.reduce((a, b) => (b.pValue < a.pValue ? b : a));
    const pValue = Math.min(1, best.pValue * steps.length);
    if (
      best.observed !== null &&
      pValue <= th.maxP &&
      best.k >= th.minCount &&
      best.observed - best.expected >= th.minShareLift
    ) {
      out.push(
        make(ctx, spec.kind, spec.subject, p.start, {
          observed: best.observed,
          expected: best.expected,
          unit: 'share',
          pValue,
          severity: severityOf(pValue, th),
          summary: `${pct(best.observed)} of ${best.n} mentions ${spec.noun}, ${pct(best.expected)} usual (${best.k} mentions, ${pText(pValue)})`,
        }),
      );
    }
  }
  return out;
}

/** Typical standard deviation of one 1-5 star rating (app-store ratings are bimodal, about 1.4). */
export const RATING_SD = 1.4;

/**
 * Rating drop: the mean rating of the last day (or 3 buckets of daily data) well under the baseline
 * mean, by a one-sided z test with RATING_SD per rating. The baseline is an exponentially weighted
 * mean of past ratings that excludes the window itself and anomalous days.
 */
export function detectRatingDrop(points: readonly SeriesPoint[], ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  const win = perDay(ctx.bucketSeconds) > 1 ? perDay(ctx.bucketSeconds) : 3;
  const a = 1 - 0.5 ** (1 / (21 * perDay(ctx.bucketSeconds)));
  let bSum = 3.8 * 5;
  let bCount = 5;
  const from = firstReported(points.length, ctx);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as SeriesPoint;
    // The baseline gets the bucket that just left the window, so the window never rates itself.
    const leaving = points[i - win];
    if (leaving) {
      bSum = bSum * (1 - a) + (leaving.ratingSum ?? 0);
      bCount = bCount * (1 - a) + (leaving.ratingCount ?? 0);
    }
    if (i < from || i + 1 < win) continue;
    const th = thresholdsFor(ctx.sensitivity, historyDays(points, i, ctx.bucketSeconds));
    if (!th) continue;
    let sum = 0;
    let n = 0;
    for (let j = i - win + 1; j <= i; j++) {
      sum += points[j]?.ratingSum ?? 0;
      n += points[j]?.ratingCount ?? 0;
    }
    if (n < th.minRatings) continue;
    const mean = sum / n;
    const base = bSum / bCount;
    const z = (base - mean) / (RATING_SD / Math.sqrt(n));
    const pValue = z > 0 ? normalUpper(z) : 1;
    if (pValue <= th.maxP && base - mean >= th.minRatingDrop) {
      out.push(
        make(ctx, 'rating_drop', null, p.start, {
          observed: mean,
          expected: base,
          unit: 'rating',
          pValue,
          severity: severityOf(pValue, th),
          summary: `${mean.toFixed(2)} stars over ${n} ratings in the last ${win} ${unitName(ctx.bucketSeconds)}s, ${base.toFixed(2)} usual (${pText(pValue)})`,
        }),
      );
    }
  }
  return out;
}

/** A term's count in one bucket (sparse: buckets without the term are absent). */
export interface TermPoint {
  start: Date;
  term: string;
  mentions: number;
}

/**
 * Emerging term or hashtag: a term used far more in the latest bucket(s) than its own history
 * predicts, after scaling for the bucket's overall volume (a term that merely rises with a volume
 * spike is not emerging). A term never seen before is given a prior of one use over the history,
 * so "#vodafail" out of nothing is caught on its first busy hour. `points` gives the watch's volume
 * per bucket over the same range as `terms`.
 */
export function detectEmergingTerms(
  terms: readonly TermPoint[],
  points: readonly SeriesPoint[],
  ctx: DetectContext,
  options: { maxTerms?: number } = {},
): Detection[] {
  const out: Detection[] = [];
  if (points.length === 0) return out;
  const from = firstReported(points.length, ctx);
  const evalStart = (points[from] as SeriesPoint).start.getTime();
  const step = ctx.bucketSeconds * 1000;
  // The term points in time order (keeping their given order within a time), walked once: `past`
  // accumulates as the judged bucket moves on, so judging every bucket of a long replay costs one
  // pass over the terms, not one pass per bucket.
  const byTime = terms
    .map((t, i) => ({ t, i, ts: t.start.getTime() }))
    .sort((a, b) => a.ts - b.ts || a.i - b.i);
  const past = new Map<string, number>();
  let pastEnd = 0;
  let histMentions = 0;
  for (let j = 0; j < from - 1; j++) histMentions += (points[j] as SeriesPoint).mentions;
  for (let i = from; i < points.length; i++) {
    const bucket = points[i] as SeriesPoint;
    // History: every bucket before this one; window: this bucket and the one before (2 buckets).
    if (i - 2 >= from - 1 && i - 2 >= 0) histMentions += (points[i - 2] as SeriesPoint).mentions;
    const t0 = bucket.start.getTime();
    while (pastEnd < byTime.length && (byTime[pastEnd] as { ts: number }).ts < t0 - step) {
      const e = byTime[pastEnd] as { t: TermPoint };
      past.set(e.t.term, (past.get(e.t.term) ?? 0) + e.t.mentions);
      pastEnd++;
    }
    const th = thresholdsFor(ctx.sensitivity, historyDays(points, i, ctx.bucketSeconds));
    if (!th) continue;
    const histBuckets = Math.max(1, i - 1);
    const winMentions = bucket.mentions + (points[i - 1]?.mentions ?? 0);
    // The window's points in their given order (the order ties keep in the report).
    const window: { t: TermPoint; i: number; ts: number }[] = [];
    for (let k = pastEnd; k < byTime.length && (byTime[k] as { ts: number }).ts <= t0; k++) {
      window.push(byTime[k] as { t: TermPoint; i: number; ts: number });
    }
    window.sort((a, b) => a.i - b.i);
    const now = new Map<string, number>();
    const usedInBucket = new Set<string>();
    for (const e of window) {
      now.set(e.t.term, (now.get(e.t.term) ?? 0) + e.t.mentions);
      if (e.ts === t0 && e.t.mentions > 0) usedInBucket.add(e.t.term);
    }
    const found: Detection[] = [];
    for (const [term, count] of now) {
      if (count < th.minCount) continue;
      // Only report a bucket if the term was used in it (not just carried by the bucket before).
      if (!usedInBucket.has(term) && t0 !== evalStart) continue;
      // Expected uses in the window: the term's past rate per mention times the window's mentions,
      // with one pseudo-use so that an unseen term has a small but non-zero rate.
      const rate = ((past.get(term) ?? 0) + 1) / Math.max(histMentions, histBuckets);
      const expected = Math.max(rate * winMentions, (2 * ((past.get(term) ?? 0) + 1)) / histBuckets);
      const pValue = poissonUpper(count, expected);
      if (pValue <= th.maxP && count >= th.minRatio * expected) {
        found.push(
          make(ctx, 'emerging_term', term, bucket.start, {
            observed: count,
            expected,
            unit: 'count',
            pValue,
            severity: severityOf(pValue, th),
            topTerms: [term],
            summary: `"${term}" in ${count} mentions in the last 2 ${unitName(ctx.bucketSeconds)}s, ${fmt(expected)} expected${past.has(term) ? '' : ' (never seen before)'} (${pText(pValue)})`,
          }),
        );
      }
    }
    found.sort((a, b) => a.pValue - b.pValue || b.observed - a.observed);
    out.push(...found.slice(0, options.maxTerms ?? 5));
  }
  return out;
}

/** A candidate for viral risk: a negative mention with its audience. */
export interface ReachMention extends DetectionMention {
  authorFollowers: number | null;
  engagement: number;
  sentimentLabel: 'positive' | 'neutral' | 'negative';
}

/**
 * Viral risk: one negative mention whose reach (author followers + likes, replies and shares) is at
 * least the sensitivity's minReach, that is spreading (minEngagement interactions), and that reaches
 * further than every negative mention of the watch in its history
 * (`pastMaxReach`): the journalist who complains every week is this watch's normal, a new loudest
 * voice is news. The p-value is 1 / (pastCount + 1): no past negative mention reached as far.
 */
export function detectViralRisk(
  mentions: readonly ReachMention[],
  ctx: DetectContext & { bucketStart: Date; pastMaxReach?: number; pastCount?: number },
): Detection[] {
  const th = SENSITIVITY_FOR_VIRAL(ctx.sensitivity);
  const out: Detection[] = [];
  let bar = ctx.pastMaxReach ?? 0;
  for (const m of [...mentions].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())) {
    if (m.sentimentLabel !== 'negative') continue;
    const reach = (m.authorFollowers ?? 0) + m.engagement;
    if (reach < th.minReach || m.engagement < th.minEngagement || reach <= bar) continue;
    const pValue = 1 / ((ctx.pastCount ?? 0) + 1);
    out.push(
      make(ctx, 'viral_risk', m.id, ctx.bucketStart, {
        observed: reach,
        expected: Math.max(th.minReach, bar),
        unit: 'count',
        pValue,
        severity: reach >= th.minReach * 10 ? 'critical' : 'warning',
        topMentions: [m],
        summary: `Negative mention by ${m.authorHandle ?? 'an author'} reaching ${fmt(reach)} (${fmt(m.authorFollowers ?? 0)} followers, ${fmt(m.engagement)} interactions; the watch's widest negative mention before reached ${fmt(bar)})`,
      }),
    );
    bar = reach;
  }
  return out;
}

function SENSITIVITY_FOR_VIRAL(s: Sensitivity): Thresholds {
  // Viral risk needs no history: one mention is enough, so cold start does not apply.
  return thresholdsFor(s, Number.POSITIVE_INFINITY) as Thresholds;
}

/** Metric spike and drop for a custom series (orders per day, tickets, NPS responses). */
export function detectMetric(
  points: readonly { start: Date; value: number }[],
  ctx: DetectContext & { metric: string },
): Detection[] {
  return detectVolume(points, ctx, {
    spike: 'metric_spike',
    drop: 'metric_drop',
    subject: ctx.metric,
    noun: ctx.metric,
  });
}
