import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { TrustwatchError } from '../core/errors.ts';
import { numericTypes } from '../store/pg-types.ts';
import type { Database } from '../store/schema.ts';

/**
 * PostgreSQL through Hyperdrive on Workers. A socket opened while one request (or cron tick, or queue
 * batch) runs cannot be used by another one: workerd refuses "I/O on behalf of a different request".
 * So the Kysely instance (and the Hono app holding it) live for the isolate, while connections belong
 * to one invocation: `withInvocationPool` opens a small pg pool for the invocation and puts it in
 * AsyncLocalStorage, the Kysely pool below borrows from whichever invocation is asking, and the pool
 * is closed when the invocation ends. Hyperdrive keeps the real connections to the database warm, so
 * a connection per invocation is cheap (Cloudflare recommends exactly this).
 */

export interface InvocationContext {
  waitUntil(promise: Promise<unknown>): void;
}

const invocation = new AsyncLocalStorage<pg.Pool>();

/** Connections a single invocation may hold at once (a queue batch polls a few sources in parallel). */
export const INVOCATION_POOL_SIZE = 5;

const invocationPool: PostgresPool = {
  async connect() {
    const pool = invocation.getStore();
    if (!pool) {
      throw new TrustwatchError(
        'DATABASE',
        'Database used outside an invocation (wrap the handler in withInvocationPool)',
      );
    }
    return pool.connect();
  },
  // Each invocation ends its own pool; the isolate-wide Kysely has nothing to close.
  async end() {},
};

let cached: { connectionString: string; db: Kysely<Database> } | undefined;

/** The isolate's Kysely for this Hyperdrive connection string (rebuilt if the binding changes). */
export function workerDatabase(connectionString: string): Kysely<Database> {
  if (cached?.connectionString !== connectionString) {
    cached = {
      connectionString,
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: invocationPool }) }),
    };
  }
  return cached.db;
}

/** Runs `fn` with its own connections to `connectionString`; they are closed after it settles. */
export async function withInvocationPool<T>(
  connectionString: string,
  ctx: InvocationContext,
  fn: () => Promise<T>,
): Promise<T> {
  const pool = new pg.Pool({ connectionString, max: INVOCATION_POOL_SIZE, types: numericTypes });
  // A dropped idle connection must not throw out of the invocation; the next query reconnects.
  pool.on('error', () => {});
  try {
    return await invocation.run(pool, fn);
  } finally {
    ctx.waitUntil(pool.end().catch(() => undefined));
  }
}
