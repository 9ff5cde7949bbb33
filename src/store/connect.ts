import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type KyselyConfig, sql } from 'kysely';
import pg from 'pg';
import { TrustwatchError } from '../core/errors.ts';
import { redactUrl as redactUrlParts } from '../core/redact-url.ts';
import { INT8_OID, NUMERIC_OID, numericTypes } from './pg-types.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { SchemaScopedPostgresDialect } from './schema-scoped-dialect.ts';
import type { Database } from './schema.ts';

export type DialectName = 'pglite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, without credentials (for logs and `--help`). */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` (or undefined with `inMemory`) keeps it in memory. */
  dataDir?: string | undefined;
  /** Postgres schema to use (tests give each run its own). Created if missing. */
  schema?: string | undefined;
  /** Drop `schema` (cascade) when the store closes: a scratch schema for one test run or benchmark. */
  dropSchemaOnClose?: boolean | undefined;
  poolSize?: number | undefined;
  /** Called after every query with its SQL and duration (slow-query logging, profiling). */
  onQuery?: ((sql: string, ms: number) => void) | undefined;
}

function queryLogger(opts: ConnectOptions): KyselyConfig['log'] {
  const onQuery = opts.onQuery;
  if (!onQuery) return undefined;
  return (event) => onQuery(event.query.sql, event.queryDurationMillis);
}

export async function connect(opts: ConnectOptions = {}): Promise<Store> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl, opts);
  return connectPGlite(opts.dataDir ?? './data', opts);
}

async function connectPGlite(dataDir: string, opts: ConnectOptions): Promise<Store> {
  const inMemory = dataDir === 'memory://' || dataDir === ':memory:';
  let unlock = () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? undefined : dataDir, {
      parsers: { [INT8_OID]: Number, [NUMERIC_OID]: Number },
    });
  } catch (err) {
    unlock();
    throw new TrustwatchError(
      'DATABASE',
      `Could not open the embedded database in ${dataDir}: ${String(err)}`,
      {
        cause: err,
      },
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: queryLogger(opts) });
  return {
    db,
    dialect: 'pglite',
    location: inMemory ? 'PGlite (in memory)' : `PGlite at ${dataDir}`,
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PGlite is an embedded, single-process database: two processes writing one data directory would
 * corrupt it. A lock file holding the owner's pid keeps a second trustwatch out with a clear error;
 * a lock left by a process that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'trustwatch.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && isRunning(pid)) {
        throw new TrustwatchError(
          'DATABASE',
          `The embedded database in ${dataDir} is in use by ${pid === process.pid ? 'this process already' : `another trustwatch process (pid ${pid})`}. Stop it first, point TRUSTWATCH_DATA_DIR elsewhere, or use PostgreSQL (DATABASE_URL) to run several processes.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new TrustwatchError('DATABASE', `Could not lock the embedded database in ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function connectPostgres(url: string, opts: ConnectOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: numericTypes,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  if (opts.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) {
      throw new TrustwatchError('CONFIG_INVALID', `Invalid schema name ${opts.schema}`);
    }
    try {
      await pool.query(`create schema if not exists ${opts.schema}`);
    } catch (err) {
      await pool.end();
      throw new TrustwatchError(
        'DATABASE',
        `Could not reach PostgreSQL at ${redactUrl(url)}: ${String(err)}`,
        {
          cause: err,
        },
      );
    }
  }
  const db = new Kysely<Database>({
    dialect: new SchemaScopedPostgresDialect({ pool }),
    log: queryLogger(opts),
  });
  const schema = opts.schema;
  const close = async () => {
    if (schema && opts.dropSchemaOnClose)
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(db);
    await db.destroy();
  };
  return { db, dialect: 'postgres', location: `PostgreSQL at ${redactUrl(url)}`, close };
}

/**
 * A database URL safe for logs: the shared URL redaction (userinfo password and credential-like query
 * parameters such as `?password=`). Anything that does not parse as a URL may be a libpq key/value
 * string with a password inside, so it is not shown at all.
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '<invalid url>';
  return redactUrlParts(url);
}
