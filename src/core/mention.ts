/**
 * The one model every source adapts to. Adapters produce `SourceItem`s (what the upstream said,
 * lightly shaped); the ingest pipeline normalizes them into `Mention`s (what we store and score).
 */

export interface Author {
  name?: string | undefined;
  /** Handle without a leading @, as used on the platform (e.g. `telvana_help`). */
  handle?: string | undefined;
  followers?: number | undefined;
  url?: string | undefined;
}

export interface Engagement {
  likes?: number | undefined;
  replies?: number | undefined;
  shares?: number | undefined;
}

/** What an adapter returns for one upstream item. Only `externalId` and some text are required. */
export interface SourceItem {
  /** Stable id of the item at its source (guid, post id, row id...). Unique per source. */
  externalId: string;
  url?: string | undefined;
  title?: string | undefined;
  /** Body text. May contain HTML when `contentType` is 'html'; the pipeline strips it. */
  content?: string | undefined;
  contentType?: 'html' | 'text' | undefined;
  author?: Author | undefined;
  publishedAt?: Date | string | undefined;
  engagement?: Engagement | undefined;
  /** Star rating or survey score, on the scale given by `ratingScale` (default 5). */
  rating?: number | undefined;
  ratingScale?: number | undefined;
  /** Parent item (a comment's post) and thread root, as external ids at the same source. */
  parentId?: string | undefined;
  threadId?: string | undefined;
  /** Language if the source states it (ISO 639-1); otherwise the pipeline detects it. */
  language?: string | undefined;
  /** The upstream payload, kept for audits and reprocessing. */
  raw?: unknown;
}

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** The trust red flags (and praise) the scorer recognises; see src/score for each rule. */
export type SignalKind =
  | 'complaint'
  | 'slow_response'
  | 'churn_intent'
  | 'advice_elsewhere'
  | 'questioning'
  | 'security_fraud'
  | 'backlash'
  | 'praise'
  | 'question';

export const SIGNAL_KINDS: readonly SignalKind[] = [
  'complaint',
  'slow_response',
  'churn_intent',
  'advice_elsewhere',
  'questioning',
  'security_fraud',
  'backlash',
  'praise',
  'question',
];

/** A trust red flag found in a mention, with the text span that triggered it. */
export interface Signal {
  kind: SignalKind;
  evidence: string;
  start?: number;
  end?: number;
}

export interface Mention {
  id: string;
  workspaceId: string;
  sourceId: string;
  externalId: string;
  url: string | null;
  canonicalUrl: string | null;
  authorName: string | null;
  authorHandle: string | null;
  authorFollowers: number | null;
  title: string | null;
  text: string;
  language: string | null;
  publishedAt: Date;
  fetchedAt: Date;
  engagement: Engagement;
  rating: number | null;
  ratingScale: number | null;
  parentId: string | null;
  threadId: string | null;
  sentimentScore: number;
  sentimentLabel: SentimentLabel;
  signals: Signal[];
  /** Set when this item repeats one already stored (same URL or same text within a watch in 24 h). */
  duplicateOf: string | null;
  /** Watches this mention matched. */
  watchIds: string[];
  raw: unknown;
}
