import type { Sensitivity } from '../core/detection.ts';

/**
 * What each sensitivity level means, in numbers (documented in docs/detectors.md). A detection needs
 * all of: a p-value at or below `maxP` (how unusual), an effect at least `minRatio` / `minShareLift`
 * (how big: a tiny but "significant" change on a huge watch is not news), and at least `minCount`
 * mentions behind it (a handful is anecdote). Higher sensitivity alerts earlier and more often.
 */
export interface Thresholds {
  /** Largest p-value that counts as unusual. */
  maxP: number;
  /** Volume and metric spikes: observed / expected at least this. Drops: at most 1 / this. */
  minRatio: number;
  /** Negativity and signal spikes: the share must rise by at least this much (absolute, 0.15 = 15 points). */
  minShareLift: number;
  /** Fewest mentions (or negatives, or signal mentions, or term uses) behind a detection. */
  minCount: number;
  /** Rating drop: the window's mean must be this many stars under the baseline, over minRatings ratings. */
  minRatingDrop: number;
  minRatings: number;
  /** Viral risk: followers + engagement of one negative mention at least this... */
  minReach: number;
  /** ...and at least this many likes + replies + shares (an audience is not yet a spread). */
  minEngagement: number;
}

export const SENSITIVITY_THRESHOLDS: Readonly<Record<Sensitivity, Thresholds>> = {
  low: {
    maxP: 1e-6,
    minRatio: 3,
    minShareLift: 0.25,
    minCount: 20,
    minRatingDrop: 1,
    minRatings: 10,
    minReach: 100_000,
    minEngagement: 10_000,
  },
  medium: {
    maxP: 1e-4,
    minRatio: 2,
    minShareLift: 0.15,
    minCount: 10,
    minRatingDrop: 0.6,
    minRatings: 6,
    minReach: 25_000,
    minEngagement: 5_000,
  },
  high: {
    maxP: 1e-3,
    minRatio: 1.5,
    minShareLift: 0.1,
    minCount: 5,
    minRatingDrop: 0.4,
    minRatings: 4,
    minReach: 5_000,
    minEngagement: 1_000,
  },
};

/**
 * Cold start: while a series has less history than COLD_START_DAYS (the daily and weekly rhythms are
 * not learnt yet), the bar is raised: p-values must be COLD_START_P_FACTOR times smaller and effects
 * COLD_START_RATIO_FACTOR times larger. Before MIN_HISTORY_DAYS nothing but viral risk is reported.
 */
export const MIN_HISTORY_DAYS = 1;
export const COLD_START_DAYS = 7;
export const COLD_START_P_FACTOR = 100;
export const COLD_START_RATIO_FACTOR = 1.5;

export function thresholdsFor(sensitivity: Sensitivity, historyDays: number): Thresholds | null {
  const t = SENSITIVITY_THRESHOLDS[sensitivity];
  if (historyDays < MIN_HISTORY_DAYS) return null;
  if (historyDays >= COLD_START_DAYS) return t;
  return {
    ...t,
    maxP: t.maxP / COLD_START_P_FACTOR,
    minRatio: t.minRatio * COLD_START_RATIO_FACTOR,
    minShareLift: t.minShareLift * COLD_START_RATIO_FACTOR,
  };
}

/** Severity from how far past the threshold a detection is: 1000x smaller p than needed is critical. */
export function severityOf(pValue: number, t: Thresholds): 'warning' | 'critical' {
  return pValue <= t.maxP / 1000 ? 'critical' : 'warning';
}
