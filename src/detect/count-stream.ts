/**
 * A streaming baseline and scorer for one count series (mentions per bucket, orders per day, ...).
 * State is updated bucket by bucket and a bucket's score uses that bucket and the past only, so the
 * same code serves live detection and the NAB benchmark.
 *
 * Model, in log space (y = ln(count + 1)): expected = level + hour-of-day effect + day-of-week effect.
 * The three parts are exponentially weighted averages updated with the residual *clipped* at a few
 * robust standard deviations, and barely updated at all while a bucket is anomalous: a past spike
 * does not lift the baseline, so the next one is still seen (robust to past spikes). Residual
 * spread is tracked per time scale (1, 3, 12 buckets...) so that a sustained rise that no single
 * bucket reveals is still caught, and so that autocorrelated noise does not inflate significance.
 *
 * A bucket's p-value is the larger of two tests that must both agree: the log-space z test (overdispersed
 * real-world noise) and a Poisson test of the count against the expected count (so 0 -> 2 mentions on
 * a quiet watch is not a spike). With several time scales, the smallest p is Bonferroni-corrected.
 */

import { normalUpper, poissonLower, poissonUpper, scoreFromP, surprise } from './stats.ts';

export interface CountStreamOptions {
  /** Bucket width in seconds (300 for NAB, 3600 for hourly rollups, 86400 for daily metrics). */
  bucketSeconds: number;
  /** Window lengths, in buckets, over which the mean residual is tested. */
  scales?: number[];
  /** Buckets before any score is given (cold start); the baseline learns faster meanwhile. */
  warmup?: number;
  /** Half-lives, in days, of the level, hour-of-day and day-of-week averages. */
  levelHalfLifeDays?: number;
  hourHalfLifeDays?: number;
  weekdayHalfLifeDays?: number;
  /** Residuals are clipped at this many robust standard deviations before updating the baseline. */
  clip?: number;
  /** Lower bound of the log-space noise scale, so a perfectly flat series does not alarm on a blip. */
  minSigma?: number;
  /**
   * Non-maximum suppression: `score` is only non-zero when the raw score is higher than every raw score
   * of the previous `refractory` buckets. One incident then yields one onset, not a run of alarms.
   */
  refractory?: number;
  /**
   * Days of memory for the relative score: when > 0, `score` compares the bucket's surprise with the
   * largest surprise of that many past days (0.5 = as unusual as the most unusual bucket then), so
   * that one threshold fits series of very different noise (a mention of a niche brand vs Apple).
   */
  relativeDays?: number;
  /**
   * Which quantile of those past surprises to compare with (1 = the maximum). Below 1, one huge past
   * incident does not mask the next, smaller one.
   */
  relativeQuantile?: number;
  /**
   * Tail of the log-space residuals: `laplace` (exponential tails, the default: real mention counts are
   * heavy-tailed, and a normal tail calls every burst astronomically unlikely) or `normal`.
   */
  tail?: 'laplace' | 'normal';
  /**
   * When > 0, suppression decays instead of lasting `refractory` buckets: a bucket scores only if its
   * raw score beats the previous raw scores discounted by half every this many buckets.
   */
  suppressHalfLife?: number;
  /**
   * Take counting noise out of the log test's spread (default true): on small counts most of the
   * spread is Poisson noise, which the Poisson test already judges.
   */
  poissonAdjust?: boolean;
  /**
   * How a window of k > 1 buckets is summarized: `logSum` (default), the log ratio of its total to the
   * expected total, suits small counts; `meanLog`, the mean of the buckets' log residuals, weighs
   * every bucket alike (better on large, bursty counts such as NAB's tweet volumes).
   */
  windowStat?: 'logSum' | 'meanLog';
  /** Which way is unusual: a rise (spikes), a fall (silence, drops) or both. */
  direction?: 'up' | 'down' | 'both';
}

export interface CountStep {
  /** Expected count for the bucket, from the baseline before it was seen. */
  expected: number;
  observed: number;
  /** Robust z on the log scale at the most unusual time scale (signed). */
  z: number;
  /** The time scale (buckets) at which it was most unusual. */
  scale: number;
  /** Combined one-sided p-value (1 during warm-up). */
  pValue: number;
  /** scoreFromP(pValue) before suppression. */
  rawScore: number;
  /** Score after non-maximum suppression (equal to rawScore when refractory is 0). */
  score: number;
}

const DAY_S = 86_400;
const REL_BINS = 600;
const REL_BIN_WIDTH = 0.1;

interface ScaleState {
  k: number;
  /** Ring buffer of the last k residuals, their sum, and of the last k counts and expectations. */
  res: Float64Array;
  sum: number;
  obs: Float64Array;
  obsSum: number;
  exp: Float64Array;
  expSum: number;
  /** EW mean absolute deviation of the k-bucket mean residual. */
  mad: number;
  /** EW variance of the residual in excess of counting noise (poissonAdjust). */
  xvar: number;
}

export class CountStream {
  readonly options: Required<CountStreamOptions>;
  private n = 0;
  private level = 0;
  private readonly hour = new Float64Array(24);
  private readonly weekday = new Float64Array(7);
  /** Updates each hour-of-day / weekday cell has had: a young cell learns as a running mean (cold start). */
  private readonly hourSeen = new Float64Array(24);
  private readonly weekdaySeen = new Float64Array(7);
  private readonly scales: ScaleState[];
  private readonly aLevel: number;
  private readonly aHour: number;
  private readonly aWeekday: number;
  private readonly aMad: number;
  private readonly recent: Float64Array;
  private suppressLevel = 0;
  /** Monotonic deque (indices, surprises) for the rolling maximum surprise of `relativeDays`. */
  private readonly dqIdx: number[] = [];
  private readonly dqVal: number[] = [];
  private readonly relSpan: number;
  /** For quantiles below 1: a histogram of past surprises (0.1 wide bins) and a ring of their bins. */
  private readonly hist = new Int32Array(REL_BINS);
  private relRing: Int16Array | null = null;

  constructor(options: CountStreamOptions) {
    const perDay = DAY_S / options.bucketSeconds;
    this.options = {
      scales: [1],
      warmup: Math.max(8, Math.round(perDay)),
      levelHalfLifeDays: 3,
      hourHalfLifeDays: 3,
      weekdayHalfLifeDays: 21,
      clip: 2,
      minSigma: 0.05,
      refractory: 0,
      relativeDays: 0,
      relativeQuantile: 1,
      direction: 'up',
      tail: 'laplace',
      poissonAdjust: true,
      windowStat: 'logSum',
      suppressHalfLife: 0,
      ...options,
    };
    const o = this.options;
    const alpha = (halfLifeDays: number, updatesPerDay: number) =>
      1 - 0.5 ** (1 / Math.max(1, halfLifeDays * updatesPerDay));
    this.aLevel = alpha(o.levelHalfLifeDays, perDay);
    // Each hour-of-day cell is seen perDay/24 times a day (at least once), each weekday cell perDay/7.
    this.aHour = alpha(o.hourHalfLifeDays, Math.max(1, perDay / 24));
    this.aWeekday = alpha(o.weekdayHalfLifeDays, Math.max(1, perDay / 7));
    this.aMad = alpha(o.levelHalfLifeDays * 2, perDay);
    this.scales = o.scales.map((k) => ({
      k,
      res: new Float64Array(k),
      sum: 0,
      obs: new Float64Array(k),
      obsSum: 0,
      exp: new Float64Array(k),
      expSum: 0,
      mad: 0,
      xvar: 0,
    }));
    this.recent = new Float64Array(Math.max(1, o.refractory));
    this.relSpan = Math.round(o.relativeDays * perDay);
  }

  /** Buckets seen so far. */
  get seen(): number {
    return this.n;
  }

  /** Sum of the expectations over the last k buckets, if a scale of k buckets is tracked. */
  windowExpected(k: number): number | null {
    const s = this.scales.find((x) => x.k === k);
    return s ? s.expSum : null;
  }

  /** Expected count for a bucket starting at `timeMs`, without updating anything. */
  expectedAt(timeMs: number): number {
    return Math.max(0, Math.exp(this.predictLog(timeMs)) - 1);
  }

  private predictLog(timeMs: number): number {
    const d = new Date(timeMs);
    return this.level + (this.hour[d.getUTCHours()] as number) + (this.weekday[d.getUTCDay()] as number);
  }

  /** One-sided tail probability of a z (in normal-sigma units) under the chosen residual tail. */
  private tailP(z: number): number {
    if (this.options.tail === 'normal') return normalUpper(z);
    // Laplace with the same mean absolute deviation b: sigma = 1.2533 b, P(R > r) = exp(-r / b) / 2.
    return z <= 0 ? 1 - 0.5 * Math.exp(1.2533 * z) : 0.5 * Math.exp(-1.2533 * z);
  }

  /** The relativeQuantile of past surprises from the histogram, then adds `sNow` to it. */
  private pastQuantile(sNow: number): number {
    if (!this.relRing) this.relRing = new Int16Array(this.relSpan).fill(-1);
    const filled = Math.min(this.n, this.relSpan);
    let q = 0;
    if (filled > 0) {
      const above = Math.max(1, Math.ceil((1 - this.options.relativeQuantile) * filled));
      let count = 0;
      for (let b = REL_BINS - 1; b >= 0; b--) {
        count += this.hist[b] as number;
        if (count >= above) {
          q = (b + 1) * REL_BIN_WIDTH;
          break;
        }
      }
    }
    const slot = this.n % this.relSpan;
    const old = this.relRing[slot] as number;
    if (old >= 0) this.hist[old] = (this.hist[old] as number) - 1;
    const bin = Math.min(REL_BINS - 1, Math.floor(sNow / REL_BIN_WIDTH));
    this.relRing[slot] = bin;
    this.hist[bin] = (this.hist[bin] as number) + 1;
    return q;
  }

  /** Feeds one bucket (in time order, no gaps: pass 0 for an empty bucket) and scores it. */
  push(timeMs: number, count: number): CountStep {
    const o = this.options;
    const y = Math.log1p(Math.max(0, count));
    const d = new Date(timeMs);
    const h = d.getUTCHours();
    const wd = d.getUTCDay();
    if (this.n === 0) this.level = y;
    const pred = this.level + (this.hour[h] as number) + (this.weekday[wd] as number);
    const expected = Math.max(0, Math.exp(pred) - 1);
    const r = y - pred;

    let best = { p: 1, z: 0, k: 1 };
    const warm = this.n >= o.warmup;
    for (const s of this.scales) {
      const slot = this.n % s.k;
      s.sum += r - (s.res[slot] as number);
      s.res[slot] = r;
      s.obsSum += count - (s.obs[slot] as number);
      s.obs[slot] = count;
      s.expSum += expected - (s.exp[slot] as number);
      s.exp[slot] = expected;
      if (this.n + 1 < s.k) continue;
      // The window's residual: the log ratio of its total to the expected total (sum first, so that a
      // quiet day of small hourly counts is judged on its total, where counting noise averages out).
      const mean =
        s.k === 1
          ? r
          : o.windowStat === 'meanLog'
            ? s.sum / s.k
            : Math.log1p(s.obsSum) - Math.log1p(s.expSum);
      // The log test's spread. With poissonAdjust, only the variance in excess of counting noise
      // (delta method: var ln(1 + X) ~ mu / (1 + mu)^2 for X ~ Poisson(mu)), tracked per bucket so that
      // noisy quiet nights do not blunt the test in busy hours; the Poisson test judges counting
      // noise itself. Otherwise 1.2533 * the mean absolute deviation (a normal sigma).
      const mu = o.windowStat === 'meanLog' ? s.expSum / s.k : s.expSum;
      const poissonVar = mu / (1 + mu) ** 2 / (o.windowStat === 'meanLog' ? s.k : 1);
      const sigma = o.poissonAdjust
        ? Math.max(o.minSigma, Math.sqrt(Math.max(0, s.xvar)))
        : Math.max(o.minSigma / Math.sqrt(s.k), 1.2533 * s.mad);
      const z = mean / sigma;
      if (warm) {
        let p = 1;
        // Both tests must agree, so the (costlier) Poisson tail is only needed when the log test
        // alone finds the bucket unusual.
        if (o.direction !== 'down') {
          const pl = this.tailP(z);
          p = Math.min(p, pl > 0.05 ? pl : Math.max(pl, poissonUpper(Math.round(s.obsSum), s.expSum)));
        }
        if (o.direction !== 'up') {
          const pl = this.tailP(-z);
          p = Math.min(p, pl > 0.05 ? pl : Math.max(pl, poissonLower(Math.round(s.obsSum), s.expSum)));
        }
        if (p < best.p) best = { p, z, k: s.k };
      }
      // Update the spread with a clipped deviation, so that one burst does not widen it for days.
      const dev = Math.abs(mean);
      const cap = s.mad > 0 ? 4 * s.mad : dev;
      const a = warm ? this.aMad : Math.max(this.aMad, 1 / (this.n + 2));
      s.mad += a * (Math.min(dev, cap) - s.mad);
      // Unbiased (no truncation at 0): the mean of r^2 - poissonVar estimates the excess variance.
      const sq = Math.min(mean * mean, 16 * (Math.max(s.xvar, 0) + poissonVar + o.minSigma ** 2));
      s.xvar += a * (sq - poissonVar - s.xvar);
    }
    const pValue = warm ? Math.min(1, best.p * this.scales.length) : 1;

    // Baseline update: clipped residual, and a much smaller step while the bucket is anomalous.
    const s1 = this.scales[0] as ScaleState;
    const sigma1 = Math.max(o.minSigma, 1.2533 * s1.mad);
    const e = Math.max(-o.clip * sigma1, Math.min(o.clip * sigma1, r));
    const damp = pValue < 1e-3 ? 0.1 : 1;
    const boost = warm ? 1 : Math.max(1, 1 / ((this.n + 2) * this.aLevel));
    this.level += Math.min(1, this.aLevel * boost) * damp * e;
    if (this.n > 0) {
      const hs = (this.hourSeen[h] as number) + 1;
      const ws = (this.weekdaySeen[wd] as number) + 1;
      this.hourSeen[h] = hs;
      this.weekdaySeen[wd] = ws;
      // Residual shared out: the hour cell takes most of what the level did not explain, and a young
      // cell (few days seen) takes it as a running mean, so the daily rhythm is learnt in days.
      this.hour[h] = (this.hour[h] as number) + Math.max(this.aHour, 0.5 / (hs + 1)) * damp * e;
      this.weekday[wd] = (this.weekday[wd] as number) + Math.max(this.aWeekday, 0.25 / (ws + 1)) * damp * e;
    }
    this.n++;

    let rawScore = warm ? scoreFromP(pValue) : 0;
    if (this.relSpan > 0) {
      const sNow = surprise(pValue);
      const idx = this.n;
      while (this.dqIdx.length && (this.dqIdx[0] as number) <= idx - this.relSpan) {
        this.dqIdx.shift();
        this.dqVal.shift();
      }
      const pastMax =
        o.relativeQuantile >= 1
          ? this.dqVal.length
            ? (this.dqVal[0] as number)
            : 0
          : this.pastQuantile(sNow);
      // A floor keeps the ratio meaningful after a very calm stretch (p ~ 1e-2 is ordinary noise).
      const ratio = sNow / Math.max(pastMax, 2);
      rawScore = warm ? ratio / (1 + ratio) : 0;
      while (this.dqVal.length && (this.dqVal[this.dqVal.length - 1] as number) <= sNow) {
        this.dqIdx.pop();
        this.dqVal.pop();
      }
      this.dqIdx.push(idx);
      this.dqVal.push(sNow);
    }
    let score = rawScore;
    if (o.suppressHalfLife > 0) {
      score = rawScore > this.suppressLevel ? rawScore : 0;
      this.suppressLevel = Math.max(this.suppressLevel * 0.5 ** (1 / o.suppressHalfLife), rawScore);
    } else if (o.refractory > 0) {
      let prevMax = 0;
      for (const v of this.recent) prevMax = Math.max(prevMax, v);
      score = rawScore > prevMax ? rawScore : 0;
      this.recent[this.n % o.refractory] = rawScore;
    }
    return { expected, observed: count, z: best.z, scale: best.k, pValue, rawScore, score };
  }
}
