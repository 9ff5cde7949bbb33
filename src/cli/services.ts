import type { Kysely } from 'kysely';
import { type Config, loadConfig } from '../core/config.ts';
import { TrustwatchError } from '../core/errors.ts';
import { type AppLogger, createLogger } from '../core/logger.ts';
import type { HttpClient } from '../core/source.ts';
import { createHttpClient } from '../ingest/http/client.ts';
import type { PollDeps } from '../ingest/poll.ts';
import { scorerFromConfig } from '../score/http-scorer.ts';
import { type Store, connect } from '../store/connect.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { DEFAULT_WORKSPACE_SLUG, ensureWorkspace } from '../store/repositories/workspaces.ts';
import type { Database } from '../store/schema.ts';

/** Everything a command needs, opened once: config, logger, migrated store, polite HTTP client. */
export interface Services {
  config: Config;
  log: AppLogger;
  store: Store;
  db: Kysely<Database>;
  http: HttpClient;
  pollDeps: PollDeps;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Run migrations first (every command but `migrate` itself does). */
  migrate?: boolean;
  logLevel?: string;
}

export async function openServices(opts: OpenOptions = {}): Promise<Services> {
  const config = loadConfig();
  const log = createLogger(opts.logLevel ?? config.LOG_LEVEL);
  const store = await connect({ databaseUrl: config.DATABASE_URL, dataDir: config.TRUSTWATCH_DATA_DIR });
  if (opts.migrate !== false) await migrateToLatest(store.db);
  const http = createHttpClient({
    timeoutMs: config.TRUSTWATCH_HTTP_TIMEOUT_MS,
    maxBodyBytes: config.TRUSTWATCH_HTTP_MAX_BODY_BYTES,
    ...(config.TRUSTWATCH_USER_AGENT ? { userAgent: config.TRUSTWATCH_USER_AGENT } : {}),
    log,
  });
  const pollDeps: PollDeps = {
    db: store.db,
    http,
    // The offline lexicon scorer unless TRUSTWATCH_SCORER_URL points at a model endpoint.
    scorer: scorerFromConfig(config, log),
    log,
    batchSize: config.TRUSTWATCH_INGEST_BATCH_SIZE,
    now: () => new Date(),
  };
  return { config, log, store, db: store.db, http, pollDeps, close: () => store.close() };
}

/**
 * The workspace a CLI command acts on: the one named by --workspace, else `default` if it exists,
 * else the only workspace there is (so that after `trustwatch demo` plain commands see the demo).
 */
export async function resolveWorkspace(
  db: Kysely<Database>,
  slug?: string,
): Promise<{ id: string; slug: string }> {
  if (slug) {
    const ws = await db
      .selectFrom('workspaces')
      .select(['id', 'slug'])
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!ws) throw new TrustwatchError('NOT_FOUND', `Workspace "${slug}" does not exist`);
    return ws;
  }
  const all = await db.selectFrom('workspaces').select(['id', 'slug']).orderBy('created_at').execute();
  const preferred =
    all.find((w) => w.slug === DEFAULT_WORKSPACE_SLUG) ?? (all.length === 1 ? all[0] : undefined);
  if (preferred) return preferred;
  if (all.length === 0) return ensureWorkspace(db, DEFAULT_WORKSPACE_SLUG, 'Default');
  throw new TrustwatchError(
    'VALIDATION',
    `Several workspaces exist (${all.map((w) => w.slug).join(', ')}); choose one with --workspace`,
  );
}
