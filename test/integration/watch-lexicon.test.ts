import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('per-watch lexicon [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let workspaceId: string;
  const call = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${admin}`);
    if (init.body) headers.set('content-type', 'application/json');
    return app.request(path, { ...init, headers });
  };
  const link = async (watchId: string, externalId: string) =>
    store.db
      .selectFrom('mention_watches as mw')
      .innerJoin('mentions as m', 'm.id', 'mw.mention_id')
      .select(['mw.sentiment_score', 'mw.sentiment_label', 'm.sentiment_label as mention_label'])
      .where('mw.watch_id', '=', watchId)
      .where('m.external_id', '=', externalId)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'skate');
    workspaceId = ws.id;
    admin = (await createToken(store.db, ws.id, { name: 'admin', role: 'admin' }, 'test')).token;
    app = createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await store?.close();
  });

  let watchA: string;
  let watchB: string;
  it('creates a watch with a lexicon and refuses weights outside -5..5, naming the word', async () => {
    const bad = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Bad', query: 'deckco', lexicon: { sick: 7 } }),
    });
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(problem.errors[0].path).toBe('lexicon.sick');
    const notNumber = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Bad', query: 'deckco', lexicon: { sick: 'yes' } }),
    });
    expect(notNumber.status).toBe(400);

    const a = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Skate A', query: 'deckco', lexicon: { ' Sick ': 3, 'mid af': -2 } }),
    });
    expect(a.status).toBe(201);
    const watch = await a.json();
    expect(watch.lexicon).toEqual({ sick: 3, 'mid af': -2 });
    watchA = watch.id;
    const b = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Plain B', query: 'deckco' }),
    });
    watchB = (await b.json()).id;
    expect((await (await call(`/api/v1/watches/${watchB}`)).json()).lexicon).toEqual({});
  });

  it('scores "sick" as praise for watch A only; the mention keeps the default score', async () => {
    const source = await makeSource(store.db, workspaceId, 'feed');
    const src = { id: source.id, workspaceId, type: 'rss', name: 'feed', watchId: null };
    await ingest(store.db, src, [
      post('p1', 'the new deckco board is sick', '2026-03-01T10:00:00Z'),
      post('p2', 'deckco wheels are mid af', '2026-03-01T11:00:00Z'),
      post('p3', 'deckco shipped my order', '2026-03-01T12:00:00Z'),
    ]);
    const a1 = await link(watchA, 'p1');
    const b1 = await link(watchB, 'p1');
    expect(a1.sentiment_label).toBe('positive');
    expect(a1.sentiment_score).toBeGreaterThan(0.3);
    expect(b1.sentiment_label).toBe('negative');
    expect(b1.mention_label).toBe('negative');
    // A phrase entry applies too.
    expect((await link(watchA, 'p2')).sentiment_label).toBe('negative');
    expect((await link(watchB, 'p2')).sentiment_label).toBe('neutral');
    // No lexicon word: both links carry the mention's own score.
    const a3 = await link(watchA, 'p3');
    const b3 = await link(watchB, 'p3');
    expect(a3.sentiment_score).toBe(b3.sentiment_score);

    // The rollups count each watch's own label.
    const rollup = (watchId: string) =>
      store.db
        .selectFrom('rollups')
        .select([
          sql<number>`sum(positive)::int`.as('positive'),
          sql<number>`sum(negative)::int`.as('negative'),
        ])
        .where('watch_id', '=', watchId)
        .executeTakeFirstOrThrow();
    expect(await rollup(watchA)).toEqual({ positive: 1, negative: 1 });
    expect(await rollup(watchB)).toEqual({ positive: 0, negative: 1 });
  });

  it('replaces a lexicon with PUT; later mentions use it, {} clears it', async () => {
    const bad = await call(`/api/v1/watches/${watchB}/lexicon`, {
      method: 'PUT',
      body: JSON.stringify({ sick: -5.5 }),
    });
    expect(bad.status).toBe(400);
    const res = await call(`/api/v1/watches/${watchB}/lexicon`, {
      method: 'PUT',
      body: JSON.stringify({ sick: 4 }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).lexicon).toEqual({ sick: 4 });
    const source = await makeSource(store.db, workspaceId, 'feed2');
    const src = { id: source.id, workspaceId, type: 'rss', name: 'feed2', watchId: null };
    await ingest(store.db, src, [post('p4', 'deckco trucks are sick', '2026-03-02T10:00:00Z')]);
    expect((await link(watchB, 'p4')).sentiment_label).toBe('positive');
    const cleared = await call(`/api/v1/watches/${watchA}/lexicon`, { method: 'PUT', body: '{}' });
    expect((await cleared.json()).lexicon).toEqual({});
    const missing = await call('/api/v1/watches/00000000-0000-4000-8000-000000000000/lexicon', {
      method: 'PUT',
      body: '{}',
    });
    expect(missing.status).toBe(404);
  });
});
