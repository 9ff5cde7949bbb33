/**
 * A streaming baseline for a share (negative mentions / all mentions, signal mentions / all) and the
 * test of a bucket against it. The baseline is a count-weighted exponentially weighted share, so a
 * busy hour weighs more than a quiet one, and it is frozen while the share is anomalous (robust to
 * past spikes: a backlash week does not become the new normal). The test is binomial: k of n
 * mentions against the baseline share, widened by `overdispersion` so that ordinary hour-to-hour
 * swings of opinion (real shares vary more than coin flips) are not flagged.
 */

import { binomialUpper } from './stats.ts';

export interface ShareStreamOptions {
  bucketSeconds: number;
  /** Half-life of the baseline, in days. */
  halfLifeDays?: number;
  /**
   * Variance inflation: the binomial test is run on n / overdispersion trials (a beta-binomial-like
   * correction). 1 = pure binomial.
   */
  overdispersion?: number;
  /** Buckets summed for the test (1 = the bucket alone). */
  window?: number;
  /** Prior share used until there is history, and its weight in mentions. */
  prior?: number;
  priorWeight?: number;
}

export interface ShareStep {
  observed: number | null;
  expected: number;
  k: number;
  n: number;
  pValue: number;
}

export class ShareStream {
  private num: number;
  private den: number;
  private readonly a: number;
  private readonly opts: Required<ShareStreamOptions>;
  private readonly ks: number[] = [];
  private readonly ns: number[] = [];
  private buckets = 0;

  constructor(options: ShareStreamOptions) {
    this.opts = { halfLifeDays: 14, overdispersion: 2, window: 1, prior: 0.3, priorWeight: 20, ...options };
    const perDay = 86_400 / this.opts.bucketSeconds;
    this.a = 1 - 0.5 ** (1 / Math.max(1, this.opts.halfLifeDays * perDay));
    this.num = this.opts.prior * this.opts.priorWeight;
    this.den = this.opts.priorWeight;
  }

  get baseline(): number {
    return this.den > 0 ? this.num / this.den : this.opts.prior;
  }

  get seen(): number {
    return this.buckets;
  }

  push(k: number, n: number, anomalyP = 1e-4): ShareStep {
    this.ks.push(k);
    this.ns.push(n);
    if (this.ks.length > this.opts.window) {
      this.ks.shift();
      this.ns.shift();
    }
    const kw = this.ks.reduce((a, b) => a + b, 0);
    const nw = this.ns.reduce((a, b) => a + b, 0);
    const expected = this.baseline;
    const od = this.opts.overdispersion;
    // A share at or under the baseline is not a spike: skip the binomial sum.
    const pValue =
      nw > 0 && kw / nw > expected
        ? binomialUpper(Math.floor(kw / od), Math.max(1, Math.round(nw / od)), expected)
        : 1;
    const step: ShareStep = { observed: nw > 0 ? kw / nw : null, expected, k: kw, n: nw, pValue };
    if (pValue > anomalyP) {
      // Decay then add: the sums are an exponentially weighted count of past mentions.
      this.num = this.num * (1 - this.a) + k;
      this.den = this.den * (1 - this.a) + n;
    }
    this.buckets++;
    return step;
  }
}
