import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * Several trustwatch databases (or test runs) share one PostgreSQL, one schema each, and come and go.
 * Starting up (migrations look for their bookkeeping tables) must not fail because some other schema
 * was dropped at that moment: with Kysely's stock introspector it did, 'schema "tw_test_…" does not
 * exist', which once failed a CI run.
 */
const postgres = storeTargets().filter((t) => t.name === 'postgres');

describe.runIf(postgres.length > 0)('start-up while other schemas are created and dropped [postgres]', () => {
  let store: Store;
  let churner: pg.Client;
  let churning = true;
  let churned = 0;
  let churn: Promise<void>;

  beforeAll(async () => {
    store = await (postgres[0] as (typeof postgres)[number]).open();
    churner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await churner.connect();
    const prefix = `tw_churn_${randomBytes(4).toString('hex')}`;
    // Schemas with a wide table each, so a listing of every schema's columns takes a while.
    const columns = Array.from({ length: 40 }, (_, i) => `c${i} int`).join(', ');
    churn = (async () => {
      while (churning) {
        const schema = `${prefix}_${churned++}`;
        await churner.query(`create schema ${schema}; create table ${schema}.t (${columns})`);
        await churner.query(`drop schema ${schema} cascade`);
      }
    })();
  });

  afterAll(async () => {
    churning = false;
    await churn;
    await churner?.end();
    await store?.close();
  });

  it('migrates and introspects its own schema only, however often other schemas are dropped meanwhile', async () => {
    for (let i = 0; i < 40; i++) {
      const outcome = await migrateToLatest(store.db);
      expect(outcome.applied).toEqual([]);
      const tables = await store.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      expect(names).toContain('mentions');
      expect(names).not.toContain('t');
      expect(names).not.toContain('kysely_migration');
      expect(new Set(tables.map((t) => t.schema)).size).toBe(1);
    }
    const withInternal = await store.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(withInternal.map((t) => t.name)).toContain('kysely_migration');
    // The churn really ran alongside (otherwise the loop above proved nothing).
    expect(churned).toBeGreaterThan(10);
  });
});
