import type { Kysely } from 'kysely';
import type { AppLogger } from '../core/logger.ts';
import type { SentimentScorer } from '../score/sentiment.ts';
import type { Role, TokenPrincipal } from '../store/repositories/tokens.ts';
import type { Database } from '../store/schema.ts';

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
}

export interface AppEnv {
  Variables: {
    principal: TokenPrincipal;
  };
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };
