/**
 * Cloudflare Workers entry point (see wrangler.toml). It serves the same Hono app; the database is
 * PostgreSQL through a Hyperdrive binding. Scheduled polling through Queues is not wired yet: the
 * worker currently serves the API only (tracked in the "Runs at the edge" issue).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../core/logger.ts';
import type { Database } from '../store/schema.ts';

export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  TRUSTWATCH_API_MAX_BODY_BYTES?: string;
}

// Workers require a default export of the handler object; this is the one exception to the rule.
export default {
  async fetch(
    request: Request,
    env: WorkerEnv,
    ctx: { waitUntil(p: Promise<unknown>): void },
  ): Promise<Response> {
    const pool = new pg.Pool({ connectionString: env.HYPERDRIVE.connectionString, max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const app = createApp({
      db,
      log: silentLogger(),
      storage: 'postgres',
      maxBodyBytes: Number(env.TRUSTWATCH_API_MAX_BODY_BYTES ?? 1024 * 1024),
    });
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(db.destroy());
    }
  },
};
