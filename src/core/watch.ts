export type WatchKind = 'brand' | 'competitor';

export interface Watch {
  id: string;
  workspaceId: string;
  name: string;
  kind: WatchKind;
  /** Boolean query in trustwatch's query language (see src/core/query). */
  query: string;
  /** Queries that, when any matches, exclude a mention even if `query` matched. */
  exclusions: string[];
  /** The brand's own accounts: their posts are stored but not counted as customer voice. */
  ownedHandles: string[];
  /** For a competitor watch: the brand watch it is compared with (share of voice). */
  competitorOf: string | null;
  /**
   * The watch's own sentiment words and phrases, weight on AFINN's -5..5 scale ("sick": 3 for a skate
   * brand). They override the built-in lexicons for this watch's score only; empty for most watches.
   */
  lexicon: Record<string, number>;
  createdAt: Date;
}

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}
