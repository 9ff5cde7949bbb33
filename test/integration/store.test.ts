import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustwatchError } from '../../src/core/errors.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { listMentions } from '../../src/store/repositories/mentions.ts';
import { rebuildRollups } from '../../src/store/repositories/rollups.ts';
import { readTrend } from '../../src/store/repositories/trends.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('storage suite [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let brandId: string;
  let rivalId: string;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'acme')).id;
    brandId = (
      await createWatch(
        store.db,
        workspaceId,
        {
          name: 'Telvana',
          query: 'telvana OR #telvanafail',
          ownedHandles: ['TelvanaCare'],
          exclusions: ['"job offer"'],
        },
        'test',
      )
    ).id;
    rivalId = (
      await createWatch(
        store.db,
        workspaceId,
        { name: 'Brightwave', kind: 'competitor', query: 'brightwave', competitorOf: brandId },
        'test',
      )
    ).id;
  });
  afterAll(async () => {
    await store?.close();
  });

  it(`runs migrations once and is idempotent [${target.name}]`, async () => {
    const again = await migrateToLatest(store.db);
    expect(again.applied).toEqual([]);
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name in
        ('workspaces','watches','sources','mentions','mention_watches','rollups','alerts','deliveries','api_tokens','audit_log')`.execute(
      store.db,
    );
    expect(tables.rows[0]?.n).toBe(10);
  });

  it('rejects a second watch with the same name as a CONFLICT', async () => {
    await expect(
      createWatch(store.db, workspaceId, { name: 'Telvana', query: 'x' }, 'test'),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('stores matched mentions once; re-ingesting the same items inserts nothing and duplicates nothing', async () => {
    const source = await makeSource(store.db, workspaceId, 'feed-a');
    const items = [
      post('a1', 'Telvana support is great, thanks!', '2026-03-01T10:05:00Z'),
      post('a2', 'Brightwave has better coverage than anyone', '2026-03-01T10:20:00Z'),
      post('a3', 'Telvana and Brightwave both raised prices', '2026-03-01T11:00:00Z'),
      post('a4', 'Nothing to see here', '2026-03-01T11:10:00Z'),
      post('a5', 'Telvana job offer: apply now', '2026-03-01T11:15:00Z'),
    ];
    const first = await ingest(store.db, source, items);
    expect(first).toMatchObject({ received: 5, inserted: 3, unmatched: 2, updated: 0 });
    const second = await ingest(store.db, source, items);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const count = await store.db
      .selectFrom('mentions')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(3);
    const links = await store.db
      .selectFrom('mention_watches')
      .select(['watch_id'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    expect(links.filter((l) => l.watch_id === brandId)).toHaveLength(2);
    expect(links.filter((l) => l.watch_id === rivalId)).toHaveLength(2);
  });

  it('recognises an unchanged item with engagement and a fractional rating (jsonb key order, float4)', async () => {
    const source = await makeSource(store.db, workspaceId, 'engaged');
    const item = post('e1', 'Telvana review: decent coverage, slow support', '2026-03-02T07:00:00Z', {
      engagement: { likes: 12, replies: 3, shares: 1 },
      rating: 4.2,
    });
    await ingest(store.db, source, [item]);
    expect(await ingest(store.db, source, [item])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const liked = { ...item, engagement: { likes: 13, replies: 3, shares: 1 } };
    expect(await ingest(store.db, source, [liked])).toMatchObject({ updated: 1 });
  });

  it('updates a changed item in place and moves its rollup', async () => {
    const source = await makeSource(store.db, workspaceId, 'feed-b');
    await ingest(store.db, source, [post('b1', 'Telvana is wonderful and amazing', '2026-03-02T08:10:00Z')]);
    const hourBefore = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-03-02T08:00:00Z'),
      to: new Date('2026-03-02T10:00:00Z'),
      bucket: 'hour',
    });
    expect(hourBefore.map((b) => [b.mentions, b.positive])).toEqual([
      [1, 1],
      [0, 0],
    ]);
    const edited = await ingest(store.db, source, [
      post('b1', 'Telvana is terrible, awful, the worst', '2026-03-02T09:30:00Z'),
    ]);
    expect(edited).toMatchObject({ inserted: 0, updated: 1 });
    const hourAfter = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-03-02T08:00:00Z'),
      to: new Date('2026-03-02T10:00:00Z'),
      bucket: 'hour',
    });
    expect(hourAfter.map((b) => [b.mentions, b.negative])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(hourAfter[1]?.meanSentiment).toBeLessThan(0);
  });

  it('keeps the first-seen time of an undated item when it is ingested again', async () => {
    const source = await makeSource(store.db, workspaceId, 'undated');
    const item = {
      externalId: 'u1',
      content: 'Telvana survey comment without a date',
      contentType: 'text' as const,
    };
    await ingest(store.db, source, [item], { now: new Date('2026-03-10T10:00:00Z') });
    const again = await ingest(store.db, source, [item], { now: new Date('2026-03-11T10:00:00Z') });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const row = await store.db
      .selectFrom('mentions')
      .select('published_at')
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(row.published_at.toISOString()).toBe('2026-03-10T10:00:00.000Z');
  });

  it('stores items carrying NUL and control characters (which PostgreSQL text and jsonb reject)', async () => {
    const source = await makeSource(store.db, workspaceId, 'nul');
    const stats = await ingest(store.db, source, [
      post('nul-1', 'Telvana\u0000 broke\u0007 my phone', '2026-03-12T10:00:00Z', {
        author: { name: 'Bad\u0000Name', handle: '@bad\u0000handle' },
        raw: { note: 'nul \u0000 inside', nested: ['\u0000'] },
      }),
    ]);
    expect(stats.inserted).toBe(1);
    const row = await store.db
      .selectFrom('mentions')
      .select(['text', 'author_name', 'author_handle', 'raw'])
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      text: 'Telvana broke my phone',
      author_name: 'BadName',
      author_handle: 'badhandle',
      raw: { note: 'nul  inside', nested: [''] },
    });
  });

  it('links crossposts: same canonical URL from another source counts once', async () => {
    const s1 = await makeSource(store.db, workspaceId, 'news-1');
    const s2 = await makeSource(store.db, workspaceId, 'news-2');
    const at = '2026-03-03T12:10:00Z';
    await ingest(store.db, s1, [
      post('n1', 'Telvana outage report', at, { url: 'https://News.example.com/a?utm_source=x' }),
    ]);
    const second = await ingest(store.db, s2, [
      post('z9', 'Telvana outage report (syndicated)', at, { url: 'https://www.news.example.com/a#top' }),
    ]);
    expect(second).toMatchObject({ inserted: 1, duplicates: 1 });
    const rows = await store.db
      .selectFrom('mentions')
      .select(['id', 'duplicate_of', 'source_id'])
      .where('canonical_url', '=', 'news.example.com/a')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[1]?.duplicate_of).toBe(rows[0]?.id);
    const trend = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-03-03T12:00:00Z'),
      to: new Date('2026-03-03T13:00:00Z'),
      bucket: 'hour',
    });
    expect(trend[0]?.mentions).toBe(1);
  });

  it('counts the same text in a watch within 24 h once, but not after 24 h', async () => {
    const source = await makeSource(store.db, workspaceId, 'social');
    const text = 'Telvana: no signal in Leeds again!!';
    const stats = await ingest(store.db, source, [
      post('t1', text, '2026-03-05T09:00:00Z'),
      post('t2', `${text} https://t.co/abc`, '2026-03-05T20:00:00Z'),
      post('t3', text, '2026-03-06T21:00:00Z'),
    ]);
    expect(stats).toMatchObject({ inserted: 3, duplicates: 1 });
    const day = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-03-05T00:00:00Z'),
      to: new Date('2026-03-07T00:00:00Z'),
      bucket: 'day',
    });
    expect(day.map((b) => b.mentions)).toEqual([1, 1]);
  });

  it('counts a text repeated in a later poll, across a month boundary, once', async () => {
    const source = await makeSource(store.db, workspaceId, 'social-later');
    const text = 'Telvana billing charged me twice, month end again';
    const first = await ingest(store.db, source, [post('m1', text, '2026-03-31T22:00:00Z')]);
    expect(first).toMatchObject({ inserted: 1, duplicates: 0 });
    // The earlier copy lives in March's partitions, the repeat in April's: found across both.
    const again = await ingest(store.db, source, [
      post('m2', text, '2026-04-01T06:00:00Z'),
      post('m3', `${text} (not the same words)`, '2026-04-01T07:00:00Z'),
    ]);
    expect(again).toMatchObject({ inserted: 2, duplicates: 1 });
    const links = await store.db
      .selectFrom('mention_watches as mw')
      .innerJoin('mentions as m', (j) =>
        j.onRef('m.id', '=', 'mw.mention_id').onRef('m.published_at', '=', 'mw.published_at'),
      )
      .select(['m.external_id', 'mw.duplicate', 'm.duplicate_of'])
      .where('m.source_id', '=', source.id)
      .orderBy('m.external_id')
      .execute();
    const firstId = (
      await store.db
        .selectFrom('mentions')
        .select('id')
        .where('source_id', '=', source.id)
        .where('external_id', '=', 'm1')
        .executeTakeFirstOrThrow()
    ).id;
    expect(links).toEqual([
      { external_id: 'm1', duplicate: false, duplicate_of: null },
      { external_id: 'm2', duplicate: true, duplicate_of: firstId },
      { external_id: 'm3', duplicate: false, duplicate_of: null },
    ]);
  });

  it("stores the brand's own posts but does not count them as customer voice", async () => {
    const source = await makeSource(store.db, workspaceId, 'social-owned');
    await ingest(store.db, source, [
      post('o1', 'Telvana here: we are sorry, fix is rolling out', '2026-03-08T10:00:00Z', {
        author: { handle: '@telvanacare' },
      }),
      post('o2', 'Telvana fixed it, thanks', '2026-03-08T10:30:00Z', { author: { handle: 'jane' } }),
    ]);
    const link = await store.db
      .selectFrom('mention_watches as mw')
      .innerJoin('mentions as m', 'm.id', 'mw.mention_id')
      .select(['m.external_id', 'mw.owned'])
      .where('m.source_id', '=', source.id)
      .orderBy('m.external_id')
      .execute();
    expect(link).toEqual([
      { external_id: 'o1', owned: true },
      { external_id: 'o2', owned: false },
    ]);
    const trend = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-03-08T10:00:00Z'),
      to: new Date('2026-03-08T11:00:00Z'),
      bucket: 'hour',
    });
    expect(trend[0]?.mentions).toBe(1);
  });

  it('a source dedicated to a watch keeps items that do not name the brand, minus exclusions', async () => {
    const source = await makeSource(store.db, workspaceId, 'survey', {
      type: 'import',
      watchId: brandId,
      config: {},
    });
    const stats = await ingest(store.db, source, [
      post('s1', 'The app keeps crashing when I pay my bill', '2026-03-09T10:00:00Z', { rating: 2 }),
      post('s2', 'Great job offer for a support role', '2026-03-09T10:00:00Z'),
    ]);
    expect(stats).toMatchObject({ inserted: 1, unmatched: 1 });
    const row = await store.db
      .selectFrom('mentions')
      .select(['rating', 'rating_scale'])
      .where('source_id', '=', source.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ rating: 2, rating_scale: 5 });
  });

  it('paginates mentions with a cursor, every row exactly once, newest first', async () => {
    const source = await makeSource(store.db, workspaceId, 'bulk');
    const items = Array.from({ length: 57 }, (_, i) =>
      post(
        `bulk-${i}`,
        `Telvana bulk post number ${i} about roaming`,
        new Date(Date.UTC(2026, 3, 1, 0, i % 7)).toISOString(),
      ),
    );
    await ingest(store.db, source, items, { batchSize: 10 });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listMentions(store.db, { workspaceId, sourceId: source.id, limit: 10, cursor });
      seen.push(...page.items.map((m) => m.externalId));
      for (let i = 1; i < page.items.length; i++) {
        const [a, b] = [page.items[i - 1], page.items[i]];
        if (!a || !b) continue;
        expect(a.publishedAt.getTime()).toBeGreaterThanOrEqual(b.publishedAt.getTime());
      }
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(57);
    expect(seen).toHaveLength(57);
  });

  it('filters mentions by watch, sentiment and time', async () => {
    const page = await listMentions(store.db, {
      workspaceId,
      watchId: rivalId,
      sentiment: 'positive',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      limit: 50,
    });
    expect(page.items.map((m) => m.externalId)).toEqual(['a2']);
  });

  it('keeps every batch committed before a failing batch, and says where it failed', async () => {
    const source = await makeSource(store.db, workspaceId, 'crashy');
    let inserts = 0;
    const failSecondInsert: KyselyPlugin = {
      transformQuery(args) {
        // The batch writes mentions with one raw `insert into mentions ... select from unnest(...)`.
        if (/insert into mentions\b/.test(JSON.stringify(args.node))) {
          inserts++;
          if (inserts === 2) throw new Error('simulated crash');
        }
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    };
    const items = Array.from({ length: 25 }, (_, i) =>
      post(`c-${i}`, `Telvana crash test message ${i}`, '2026-04-02T10:00:00Z'),
    );
    const err = await ingest(store.db.withPlugin(failSecondInsert), source, items, { batchSize: 10 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(TrustwatchError);
    expect(err.message).toMatch(/batch 2 of 3.*10 mentions of this poll were already stored/);
    const kept = await listMentions(store.db, { workspaceId, sourceId: source.id, limit: 100 });
    expect(kept.items).toHaveLength(10);
    // The rest arrives on the next try, without duplicating the first batch.
    const retry = await ingest(store.db, source, items, { batchSize: 10 });
    expect(retry).toMatchObject({ inserted: 15, unchanged: 10 });
  });

  it('two concurrent ingests of the same items store and count each item once', async () => {
    const source = await makeSource(store.db, workspaceId, 'concurrent');
    const items = Array.from({ length: 40 }, (_, i) =>
      post(`cc-${i}`, `Telvana concurrent post ${i} about billing`, '2026-04-03T10:30:00Z'),
    );
    const [a, b] = await Promise.all([
      ingest(store.db, source, items, { batchSize: 7 }),
      ingest(store.db, source, items, { batchSize: 7 }),
    ]);
    expect((a?.inserted ?? 0) + (b?.inserted ?? 0)).toBe(40);
    const trend = await readTrend(store.db, {
      workspaceId,
      watchId: brandId,
      from: new Date('2026-04-03T10:00:00Z'),
      to: new Date('2026-04-03T11:00:00Z'),
      bucket: 'hour',
    });
    expect(trend[0]?.mentions).toBe(40);
  });

  it('rebuilds rollups to the same numbers as the incremental ones', async () => {
    const before = await store.db
      .selectFrom('rollups')
      .selectAll()
      .orderBy('watch_id')
      .orderBy('bucket_start')
      .execute();
    await rebuildRollups(store.db);
    const after = await store.db
      .selectFrom('rollups')
      .selectAll()
      .orderBy('watch_id')
      .orderBy('bucket_start')
      .execute();
    const strip = (rows: typeof before) =>
      rows.map(({ updated_at: _u, sentiment_sum, ...r }) => ({
        ...r,
        sentiment_sum: Math.round(sentiment_sum * 1e4),
      }));
    expect(strip(after)).toEqual(strip(before));
    expect(after.length).toBeGreaterThan(5);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL && !process.env.CI)('scratch schemas on PostgreSQL', () => {
  it('drops the schema on close with dropSchemaOnClose, and keeps it without', async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('CI=true requires TEST_DATABASE_URL (PostgreSQL)');
    const exists = async (schema: string) => {
      const probe = await connect({ databaseUrl: url, poolSize: 1 });
      try {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from information_schema.schemata where schema_name = ${schema}`.execute(
          probe.db,
        );
        return rows[0]?.n === 1;
      } finally {
        await probe.close();
      }
    };
    const scratch = `tw_scratch_${process.pid}_${Date.now()}`;
    const kept = `${scratch}_kept`;
    await (await connect({ databaseUrl: url, schema: scratch, dropSchemaOnClose: true })).close();
    await (await connect({ databaseUrl: url, schema: kept })).close();
    expect(await exists(scratch)).toBe(false);
    expect(await exists(kept)).toBe(true);
    const cleanup = await connect({ databaseUrl: url, schema: kept, dropSchemaOnClose: true });
    await cleanup.close();
    expect(await exists(kept)).toBe(false);
  });
});
