import { z } from 'zod';
import type { SentimentLabel } from '../core/mention.ts';
import type { Logger } from '../core/source.ts';
import {
  type ScoreInput,
  type SentimentResult,
  type SentimentScorer,
  labelFor,
  lexiconScorer,
} from './sentiment.ts';

/**
 * A scorer backed by an HTTP endpoint (a model served by the user), with the lexicon scorer as its
 * offline fallback. Protocol (docs/scoring.md):
 *
 *   POST <url>  {"items": [{"text": "...", "language": "en" | null, "rating": 4 | null, "ratingScale": 5 | null}]}
 *   200         {"scores": [{"score": 0.62, "label": "positive"}, ...]}   (same order; `label` optional;
 *                                                                          a bare number is accepted too)
 *
 * Scores are clamped to [-1, 1]; a missing or unknown label is derived from the score. Any failure
 * (network, timeout, non-2xx, malformed or short answer) makes the batch keep its lexicon scores: no
 * item is lost or delayed beyond the timeout. The first failure is logged, then nothing until the
 * endpoint answers again (logged once as recovered), so an outage does not flood the log.
 */

export interface HttpScorerOptions {
  url: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer <token>`; never logged. */
  token?: string | undefined;
  log: Logger;
  /** The synchronous scorer used first and kept on failure (default: the lexicon scorer). */
  fallback?: SentimentScorer;
  /** Largest answer read, in bytes. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
}

const LABELS = new Set<SentimentLabel>(['positive', 'neutral', 'negative']);

const answerSchema = z.object({
  scores: z.array(
    z.union([z.number(), z.object({ score: z.number(), label: z.string().optional() }).loose()]),
  ),
});

/** Where the scorer is, for logs: origin and path only (no credentials, no query string). */
export function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

function toResult(entry: number | { score: number; label?: string | undefined }): SentimentResult | null {
  const raw = typeof entry === 'number' ? entry : entry.score;
  if (!Number.isFinite(raw)) return null;
  const score = Math.max(-1, Math.min(1, raw));
  const given = typeof entry === 'number' ? undefined : entry.label;
  const label = given && LABELS.has(given as SentimentLabel) ? (given as SentimentLabel) : labelFor(score);
  return { score, label, tokens: [], scored: true, basis: 'text' };
}

export function createHttpScorer(opts: HttpScorerOptions): SentimentScorer {
  const fallback = opts.fallback ?? lexiconScorer;
  const doFetch = opts.fetch ?? fetch;
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const where = describeEndpoint(opts.url);
  let failing = false;

  async function request(inputs: ScoreInput[]): Promise<SentimentResult[]> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await doFetch(opts.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ items: inputs }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    if (body.length > maxBody) throw new Error(`answer larger than ${maxBody} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error('answer is not JSON');
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) throw new Error('answer is not {"scores": [...]}');
    const scores = parsed.data.scores;
    if (scores.length !== inputs.length) {
      throw new Error(`answer has ${scores.length} scores for ${inputs.length} texts`);
    }
    return scores.map((entry, i) => {
      const result = toResult(entry);
      if (!result) throw new Error(`score ${i} is not a finite number`);
      return result;
    });
  }

  return {
    id: `http(${where})`,
    score: fallback.score,
    async scoreBatch(inputs) {
      if (inputs.length === 0) return [];
      try {
        const results = await request(inputs);
        if (failing) {
          failing = false;
          opts.log.info({ scorer: where }, 'sentiment scorer answers again');
        }
        return results;
      } catch (err) {
        if (!failing) {
          failing = true;
          const reason =
            err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
              ? `no answer within ${opts.timeoutMs} ms`
              : err instanceof Error
                ? err.message
                : String(err);
          opts.log.warn(
            { scorer: where, err: reason, texts: inputs.length },
            'sentiment scorer failed; using the lexicon scorer until it answers again',
          );
        }
        return null;
      }
    },
  };
}

/** The scorer ingest uses: the HTTP endpoint when one is configured, else the offline lexicon scorer. */
export function scorerFromConfig(
  config: {
    TRUSTWATCH_SCORER_URL?: string | undefined;
    TRUSTWATCH_SCORER_TIMEOUT_MS: number;
    TRUSTWATCH_SCORER_TOKEN?: string | undefined;
  },
  log: Logger,
): SentimentScorer {
  if (!config.TRUSTWATCH_SCORER_URL) return lexiconScorer;
  return createHttpScorer({
    url: config.TRUSTWATCH_SCORER_URL,
    timeoutMs: config.TRUSTWATCH_SCORER_TIMEOUT_MS,
    token: config.TRUSTWATCH_SCORER_TOKEN,
    log,
  });
}
