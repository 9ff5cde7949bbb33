import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('HTTP API [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let viewer: string;
  let otherWorkspace: string;

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? admin : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return app.request(path, { ...init, headers });
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'main');
    admin = (await createToken(store.db, ws.id, { name: 'admin', role: 'admin' }, 'test')).token;
    viewer = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    const other = await ensureWorkspace(store.db, 'other');
    otherWorkspace = (await createToken(store.db, other.id, { name: 'o', role: 'admin' }, 'test')).token;
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 4096,
      now: () => new Date('2026-03-03T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('answers /healthz and /readyz without a token', async () => {
    expect(await (await call('/healthz', { token: null })).json()).toEqual({ status: 'ok' });
    const ready = await call('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', storage: target.name });
  });

  it('refuses /api/v1 without a valid token (401 problem+json)', async () => {
    for (const token of [null, 'tw_not-a-real-token']) {
      const res = await call('/api/v1/watches', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).code).toBe('UNAUTHORIZED');
    }
  });

  let watchId: string;
  it('creates and lists watches; a viewer may read but not create', async () => {
    const created = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Telvana',
        query: 'telvana OR #telvanafail',
        ownedHandles: ['@TelvanaCare'],
      }),
    });
    expect(created.status).toBe(201);
    const watch = await created.json();
    watchId = watch.id;
    expect(watch).toMatchObject({ name: 'Telvana', kind: 'brand', ownedHandles: ['TelvanaCare'] });
    const list = await (await call('/api/v1/watches', { token: viewer })).json();
    expect(list.items.map((w: { id: string }) => w.id)).toEqual([watchId]);
    const denied = await call('/api/v1/watches', {
      method: 'POST',
      token: viewer,
      body: JSON.stringify({ name: 'X', query: 'x' }),
    });
    expect(denied.status).toBe(403);
  });

  it('answers 400 naming the field for an invalid watch query, with its position', async () => {
    const res = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Broken', query: 'telvana AND (outage' }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('QUERY_SYNTAX');
    expect(body.errors[0].path).toBe('query');
    expect(body.detail).toMatch(/position 12/);
  });

  it('answers 400 naming the field for missing or wrong-typed fields and for bad JSON', async () => {
    const missing = await call('/api/v1/watches', { method: 'POST', body: JSON.stringify({ query: 'x' }) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors.map((e: { path: string }) => e.path)).toContain('name');
    const badJson = await call('/api/v1/watches', { method: 'POST', body: '{"name":' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).errors[0].path).toBe('body');
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await call('/api/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ name: 'Big', query: 'x'.repeat(10_000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('PAYLOAD_TOO_LARGE');
  });

  let sourceId: string;
  it('creates a source with a validated config and shows its health', async () => {
    const bad = await call('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ type: 'rss', name: 'Feed', config: { url: 'not a url' } }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('config.url');
    const unknown = await call('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ type: 'carrier-pigeon', name: 'Feed', config: {} }),
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].path).toBe('type');
    const ok = await call('/api/v1/sources', {
      method: 'POST',
      body: JSON.stringify({ type: 'rss', name: 'Feed', config: { url: 'https://example.com/feed.xml' } }),
    });
    expect(ok.status).toBe(201);
    const source = await ok.json();
    sourceId = source.id;
    expect(source.health).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    expect(source.intervalSeconds).toBe(900);
  });

  it('lists mentions with filters and a cursor, and validates them', async () => {
    const items = [
      post('m1', 'Telvana is brilliant, love it', '2026-03-01T10:00:00Z'),
      post('m2', 'Telvana outage again, terrible service', '2026-03-01T11:00:00Z'),
      post('m3', 'Telvana store opens on Monday', '2026-03-02T09:00:00Z'),
    ];
    const ws = await ensureWorkspace(store.db, 'main');
    await ingest(
      store.db,
      { id: sourceId, workspaceId: ws.id, type: 'rss', name: 'Feed', watchId: null },
      items,
    );
    const first = await (await call(`/api/v1/mentions?watch=${watchId}&limit=2`)).json();
    expect(first.items.map((m: { externalId: string }) => m.externalId)).toEqual(['m3', 'm2']);
    const second = await (
      await call(`/api/v1/mentions?watch=${watchId}&limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items.map((m: { externalId: string }) => m.externalId)).toEqual(['m1']);
    expect(second.nextCursor).toBeNull();
    const negative = await (await call('/api/v1/mentions?sentiment=negative')).json();
    expect(negative.items.map((m: { externalId: string }) => m.externalId)).toEqual(['m2']);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['sentiment=angry', 'sentiment'],
      ['from=yesterday', 'from'],
      ['cursor=abc', 'cursor'],
      ['watch=not-a-uuid', 'watch'],
      ['colour=red', 'query'],
    ] as const) {
      const res = await call(`/api/v1/mentions?${query}`);
      expect(res.status, query).toBe(400);
      const body = await res.json();
      expect(
        body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
  });

  it('shows one mention in full: raw payload and the watches it matched', async () => {
    const list = await (await call(`/api/v1/mentions?watch=${watchId}&limit=1`)).json();
    expect(list.items[0]).not.toHaveProperty('raw');
    const id = list.items[0].id;
    const res = await call(`/api/v1/mentions/${id}`);
    expect(res.status).toBe(200);
    const mention = await res.json();
    expect(mention).toMatchObject({ id, externalId: 'm3', raw: null });
    expect(mention.watches).toEqual([{ watchId, owned: false, duplicate: false, matchedTerms: ['telvana'] }]);
    const bad = await call('/api/v1/mentions/abc');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('id');
    expect((await call('/api/v1/mentions/999999')).status).toBe(404);
    expect((await call(`/api/v1/mentions/${id}`, { token: otherWorkspace })).status).toBe(404);
  });

  it('reads a continuous trend by hour and by day', async () => {
    const hourly = await (
      await call(`/api/v1/trends?watch=${watchId}&from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z`)
    ).json();
    expect(hourly.buckets).toHaveLength(48);
    expect(hourly.totals).toMatchObject({ mentions: 3, positive: 1, negative: 1, neutral: 1 });
    expect(hourly.buckets[10]).toMatchObject({ start: '2026-03-01T10:00:00.000Z', mentions: 1, positive: 1 });
    const daily = await (await call(`/api/v1/trends?watch=${watchId}&bucket=day`)).json();
    expect(daily.buckets).toHaveLength(90);
    expect(daily.buckets.slice(-2).map((b: { mentions: number }) => b.mentions)).toEqual([2, 1]);
    const bad = await call(`/api/v1/trends?watch=${watchId}&bucket=minute`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('bucket');
    const missing = await call('/api/v1/trends');
    expect((await missing.json()).errors[0].path).toBe('watch');
  });

  it("never shows one workspace's data to another workspace's token", async () => {
    const watches = await (await call('/api/v1/watches', { token: otherWorkspace })).json();
    expect(watches.items).toEqual([]);
    expect((await call(`/api/v1/watches/${watchId}`, { token: otherWorkspace })).status).toBe(404);
    expect((await call(`/api/v1/sources/${sourceId}`, { token: otherWorkspace })).status).toBe(404);
    expect((await call(`/api/v1/trends?watch=${watchId}`, { token: otherWorkspace })).status).toBe(404);
    const mentions = await (await call('/api/v1/mentions', { token: otherWorkspace })).json();
    expect(mentions.items).toEqual([]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await call('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
