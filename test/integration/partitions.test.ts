import { randomBytes } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import {
  addMonths,
  ensureMonthPartitions,
  ensureMonthsAhead,
  listPartitions,
  monthOf,
} from '../../src/store/partitions.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { applyRetention } from '../../src/store/retention.ts';
import type { Database } from '../../src/store/schema.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

const ym = (d: Date) => d.toISOString().slice(0, 7);

async function monthsOf(db: Kysely<Database>, table: string): Promise<string[]> {
  return [...new Set((await listPartitions(db)).filter((p) => p.table === table).map((p) => ym(p.month)))];
}

async function partitionOfMention(db: Kysely<Database>, id: number): Promise<string | undefined> {
  const { rows } = await sql<{
    t: string;
  }>`select tableoid::regclass::text as t from mentions where id = ${id}`.execute(db);
  return rows[0]?.t;
}

async function rollupTotal(db: Kysely<Database>, watchId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('rollups')
    .select(['bucket_start', 'mentions'])
    .where('watch_id', '=', watchId)
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = ym(r.bucket_start);
    out.set(k, (out.get(k) ?? 0) + r.mentions);
  }
  return out;
}

describe.each(storeTargets())('monthly partitions [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let watchId: string;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'parts')).id;
    watchId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 'test')).id;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('has the current month and the next two after migrating, and creates months ahead idempotently', async () => {
    const now = new Date();
    const months = await monthsOf(store.db, 'mentions');
    for (let i = 0; i <= 2; i++) expect(months).toContain(ym(addMonths(monthOf(now), i)));
    expect(await monthsOf(store.db, 'mention_watches')).toEqual(expect.arrayContaining(months));

    const later = new Date(Date.UTC(2031, 4, 17));
    const created = await ensureMonthsAhead(store.db, later);
    expect(created.map(ym)).toEqual(['2031-05', '2031-06', '2031-07']);
    expect(await ensureMonthsAhead(store.db, later)).toEqual([]);
    expect(await monthsOf(store.db, 'mention_watches')).toEqual(
      expect.arrayContaining(['2031-05', '2031-07']),
    );
  });

  it('creates an old month on demand when ingest stores posts from it (an import)', async () => {
    const source = await makeSource(store.db, workspaceId, 'archive');
    expect(await monthsOf(store.db, 'mentions')).not.toContain('2019-03');
    const stats = await ingest(store.db, source, [
      post('old-1', 'telvana support was slow back then', '2019-03-04T10:00:00Z'),
      post('old-2', 'telvana app crashed again', '2019-03-29T23:59:59Z'),
      post('old-3', 'telvana billing, first of the month', '2019-04-01T00:00:00Z'),
    ]);
    expect(stats.inserted).toBe(3);
    expect(await monthsOf(store.db, 'mentions')).toEqual(expect.arrayContaining(['2019-03', '2019-04']));
    const rows = await store.db
      .selectFrom('mentions')
      .select(['id', 'external_id'])
      .where('source_id', '=', source.id)
      .orderBy('external_id')
      .execute();
    expect(await partitionOfMention(store.db, rows[0]?.id as number)).toBe('mentions_p2019_03');
    expect(await partitionOfMention(store.db, rows[2]?.id as number)).toBe('mentions_p2019_04');
  });

  it('lets two workers race to create the same month and two batches of one old month both store', async () => {
    const month = new Date(Date.UTC(2017, 6, 1));
    const results = await Promise.all([
      ensureMonthPartitions(store.db, [month]),
      ensureMonthPartitions(store.db, [new Date(Date.UTC(2017, 6, 15))]),
    ]);
    // Exactly one of them created it; neither failed.
    expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    const a = await makeSource(store.db, workspaceId, 'race-a');
    const b = await makeSource(store.db, workspaceId, 'race-b');
    const [sa, sb] = await Promise.all([
      ingest(store.db, a, [post('r1', 'telvana outage', '2016-02-10T08:00:00Z')]),
      ingest(store.db, b, [post('r2', 'telvana outage too', '2016-02-11T08:00:00Z')]),
    ]);
    expect(sa.inserted + sb.inserted).toBe(2);
    expect(await monthsOf(store.db, 'mentions')).toContain('2016-02');
  });

  it('re-ingests an item whose published_at moved to another month as the same mention, rollups moved', async () => {
    const source = await makeSource(store.db, workspaceId, 'moving');
    const text = 'telvana leaked my card data, this is fraud and I am cancelling';
    await ingest(store.db, source, [post('mv-1', text, '2020-01-15T12:00:00Z')]);
    const first = await store.db
      .selectFrom('mentions')
      .select(['id', 'published_at'])
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    const itemsBefore = await store.db
      .selectFrom('review_items')
      .select(['id', 'published_at'])
      .where('mention_id', '=', first.id)
      .execute();
    expect(itemsBefore.length).toBe(1);
    expect((await rollupTotal(store.db, watchId)).get('2020-01')).toBe(1);

    const again = await ingest(store.db, source, [post('mv-1', text, '2021-03-02T09:00:00Z')]);
    expect(again).toMatchObject({ inserted: 0, updated: 1 });
    const rows = await store.db
      .selectFrom('mentions')
      .select(['id', 'published_at'])
      .where('source_id', '=', source.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(first.id);
    expect(rows[0]?.published_at.toISOString()).toBe('2021-03-02T09:00:00.000Z');
    expect(await partitionOfMention(store.db, first.id)).toBe('mentions_p2021_03');
    const links = await store.db
      .selectFrom('mention_watches')
      .select(['published_at'])
      .where('mention_id', '=', first.id)
      .execute();
    expect(links.map((l) => l.published_at.toISOString())).toEqual(['2021-03-02T09:00:00.000Z']);
    const rollups = await rollupTotal(store.db, watchId);
    expect(rollups.get('2020-01') ?? 0).toBe(0);
    expect(rollups.get('2021-03')).toBe(1);
    // The review item is the same one (reviewers' work kept) and follows the post's time.
    const itemsAfter = await store.db
      .selectFrom('review_items')
      .select(['id', 'published_at'])
      .where('mention_id', '=', first.id)
      .execute();
    expect(itemsAfter.map((i) => i.id)).toEqual(itemsBefore.map((i) => i.id));
    expect(itemsAfter[0]?.published_at.toISOString()).toBe('2021-03-02T09:00:00.000Z');

    // And back: still one row, unchanged on a repeat.
    await ingest(store.db, source, [post('mv-1', text, '2020-01-15T12:00:00Z')]);
    const repeat = await ingest(store.db, source, [post('mv-1', text, '2020-01-15T12:00:00Z')]);
    expect(repeat).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const count = await store.db
      .selectFrom('mentions')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });
});

describe.each(storeTargets())('retention [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let watchId: string;
  const now = new Date(Date.UTC(2026, 10, 23, 12));

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'ret')).id;
    watchId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    const source = await makeSource(store.db, workspaceId, 'feed');
    await ingest(store.db, source, [
      post('a', 'telvana fraud, they leaked my data', '2025-09-10T10:00:00Z'),
      post('b', 'telvana was fine', '2025-10-31T23:00:00Z'),
      post('c', 'telvana new plan', '2025-11-01T00:00:00Z'),
      post('d', 'telvana today', '2026-11-20T10:00:00Z'),
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('is off with 0 months: nothing planned, nothing dropped', async () => {
    const r = await applyRetention(store.db, { keepMonths: 0, now });
    expect(r).toEqual({ cutoff: null, months: [], dryRun: false });
  });

  it('dry run names the months older than the window and changes nothing', async () => {
    const before = await monthsOf(store.db, 'mentions');
    const r = await applyRetention(store.db, { keepMonths: 12, now, dryRun: true });
    expect(ym(r.cutoff as Date)).toBe('2025-11');
    expect(r.months.map((m) => ym(m.month))).toEqual(['2025-09', '2025-10']);
    expect(r.months.map((m) => m.mentions)).toEqual([1, 1]);
    expect(r.months[0]?.reviewItems).toBe(1);
    expect(r.months[0]?.partitions).toEqual(['mentions_p2025_09', 'mention_watches_p2025_09']);
    expect(await monthsOf(store.db, 'mentions')).toEqual(before);
  });

  it('drops only the old months, keeps rollups and the kept months, and audit-logs each month', async () => {
    const rollupsBefore = await rollupTotal(store.db, watchId);
    const termRowsBefore = await store.db
      .selectFrom('term_rollups')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const r = await applyRetention(store.db, { keepMonths: 12, now });
    expect(r.months.map((m) => ym(m.month))).toEqual(['2025-09', '2025-10']);
    const months = await monthsOf(store.db, 'mentions');
    expect(months).not.toContain('2025-09');
    expect(months).not.toContain('2025-10');
    expect(months).toEqual(expect.arrayContaining(['2025-11', '2026-11']));
    expect(await monthsOf(store.db, 'mention_watches')).not.toContain('2025-10');
    const left = await store.db.selectFrom('mentions').select('external_id').orderBy('external_id').execute();
    expect(left.map((m) => m.external_id)).toEqual(['c', 'd']);
    expect(await store.db.selectFrom('review_items').select('id').execute()).toEqual([]);
    expect(await rollupTotal(store.db, watchId)).toEqual(rollupsBefore);
    expect(rollupsBefore.get('2025-09')).toBe(1);
    const termRowsAfter = await store.db
      .selectFrom('term_rollups')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(termRowsAfter.n).toBe(termRowsBefore.n);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', '=', 'retention.drop_month')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => (a.details as { month: string }).month)).toEqual(['2025-09', '2025-10']);
    // A second run finds nothing more to drop.
    expect((await applyRetention(store.db, { keepMonths: 12, now })).months).toEqual([]);
  });
});

/** An empty database (not migrated), of the same kind as the target's. */
async function openBlank(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'pglite') return connect({ dataDir: 'memory://' });
  const schema = `tw_upgrade_${process.pid}_${randomBytes(4).toString('hex')}`;
  return connect({
    databaseUrl: process.env.TEST_DATABASE_URL,
    schema,
    poolSize: 2,
    dropSchemaOnClose: true,
  });
}

describe.each(storeTargets())('migration 0007 upgrades a 0006 database [$name]', (target) => {
  it('keeps every mention, link and review item with their ids, and the identity continues', async () => {
    const old = await openBlank(target.name);
    const db = old.db;
    try {
      const { rows: schemaRows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
      const migrator = new Migrator({
        db: db as Kysely<unknown>,
        provider: {
          getMigrations: async () =>
            Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0007')),
        },
        migrationTableSchema: schemaRows[0]?.s ?? 'public',
      });
      const r = await migrator.migrateToLatest();
      expect(r.error).toBeUndefined();
      await sql`insert into workspaces (slug, name) values ('w', 'W')`.execute(db);
      await sql`insert into watches (workspace_id, name, kind, query) select id, 'Telvana', 'brand', 'telvana' from workspaces`.execute(
        db,
      );
      await sql`insert into sources (workspace_id, type, name, config, interval_seconds)
        select id, 'rss', 's', '{}'::jsonb, 900 from workspaces`.execute(db);
      await sql`insert into mentions (workspace_id, source_id, external_id, text, text_hash, published_at, fetched_at,
          sentiment_score, sentiment_label, terms)
        select w.id, s.id, 'x' || g, 'telvana ' || g, md5(g::text), timestamptz '2024-01-20' + (g * interval '20 days'), now(),
          0, 'neutral', '[]'::jsonb
        from workspaces w, sources s, generate_series(1, 30) g`.execute(db);
      await sql`insert into mention_watches (mention_id, watch_id, workspace_id, published_at, sentiment_score, sentiment_label)
        select m.id, w.id, m.workspace_id, m.published_at, 0, 'neutral' from mentions m, watches w`.execute(
        db,
      );
      await sql`insert into review_items (workspace_id, mention_id, watch_id, published_at)
        select m.workspace_id, m.id, w.id, m.published_at from mentions m, watches w where m.external_id = 'x7'`.execute(
        db,
      );
      await sql`insert into review_notes (item_id, workspace_id, author, body)
        select id, workspace_id, 'ana', 'called them' from review_items`.execute(db);
      const before = await sql<{
        id: number;
        external_id: string;
      }>`select id, external_id from mentions order by id`.execute(db);

      await migrateToLatest(db);

      const after = await sql<{
        id: number;
        external_id: string;
      }>`select id, external_id from mentions order by id`.execute(db);
      expect(after.rows).toEqual(before.rows);
      const links = await sql<{ n: number }>`select count(*)::int as n from mention_watches`.execute(db);
      expect(links.rows[0]?.n).toBe(30);
      const notes = await sql<{ n: number }>`
        select count(*)::int as n from review_notes n join review_items i on i.id = n.item_id
        join mentions m on m.id = i.mention_id where m.external_id = 'x7'`.execute(db);
      expect(notes.rows[0]?.n).toBe(1);
      const kind = await sql<{
        k: string;
      }>`select relkind::text as k from pg_class where oid = to_regclass('mentions')`.execute(db);
      expect(kind.rows[0]?.k).toBe('p');
      // 30 posts 20 days apart from 2024-02-09: one partition per month they fall in.
      const parts = await listPartitions(db as Kysely<Database>);
      const months = new Set(parts.filter((p) => p.table === 'mentions').map((p) => ym(p.month)));
      for (const r of await sql<{ m: string }>`
        select distinct to_char(published_at at time zone 'UTC', 'YYYY-MM') as m from mentions`
        .execute(db)
        .then((x) => x.rows)) {
        expect(months).toContain(r.m);
      }
      const maxBefore = Math.max(...before.rows.map((r) => r.id));
      const inserted = await sql<{ id: number }>`
        insert into mentions (workspace_id, source_id, external_id, text, text_hash, published_at, fetched_at,
          sentiment_score, sentiment_label)
        select w.id, s.id, 'new', 'telvana new', 'h', now(), now(), 0, 'neutral' from workspaces w, sources s
        returning id`.execute(db);
      expect(inserted.rows[0]?.id).toBeGreaterThan(maxBefore);
    } finally {
      await old.close();
    }
  });
});
