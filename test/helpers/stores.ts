import { randomBytes } from 'node:crypto';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

/**
 * The databases the storage suites run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
 * In CI (CI=true) PostgreSQL is required: a missing TEST_DATABASE_URL makes the suite fail, not skip.
 * Each opened store gets its own Postgres schema, dropped on close, so concurrent runs never collide.
 */
export interface StoreTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<Store>;
}

export function storeTargets(): StoreTarget[] {
  const targets: StoreTarget[] = [{ name: 'pglite', open: openPGlite }];
  const url = process.env.TEST_DATABASE_URL;
  if (url || process.env.CI) targets.push({ name: 'postgres', open: () => openPostgres(url) });
  return targets;
}

async function openPGlite(): Promise<Store> {
  const store = await connect({ dataDir: 'memory://' });
  await migrateToLatest(store.db);
  return store;
}

async function openPostgres(url: string | undefined): Promise<Store> {
  if (!url) throw new Error('CI=true requires TEST_DATABASE_URL (PostgreSQL) for the storage suites');
  const schema = `tw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await connect({ databaseUrl: url, schema, poolSize: 4, dropSchemaOnClose: true });
  await migrateToLatest(store.db);
  return store;
}
