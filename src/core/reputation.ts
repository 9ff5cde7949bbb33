/**
 * The reputation index: one 0-100 number per watch and bucket that a comms team can read at a glance.
 *
 *   index = 100 x (positive + 5) / (positive + negative + severe + 10)
 *
 * - `positive` and `negative` are mentions by sentiment label (neutral ones do not move it);
 * - `severe` counts mentions carrying a trust red flag that hurts more than tone alone: churn intent,
 *   fraud or data-leak talk, and backlash (a mention with several counts once per kind), so a
 *   "switching after this data leak" post weighs about twice a plain complaint;
 * - the +5 / +10 are a prior of five positive and five negative mentions: an empty bucket reads 50
 *   (no evidence either way) and one angry post in a quiet hour moves the index a little, not to 0.
 *
 * 50 is balanced, above 50 more praise than harm, below 50 the reverse. It is a ratio, so it compares
 * across watches of very different volume; it ignores ratings, which have their own series.
 */

export const SEVERE_SIGNAL_KINDS = ['churn_intent', 'security_fraud', 'backlash'] as const;

/** Pseudo-counts of the prior, on each side. */
export const REPUTATION_PRIOR = 5;

export interface ReputationInput {
  positive: number;
  negative: number;
  /** Mentions per signal kind in the bucket. */
  signals?: Readonly<Record<string, number>> | undefined;
}

export function severeCount(signals: Readonly<Record<string, number>> | undefined): number {
  if (!signals) return 0;
  return SEVERE_SIGNAL_KINDS.reduce((t, k) => t + Math.max(0, signals[k] ?? 0), 0);
}

export function reputationIndex(b: ReputationInput): number {
  const pos = Math.max(0, b.positive);
  const bad = Math.max(0, b.negative) + severeCount(b.signals);
  return (100 * (pos + REPUTATION_PRIOR)) / (pos + bad + 2 * REPUTATION_PRIOR);
}
