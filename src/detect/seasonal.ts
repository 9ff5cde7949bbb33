/**
 * A same-time-last-weeks baseline for a window total: the last `window` buckets against the same
 * buckets 1..`seasons` weeks earlier. The expected total is the median of those past totals, so one
 * past incident (a backlash, a holiday) cannot move it; the spread is the larger of the past totals'
 * robust spread (in log space) and counting noise. Used for drops: "the last 24 hours had 32
 * mentions; the same 24 hours of the last 4 weeks had 91, 88, 120, 95".
 */

import { normalUpper } from './stats.ts';

export interface SeasonalWindowResult {
  observed: number;
  expected: number;
  /** The past totals the expectation is the median of (most recent first). */
  past: number[];
  /** Signed z of ln((observed + 1) / (expected + 1)). */
  z: number;
  /** One-sided p-value in the requested direction. */
  pValue: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Prefix sums for seasonalWindow: out[i] = values[0] + ... + values[i - 1]. */
export function prefixSums(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) out[i + 1] = (out[i] as number) + (values[i] as number);
  return out;
}

/**
 * Judges the window ending at index `i` of `values`. `period` is the season in buckets (168 hourly
 * buckets, or 7 daily ones). Returns null without at least `minSeasons` past seasons (cold start).
 */
export function seasonalWindow(
  values: ArrayLike<number>,
  i: number,
  opts: {
    window: number;
    period: number;
    seasons?: number;
    minSeasons?: number;
    direction: 'up' | 'down';
    /** Prefix sums of `values` (prefix[i] = sum of values[0..i-1]), to judge every bucket in O(seasons). */
    prefix?: ArrayLike<number>;
  },
): SeasonalWindowResult | null {
  const prefix = opts.prefix;
  const sum = (end: number) => {
    if (prefix) return (prefix[end + 1] as number) - (prefix[end + 1 - opts.window] as number);
    let s = 0;
    for (let j = end - opts.window + 1; j <= end; j++) s += values[j] as number;
    return s;
  };
  if (i - opts.window + 1 < 0) return null;
  const past: number[] = [];
  for (let k = 1; k <= (opts.seasons ?? 4); k++) {
    const end = i - k * opts.period;
    if (end - opts.window + 1 < 0) break;
    past.push(sum(end));
  }
  if (past.length < (opts.minSeasons ?? 2)) return null;
  const observed = sum(i);
  const expected = median(past);
  const logs = past.map((x) => Math.log1p(x));
  const mid = median(logs);
  const mad = median(logs.map((x) => Math.abs(x - mid)));
  // Few seasons give a shaky MAD: never trust a spread below 10% or below counting noise.
  const spread = Math.max(0.1, 1.4826 * mad, 1 / Math.sqrt(expected + 1));
  const z = (Math.log1p(observed) - Math.log1p(expected)) / spread;
  return { observed, expected, past, z, pValue: normalUpper(opts.direction === 'up' ? z : -z) };
}
