import Sentiment from 'sentiment';
import type { SentimentLabel } from '../core/mention.ts';

/**
 * Sentiment from the `sentiment` package (AFINN-165 word scores). A later issue replaces this with a
 * richer scorer; the interface stays: a compound score in [-1, 1], a label, and the driving tokens.
 */
export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  /** Words that carried a score, for highlighting. */
  tokens: { word: string; weight: number }[];
}

export interface SentimentScorer {
  id: string;
  score(text: string, language?: string | null): SentimentResult;
}

/** Scores at or beyond these count as positive/negative; between them, neutral. */
export const SENTIMENT_THRESHOLD = 0.05;

const analyzer = new Sentiment();

/**
 * Maps the AFINN sum to [-1, 1] with VADER's normalisation x / sqrt(x^2 + alpha), which keeps short
 * strongly-worded posts strong and stops long posts from saturating.
 */
function normalize(sum: number, alpha = 15): number {
  if (sum === 0) return 0;
  return sum / Math.sqrt(sum * sum + alpha);
}

export function labelFor(score: number): SentimentLabel {
  if (score >= SENTIMENT_THRESHOLD) return 'positive';
  if (score <= -SENTIMENT_THRESHOLD) return 'negative';
  return 'neutral';
}

export const afinnScorer: SentimentScorer = {
  id: 'afinn',
  score(text: string, language?: string | null): SentimentResult {
    // AFINN is an English lexicon: scoring other languages with it would be a guess.
    if (language && language !== 'en') return { score: 0, label: 'neutral', tokens: [] };
    const result = analyzer.analyze(text);
    const score = normalize(result.score);
    const tokens = result.calculation.flatMap((entry) =>
      Object.entries(entry).map(([word, weight]) => ({ word, weight })),
    );
    return { score, label: labelFor(score), tokens };
  },
};
