import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { SentimentLabel, Signal } from '../../src/core/mention.ts';
import type { Store } from '../../src/store/connect.ts';
import { type MentionWrite, storeMentionBatch } from '../../src/store/repositories/mention-batch.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { makeSource } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

function write(
  id: string,
  text: string,
  at: string,
  watchId: string,
  label: SentimentLabel,
  extra: Partial<MentionWrite> = {},
): MentionWrite {
  return {
    externalId: id,
    url: null,
    canonicalUrl: null,
    title: null,
    text,
    textHash: `h-${id}`,
    authorName: null,
    authorHandle: `author_${id}`,
    authorFollowers: null,
    publishedAt: new Date(at),
    engagement: {},
    rating: null,
    ratingScale: null,
    parentId: null,
    threadId: null,
    language: 'en',
    sentimentScore: label === 'negative' ? -0.5 : label === 'positive' ? 0.5 : 0,
    sentimentLabel: label,
    signals: [],
    raw: null,
    // The query matched the brand name, the first word of every test text.
    matches: [{ watchId, owned: false, terms: [text.split(' ')[0]?.toLowerCase() ?? ''] }],
    ...extra,
  };
}

const sig = (kind: Signal['kind']): Signal[] => [{ kind, evidence: kind }];

describe.each(storeTargets())('trend and metric API [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let viewer: string;
  let other: string;
  let brand: string;
  let rival: string;

  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${init.token ?? admin}`);
    if (init.body) headers.set('content-type', 'application/json');
    return app.request(path, { ...init, headers });
  };
  const json = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await call(path, init);
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'trends-api');
    admin = (await createToken(store.db, ws.id, { name: 'a', role: 'admin' }, 'test')).token;
    viewer = (await createToken(store.db, ws.id, { name: 'v', role: 'viewer' }, 'test')).token;
    const ows = await ensureWorkspace(store.db, 'trends-other');
    other = (await createToken(store.db, ows.id, { name: 'o', role: 'admin' }, 'test')).token;
    brand = (await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    rival = (
      await createWatch(
        store.db,
        ws.id,
        { name: 'Brightwave', kind: 'competitor', query: 'brightwave', competitorOf: brand },
        'test',
      )
    ).id;
    const source = await makeSource(store.db, ws.id, 'social');
    const writes = [
      write('b1', 'Telvana outage #TelvanaDown', '2026-03-02T09:10:00Z', brand, 'negative', {
        signals: sig('churn_intent'),
        authorFollowers: 5000,
        engagement: { likes: 10, shares: 2 },
      }),
      write('b2', 'Telvana outage again #telvanadown', '2026-03-02T09:20:00Z', brand, 'negative'),
      write('b3', 'Telvana great support', '2026-03-02T14:00:00Z', brand, 'positive', {
        rating: 5,
        ratingScale: 5,
      }),
      write('r1', 'Brightwave is fine', '2026-03-02T09:30:00Z', rival, 'positive'),
    ];
    await store.db
      .transaction()
      .execute((trx) => storeMentionBatch(trx, ws.id, source.id, writes, new Date()));
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 1_000_000,
      now: () => new Date('2026-03-03T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('serves volume, sentiment, reputation index, signals, rating, reach and sources per bucket', async () => {
    const { status, body } = await json(
      `/api/v1/trends?watch=${brand}&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z`,
    );
    expect(status).toBe(200);
    expect(body.buckets).toHaveLength(24);
    expect(body.buckets[9]).toMatchObject({
      start: '2026-03-02T09:00:00.000Z',
      mentions: 2,
      negative: 2,
      negativeShare: 1,
      signals: { churn_intent: 1 },
      reach: { followers: 5000, engagement: 12, mentionsWithFollowers: 1 },
      sources: { rss: 2 },
    });
    // 100 x (0 + 5) / (0 + 2 + 1 + 10): two negative mentions, one of them with churn intent.
    expect(body.buckets[9].reputationIndex).toBeCloseTo(500 / 13, 6);
    expect(body.buckets[14]).toMatchObject({ mentions: 1, rating: { mean: 5, count: 1 } });
    expect(body.totals).toMatchObject({
      mentions: 3,
      positive: 1,
      negative: 2,
      rating: { mean: 5, count: 1 },
    });
  });

  it('buckets by day and week in a time zone, and rejects an unknown zone', async () => {
    const tokyo = await json(
      `/api/v1/trends?watch=${brand}&bucket=day&tz=Asia/Tokyo&from=2026-03-01T00:00:00Z`,
    );
    expect(tokyo.status).toBe(200);
    // 09:10 UTC is 18:10 in Tokyo (same day); 14:00 UTC is 23:00 in Tokyo (same day): both on 2 March.
    const days = tokyo.body.buckets.map((b: { start: string; mentions: number }) => [b.start, b.mentions]);
    expect(days).toContainEqual(['2026-03-01T15:00:00.000Z', 3]);
    const week = await json(`/api/v1/trends?watch=${brand}&bucket=week&from=2026-03-02T00:00:00Z`);
    expect(week.body.buckets.map((b: { mentions: number }) => b.mentions)).toEqual([3]);
    const bad = await json(`/api/v1/trends?watch=${brand}&bucket=day&tz=Nowhere/Land`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('tz');
    const long = await json(`/api/v1/trends?watch=${brand}&from=2020-01-01T00:00:00Z`);
    expect(long.status).toBe(400);
  });

  it('compares share of voice and sentiment with competitor watches, from either side', async () => {
    const sov = await json(
      `/api/v1/trends/share-of-voice?watch=${brand}&bucket=day&from=2026-03-02T00:00:00Z`,
    );
    expect(sov.status).toBe(200);
    expect(sov.body.watches.map((w: { name: string; share: number }) => [w.name, w.share])).toEqual([
      ['Telvana', 0.75],
      ['Brightwave', 0.25],
    ]);
    expect(sov.body.watches[1].totals.meanSentiment).toBeCloseTo(0.5, 6);
    const fromRival = await json(
      `/api/v1/trends/share-of-voice?watch=${rival}&bucket=day&from=2026-03-02T00:00:00Z`,
    );
    expect(fromRival.body.watches.map((w: { watchId: string }) => w.watchId)).toEqual([brand, rival]);
  });

  it('lists top hashtags, terms and authors for a window', async () => {
    const tags = await json(`/api/v1/trends/top?watch=${brand}&kind=hashtag`);
    expect(tags.body.items).toEqual([{ term: '#telvanadown', mentions: 2 }]);
    const terms = await json(`/api/v1/trends/top?watch=${brand}&kind=term&limit=1`);
    expect(terms.body.items).toEqual([{ term: 'outage', mentions: 2 }]);
    const authors = await json(`/api/v1/trends/top?watch=${brand}&kind=author`);
    expect(authors.body.items).toHaveLength(3);
    expect((await json(`/api/v1/trends/top?watch=${brand}&kind=emoji`)).status).toBe(400);
    expect((await json(`/api/v1/trends/top?watch=${brand}`, { token: other })).status).toBe(404);
  });

  it('takes time-stamped metric values, replaces a repeated time, and reads them raw or bucketed', async () => {
    const first = await json('/api/v1/metrics/orders', {
      method: 'POST',
      body: JSON.stringify({
        points: [
          { at: '2026-03-01T08:00:00Z', value: 120 },
          { at: '2026-03-01T18:00:00Z', value: 80 },
          { at: '2026-03-02', value: 150 },
        ],
      }),
    });
    expect(first).toMatchObject({
      status: 201,
      body: { name: 'orders', received: 3, inserted: 3, updated: 0 },
    });
    const again = await json('/api/v1/metrics/orders', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-03-02T00:00:00Z', value: 90 }),
      token: viewer,
    });
    expect(again.status).toBe(403);
    const fix = await json('/api/v1/metrics/orders', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-03-02T00:00:00Z', value: 90 }),
    });
    expect(fix).toMatchObject({ status: 200, body: { inserted: 0, updated: 1 } });
    const raw = await json('/api/v1/metrics/orders?from=2026-03-01&to=2026-03-03', { token: viewer });
    expect(raw.body.items.map((p: { value: number }) => p.value)).toEqual([120, 80, 90]);
    const daily = await json('/api/v1/metrics/orders?from=2026-03-01&to=2026-03-04&bucket=day');
    expect(daily.body.items.map((p: { value: number | null }) => p.value)).toEqual([200, 90, null]);
    const avg = await json('/api/v1/metrics/orders?from=2026-03-01&to=2026-03-02&bucket=day&agg=avg');
    expect(avg.body.items[0].value).toBe(100);
    const list = await json('/api/v1/metrics');
    expect(list.body.items).toEqual([
      { name: 'orders', points: 3, first: '2026-03-01T08:00:00.000Z', last: '2026-03-02T00:00:00.000Z' },
    ]);
    expect((await json('/api/v1/metrics', { token: other })).body.items).toEqual([]);
    expect((await json('/api/v1/metrics/orders?from=2026-03-01', { token: other })).body.items).toEqual([]);
  });

  it('rejects invalid metric names, values and bodies with 400 naming the field', async () => {
    const badName = await json('/api/v1/metrics/..%2Fsecret', {
      method: 'POST',
      body: '{"at":"2026-03-01","value":1}',
    });
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].path).toBe('name');
    const badValue = await json('/api/v1/metrics/nps', {
      method: 'POST',
      body: '{"at":"2026-03-01","value":"high"}',
    });
    expect(badValue.status).toBe(400);
    const badTime = await json('/api/v1/metrics/nps', {
      method: 'POST',
      body: '{"at":"yesterday","value":3}',
    });
    expect(badTime.status).toBe(400);
    const notJson = await json('/api/v1/metrics/nps', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const badAgg = await json('/api/v1/metrics/nps?bucket=day&agg=median');
    expect(badAgg.status).toBe(400);
    expect(badAgg.body.errors[0].path).toBe('agg');
  });
});
