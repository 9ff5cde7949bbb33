import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken, revokeToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

// Long enough for an ingest between two reads on a loaded machine; the token cache's can be short.
const TREND_TTL_MS = 5000;
const TTL_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The per-process caches behind TRUSTWATCH_TREND_CACHE_MS and TRUSTWATCH_TOKEN_CACHE_MS: answers are
 * reused within the TTL and fresh after it, never across workspaces, and token changes made through
 * the API apply at once.
 */
describe.each(storeTargets())('trend and token caches [$name]', { timeout: 30_000 }, (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let admin: string;
  let otherAdmin: string;
  let watchId: string;
  let source: Awaited<ReturnType<typeof makeSource>>;
  const hour = new Date(Date.now() - 2 * 3600_000).toISOString();

  const get = (path: string, token: string, headers: Record<string, string> = {}) =>
    app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const trendTotal = async (token = admin) => {
    const res = await get(`/trends?watch=${watchId}&bucket=day&from=2020-01-01`, token);
    return { status: res.status, body: await res.json(), etag: res.headers.get('etag') };
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'cached');
    workspaceId = ws.id;
    admin = (await createToken(store.db, ws.id, { name: 'a', role: 'admin' }, 'test')).token;
    const other = await ensureWorkspace(store.db, 'other');
    otherAdmin = (await createToken(store.db, other.id, { name: 'o', role: 'admin' }, 'test')).token;
    watchId = (await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    source = await makeSource(store.db, ws.id, 'feed');
    await ingest(store.db, source, [post('a', 'Telvana is great', hour)]);
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 64 * 1024,
      trendCacheMs: TREND_TTL_MS,
      tokenCacheMs: TTL_MS,
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reuses a trend answer within the TTL (with its ETag) and reads it again after', async () => {
    const first = await trendTotal();
    expect(first.status).toBe(200);
    expect(first.body.totals.mentions).toBe(1);
    expect(first.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    await ingest(store.db, source, [post('b', 'Telvana again', hour)]);
    const cached = await trendTotal();
    expect(cached.body.totals.mentions).toBe(1);
    expect(cached.etag).toBe(first.etag);
    const notModified = await get(`/trends?watch=${watchId}&bucket=day&from=2020-01-01`, admin, {
      'if-none-match': first.etag ?? '',
    });
    expect(notModified.status).toBe(304);
    // Past the TTL the old answer may still be served once while a background read refreshes it.
    await sleep(TREND_TTL_MS + 50);
    let fresh = await trendTotal();
    for (let i = 0; i < 50 && fresh.body.totals.mentions !== 2; i++) {
      await sleep(100);
      fresh = await trendTotal();
    }
    expect(fresh.body.totals.mentions).toBe(2);
    expect(fresh.etag).not.toBe(first.etag);
  });

  it('sends the trend gzipped to clients that accept it, the same JSON either way', async () => {
    const path = `/trends?watch=${watchId}&bucket=day&from=2021-01-01`;
    const plain = await get(path, admin);
    const zipped = await get(path, admin, { 'accept-encoding': 'gzip, deflate, br' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(await plain.json());
  });

  it("never serves one workspace's cached trend to another workspace's token", async () => {
    expect((await trendTotal()).status).toBe(200);
    const theirs = await trendTotal(otherAdmin);
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('NOT_FOUND');
  });

  it('applies a revocation made through the API at once, and one made elsewhere within the TTL', async () => {
    const viaApi = await createToken(store.db, workspaceId, { name: 'api', role: 'viewer' }, 'test');
    expect((await get('/workspace', viaApi.token)).status).toBe(200);
    const revoke = await app.request(`/api/v1/tokens/${viaApi.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.status).toBe(200);
    expect((await get('/workspace', viaApi.token)).status).toBe(401);

    // As `trustwatch token revoke` does from another process: this process learns it within the TTL.
    const viaCli = await createToken(store.db, workspaceId, { name: 'cli', role: 'viewer' }, 'test');
    expect((await get('/workspace', viaCli.token)).status).toBe(200);
    await revokeToken(store.db, workspaceId, viaCli.id, 'cli');
    await sleep(TTL_MS + 50);
    expect((await get('/workspace', viaCli.token)).status).toBe(401);
  });

  it('applies a role change made through the API at once', async () => {
    const t = await createToken(store.db, workspaceId, { name: 'promote', role: 'viewer' }, 'test');
    expect((await get('/tokens', t.token)).status).toBe(403);
    const patch = await app.request(`/api/v1/tokens/${t.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    expect(patch.status).toBe(200);
    expect((await get('/tokens', t.token)).status).toBe(200);
  });
});
