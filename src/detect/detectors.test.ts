import { describe, expect, it } from 'vitest';
import {
  type SeriesPoint,
  type TermPoint,
  detectEmergingTerms,
  detectMetric,
  detectNegativity,
  detectRatingDrop,
  detectSignals,
  detectViralRisk,
  detectVolumeChanges,
} from './detectors.ts';
import { SENSITIVITY_THRESHOLDS, thresholdsFor } from './sensitivity.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const ctx = { workspaceId: 'ws', watchId: 'w1', bucketSeconds: 3600, sensitivity: 'medium' as const };

function uniform(i: number, salt: number): number {
  let t = (i * 0x9e3779b1 + salt * 0x85ebca6b) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d) >>> 0;
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b) >>> 0;
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

function poisson(mu: number, i: number, salt: number): number {
  const l = Math.exp(-mu);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= uniform(i, salt * 1000 + k);
  } while (p > l);
  return k - 1;
}

/** Four weeks of hourly buckets: ~20/h by day, ~4/h at night, 25% negative, ratings around 4. */
function series(hours = 28 * 24, edit?: (p: SeriesPoint, i: number) => void): SeriesPoint[] {
  return Array.from({ length: hours }, (_, i) => {
    const h = new Date(T0 + i * HOUR).getUTCHours();
    const mentions = poisson(h >= 8 && h < 22 ? 20 : 4, i, 1);
    let negative = 0;
    for (let k = 0; k < mentions; k++) if (uniform(i, 500 + k) < 0.25) negative++;
    const ratingCount = uniform(i, 7) < 0.3 ? 1 : 0;
    const p: SeriesPoint = {
      start: new Date(T0 + i * HOUR),
      mentions,
      negative,
      signals: uniform(i, 9) < 0.1 ? { complaint: 1 } : {},
      ratingSum: ratingCount * (uniform(i, 8) < 0.8 ? 4 : 5),
      ratingCount,
    };
    edit?.(p, i);
    return p;
  });
}

const last = (ps: SeriesPoint[]) => ps.length - 1;

describe('detectors', () => {
  it('stay silent on ordinary weeks, at every sensitivity, over every hour', () => {
    const ps = series();
    for (const sensitivity of ['low', 'medium'] as const) {
      const c = { ...ctx, sensitivity, evaluate: 14 * 24 };
      const found = [
        ...detectVolumeChanges(ps, c),
        ...detectNegativity(ps, c),
        ...detectSignals(ps, c),
        ...detectRatingDrop(ps, c),
      ];
      expect(found.map((d) => d.summary)).toEqual([]);
    }
  });

  it('volume spike: explains observed vs expected, with a p-value, score and dedupe key', () => {
    const ps = series(28 * 24 + 15, (p, i) => {
      if (i === 28 * 24 + 14) p.mentions = 200;
    });
    const [d, ...rest] = detectVolumeChanges(ps, ctx);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'volume_spike', watchId: 'w1', observed: 200, unit: 'count' });
    expect(d?.bucketStart.getTime()).toBe(ps[last(ps)]?.start.getTime());
    expect(d?.expected).toBeGreaterThan(10);
    expect(d?.expected).toBeLessThan(35);
    expect(d?.pValue).toBeLessThan(SENSITIVITY_THRESHOLDS.medium.maxP);
    expect(d?.score).toBeGreaterThan(0.5);
    expect(d?.dedupeKey).toBe('volume_spike:w1');
    expect(d?.summary).toMatch(/^200 mentions in the hour, \d+(\.\d+)? expected/);
  });

  it('volume drop: a silent day against the same hours of past weeks', () => {
    const ps = series(28 * 24, (p, i) => {
      if (i >= 27 * 24) p.mentions = Math.round(p.mentions * 0.2);
    });
    const drops = detectVolumeChanges(ps, ctx).filter((d) => d.kind === 'volume_drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]?.observed).toBeLessThan((drops[0]?.expected ?? 0) * 0.3);
    expect(drops[0]?.summary).toMatch(/same hours of past weeks: \d+, \d+, \d+/);
  });

  it('negativity spike: share of negative mentions, not their number', () => {
    const angry = series(28 * 24 + 15, (p, i) => {
      if (i === 28 * 24 + 14) {
        p.mentions = 30;
        p.negative = 27;
      }
    });
    const d = detectNegativity(angry, ctx);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'negativity_spike', unit: 'share' });
    expect(d[0]?.observed).toBeGreaterThan(0.8);
    expect(d[0]?.expected).toBeGreaterThan(0.15);
    expect(d[0]?.expected).toBeLessThan(0.35);
    // Twice the volume at the usual share is a volume spike, not a negativity spike.
    const busy = series(28 * 24 + 15, (p, i) => {
      if (i === 28 * 24 + 14) {
        p.mentions *= 2;
        p.negative *= 2;
      }
    });
    expect(detectNegativity(busy, ctx)).toEqual([]);
  });

  it('signal spike per kind, with the kind as subject', () => {
    const ps = series(28 * 24 + 15, (p, i) => {
      if (i === 28 * 24 + 14) p.signals = { churn_intent: 12, complaint: 1 };
    });
    const d = detectSignals(ps, ctx);
    expect(d.map((x) => x.subject)).toEqual(['churn_intent']);
    expect(d[0]?.dedupeKey).toBe('signal_spike:w1:churn_intent');
  });

  it('rating drop over the last day', () => {
    const ps = series(28 * 24, (p, i) => {
      if (i >= 27 * 24) {
        p.ratingCount = 1;
        p.ratingSum = 1;
      }
    });
    const d = detectRatingDrop(ps, ctx);
    expect(d).toHaveLength(1);
    expect(d[0]?.observed).toBeCloseTo(1, 5);
    expect(d[0]?.expected).toBeGreaterThan(3.8);
  });

  it('emerging term: a hashtag from nothing, but not a word that only rises with volume', () => {
    const ps = series(28 * 24 + 2, (p, i) => {
      if (i >= 28 * 24) p.mentions = 60;
    });
    const terms: TermPoint[] = [];
    ps.forEach((p, i) => {
      terms.push({ start: p.start, term: 'plan', mentions: Math.round(p.mentions * 0.2) });
      if (i >= 28 * 24) terms.push({ start: p.start, term: '#brandfail', mentions: 15 });
    });
    const d = detectEmergingTerms(terms, ps, ctx);
    expect(d.map((x) => x.subject)).toEqual(['#brandfail']);
    expect(d[0]?.summary).toMatch(/never seen before/);
    expect(d[0]?.topTerms).toEqual(['#brandfail']);
  });

  it('viral risk: a new loudest negative voice that is spreading, not the usual critic', () => {
    const m = (id: string, followers: number, engagement: number, label: 'negative' | 'neutral') => ({
      id,
      url: null,
      text: 'bad',
      authorHandle: id,
      sentimentScore: label === 'negative' ? -0.6 : 0,
      publishedAt: new Date(T0),
      authorFollowers: followers,
      engagement,
      sentimentLabel: label,
    });
    const c = { ...ctx, bucketStart: new Date(T0), pastMaxReach: 80_000, pastCount: 500 };
    const d = detectViralRisk(
      [
        m('big', 300_000, 9_000, 'negative'),
        m('usual', 60_000, 9_000, 'negative'),
        m('calm', 900_000, 50_000, 'neutral'),
        m('quiet', 400_000, 100, 'negative'),
      ],
      c,
    );
    expect(d.map((x) => x.subject)).toEqual(['big']);
    expect(d[0]?.topMentions[0]?.id).toBe('big');
    expect(d[0]?.pValue).toBeCloseTo(1 / 501, 10);
  });

  it('metric drop on a daily series (orders per day)', () => {
    const days = Array.from({ length: 60 }, (_, i) => ({
      start: new Date(T0 + i * 86_400_000),
      value: i >= 57 ? 20 : poisson(200, i, 3),
    }));
    const d = detectMetric(days, { ...ctx, watchId: null, bucketSeconds: 86_400, metric: 'orders' });
    expect(d.map((x) => x.kind)).toEqual(['metric_drop']);
    expect(d[0]?.subject).toBe('orders');
    expect(d[0]?.dedupeKey).toBe('metric_drop:ws:orders');
  });

  it('sensitivity: thresholds tighten with low, and cold start raises the bar', () => {
    expect(SENSITIVITY_THRESHOLDS.low.maxP).toBeLessThan(SENSITIVITY_THRESHOLDS.medium.maxP);
    expect(SENSITIVITY_THRESHOLDS.medium.maxP).toBeLessThan(SENSITIVITY_THRESHOLDS.high.maxP);
    expect(thresholdsFor('medium', 0.5)).toBeNull();
    expect(thresholdsFor('medium', 3)?.maxP).toBeLessThan(SENSITIVITY_THRESHOLDS.medium.maxP);
    expect(thresholdsFor('medium', 30)).toEqual(SENSITIVITY_THRESHOLDS.medium);
    // A 3-day-old watch with a 5x hour: reported only if far past the cold-start bar.
    const young = series(3 * 24 + 15, (p, i) => {
      if (i === 3 * 24 + 14) p.mentions = 40;
    });
    expect(detectVolumeChanges(young, ctx)).toEqual([]);
  });
});
