import { type MatchTarget, compileQuery } from '../core/query/index.ts';
import { type Highlight, createHighlighter } from './highlight.ts';
import { compileWatches } from './match.ts';

/**
 * "What would this watch catch?": a draft query, its exclusions and owned handles run against
 * mentions already stored, with the same matcher ingestion uses (src/ingest/match.ts). Pure: the
 * caller reads the mentions and validates the query first (a parse error here is thrown as is).
 */

export interface PreviewInput {
  query: string;
  exclusions?: readonly string[] | undefined;
  ownedHandles?: readonly string[] | undefined;
}

/** A stored mention as the preview needs it: what the matcher reads, plus what a UI shows. */
export interface PreviewMention extends MatchTarget {
  id: number;
  publishedAt: Date;
  url: string | null;
  authorName: string | null;
}

export interface PreviewSample {
  mention: PreviewMention;
  /** The author is one of the draft's owned handles (stored, but not counted as customer voice). */
  owned: boolean;
  /** Query terms found, as written in the query. */
  terms: string[];
  highlights: Highlight[];
}

export interface PreviewResult {
  /** Mentions tested. */
  scanned: number;
  /** Mentions the draft watch would keep (query matches, no exclusion does). */
  matched: number;
  /** Of those, posted by an owned handle. */
  owned: number;
  /** Mentions the query matched but an exclusion removed. */
  excluded: number;
  /** The first `sampleSize` matches, in the order given (newest first from the repository). */
  samples: PreviewSample[];
}

export const DEFAULT_PREVIEW_SAMPLES = 20;

export function previewWatch(
  input: PreviewInput,
  mentions: readonly PreviewMention[],
  sampleSize = DEFAULT_PREVIEW_SAMPLES,
): PreviewResult {
  const rule = {
    id: 'preview',
    query: input.query,
    exclusions: [...(input.exclusions ?? [])],
    ownedHandles: [...(input.ownedHandles ?? [])],
  };
  const { matcher, errors } = compileWatches([rule]);
  const first = errors[0];
  if (first) throw first.error;
  // The bare query as well, only to count what the exclusions take away.
  const query = compileQuery(input.query);
  const highlighter = createHighlighter(query.ast);
  const result: PreviewResult = { scanned: 0, matched: 0, owned: 0, excluded: 0, samples: [] };
  for (const mention of mentions) {
    result.scanned++;
    const [match] = matcher.match(mention);
    if (!match) {
      if (rule.exclusions.length > 0 && query.matches(mention)) result.excluded++;
      continue;
    }
    result.matched++;
    if (match.owned) result.owned++;
    if (result.samples.length < sampleSize) {
      result.samples.push({
        mention,
        owned: match.owned,
        terms: match.terms,
        highlights: createHighlights(highlighter, mention, match.terms),
      });
    }
  }
  return result;
}

function createHighlights(
  highlighter: ReturnType<typeof createHighlighter>,
  mention: PreviewMention,
  terms: string[],
): Highlight[] {
  return highlighter.highlight({ title: mention.title ?? null, text: mention.text }, terms);
}
