import type { SourceItem } from '../../src/core/mention.ts';

// What the format parsers (XML feeds, JSON Feed) hand back, and how they refuse a document.

/** Why a document was refused; the caller turns it into FEED_MALFORMED naming the url. */
export class FeedSyntaxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeedSyntaxError';
  }
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'jsonfeed';
  title: string | undefined;
  items: SourceItem[];
}
