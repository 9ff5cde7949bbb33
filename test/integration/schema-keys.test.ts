import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * Can the schema be distributed by workspace on Citus (docs/distributed-postgres.md)? Citus requires
 * every primary key and unique constraint/index of a distributed table to include the distribution
 * column, and foreign keys between distributed tables to include it too; a reference table (copied to
 * every node) may not point at a distributed one. This reads the catalog after all migrations.
 */

/** High-volume, per-workspace tables: distributed by workspace_id, colocated. */
const DISTRIBUTED = [
  'mentions',
  'mention_watches',
  'rollups',
  'term_rollups',
  'metric_points',
  'review_items',
  'review_notes',
  'review_history',
];

/**
 * Exempt: small control-plane tables, reference tables on Citus (replicated to every node), and
 * global bookkeeping. Each is listed on purpose; a new table must be classified here or pass the keys rule.
 */
const REFERENCE = [
  'workspaces',
  'watches',
  'sources',
  'api_tokens',
  'alert_routes',
  'alerts',
  'alert_events',
  'deliveries',
  'review_rules',
  'audit_log',
  'dashboard_sessions',
];
const GLOBAL = ['job_leases', 'kysely_migration', 'kysely_migration_lock'];

describe.each(storeTargets())('schema keys allow distribution by workspace_id [$name]', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function tables(): Promise<{ name: string; columns: string[] }[]> {
    const { rows } = await sql<{ name: string; columns: string[] }>`
      select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      group by c.relname order by c.relname
    `.execute(store.db);
    return rows;
  }

  it('every table is classified: distributed (has workspace_id) or an exempt reference/global table', async () => {
    const all = await tables();
    expect(all.length).toBeGreaterThan(15);
    const unclassified = all.filter(
      (t) => !DISTRIBUTED.includes(t.name) && !REFERENCE.includes(t.name) && !GLOBAL.includes(t.name),
    );
    // A table with workspace_id that is not listed is held to the distributed rule below; one without
    // it must be classified by hand.
    expect(unclassified.filter((t) => !t.columns.includes('workspace_id')).map((t) => t.name)).toEqual([]);
    for (const name of DISTRIBUTED) {
      expect(all.find((t) => t.name === name)?.columns, name).toContain('workspace_id');
    }
  });

  it('every primary key and unique constraint or index of a workspace-scoped table includes workspace_id', async () => {
    const all = await tables();
    const scoped = all
      .filter((t) => !REFERENCE.includes(t.name) && !GLOBAL.includes(t.name))
      .map((t) => t.name);
    expect(scoped).toEqual(expect.arrayContaining(DISTRIBUTED));
    const { rows } = await sql<{ tbl: string; idx: string; columns: string[] }>`
      select t.relname as tbl, i.relname as idx,
        array(select a.attname::text from unnest(x.indkey) k join pg_attribute a
              on a.attrelid = t.oid and a.attnum = k) as columns
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      where t.relnamespace = current_schema()::regnamespace and not t.relispartition
        and (x.indisunique or x.indisprimary)
    `.execute(store.db);
    const keysOfScoped = rows.filter((r) => scoped.includes(r.tbl));
    // The distributed tables do have keys (this is not vacuously true).
    expect(new Set(keysOfScoped.map((r) => r.tbl))).toEqual(new Set(scoped));
    const missing = keysOfScoped
      .filter((r) => !r.columns.includes('workspace_id'))
      .map((r) => `${r.tbl}.${r.idx}`);
    expect(missing).toEqual([]);
    // Partitioned tables: every key also carries the partition key (PostgreSQL enforces it; shown here).
    const mentionKeys = keysOfScoped.filter((r) => r.tbl === 'mentions' || r.tbl === 'mention_watches');
    expect(mentionKeys.length).toBeGreaterThanOrEqual(3);
    for (const k of mentionKeys) expect(k.columns, k.idx).toContain('published_at');
  });

  it('foreign keys between workspace-scoped tables include workspace_id; no reference table points at one', async () => {
    const { rows } = await sql<{ tbl: string; ref: string; name: string; columns: string[] }>`
      select t.relname as tbl, r.relname as ref, c.conname as name,
        array(select a.attname::text from unnest(c.conkey) k join pg_attribute a
              on a.attrelid = t.oid and a.attnum = k) as columns
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_class r on r.oid = c.confrelid
      where c.contype = 'f' and t.relnamespace = current_schema()::regnamespace
        and not t.relispartition and c.conparentid = 0
    `.execute(store.db);
    const isScoped = (t: string) => !REFERENCE.includes(t) && !GLOBAL.includes(t);
    const between = rows.filter((r) => isScoped(r.tbl) && isScoped(r.ref));
    expect(between.map((r) => `${r.tbl}->${r.ref}`)).toEqual(
      expect.arrayContaining([
        'mention_watches->mentions',
        'review_items->mentions',
        'review_notes->review_items',
      ]),
    );
    expect(between.filter((r) => !r.columns.includes('workspace_id')).map((r) => r.name)).toEqual([]);
    expect(rows.filter((r) => !isScoped(r.tbl) && isScoped(r.ref)).map((r) => r.name)).toEqual([]);
  });
});
