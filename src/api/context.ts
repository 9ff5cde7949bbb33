import type { Kysely } from 'kysely';
import type { AppLogger } from '../core/logger.ts';
import type { SentimentScorer } from '../score/sentiment.ts';
import type { Role, TokenPrincipal } from '../store/repositories/tokens.ts';
import type { Database } from '../store/schema.ts';
import type { DashboardOptions } from './dashboard/context.ts';

/** What the HTTP layer needs from the outside world; runtime adapters (node, worker) provide it. */
export interface ApiDeps {
  db: Kysely<Database>;
  log: AppLogger;
  /** Label of the storage backend for /readyz (`pglite` or `postgres`). */
  storage: string;
  maxBodyBytes: number;
  now?: () => Date;
  /** Scores pushed mentions (webhook ingest) the way the pollers score theirs. Default: the lexicon scorer. */
  scorer?: SentimentScorer | undefined;
  /** Requests per minute per API token (TRUSTWATCH_API_RATE_LIMIT); unset or 0: no limit. */
  rateLimitPerMinute?: number | undefined;
  /** Browser origins allowed to call /api/* (TRUSTWATCH_CORS_ORIGINS); unset or empty: CORS off. */
  corsOrigins?: readonly string[] | undefined;
  /** How long trend answers are reused, in ms (TRUSTWATCH_TREND_CACHE_MS); unset or 0: not cached. */
  trendCacheMs?: number | undefined;
  /** How long token lookups are reused, in ms (TRUSTWATCH_TOKEN_CACHE_MS); unset or 0: not cached. */
  tokenCacheMs?: number | undefined;
  /**
   * The web dashboard's assets and cookie settings; when absent (e.g. a worker without them) only the
   * API is served and `/` answers with the JSON index.
   */
  dashboard?: DashboardOptions | undefined;
}

export interface AppEnv {
  Variables: {
    principal: TokenPrincipal;
  };
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

/** Whether the principal's role is `role` or a higher one (viewer < reviewer < admin). */
export function hasRole(principal: TokenPrincipal, role: Role): boolean {
  return ROLE_RANK[principal.role] >= ROLE_RANK[role];
}

const TOKEN_ACTOR = 'token:';

/** Who did it, as the audit log and review history record it (`token:<id>`), from the API and the dashboard alike. */
export function actorOf(principal: Pick<TokenPrincipal, 'tokenId'>): string {
  return `${TOKEN_ACTOR}${principal.tokenId}`;
}

/** The token id inside an actor written by `actorOf`; undefined for other actors (`cli`, `auto`, `slack:…`). */
export function tokenIdOfActor(actor: string | null): string | undefined {
  return actor?.startsWith(TOKEN_ACTOR) ? actor.slice(TOKEN_ACTOR.length) : undefined;
}
