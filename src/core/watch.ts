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
  createdAt: Date;
}

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}
