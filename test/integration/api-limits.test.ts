import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import type { ApiDeps } from '../../src/api/context.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('API rate limits, ETag and CORS [$name]', (target) => {
  let store: Store;
  let admin: string;
  let viewer: string;

  const build = (extra: Partial<ApiDeps> = {}) =>
    createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 4096, ...extra });
  const get = (app: ReturnType<typeof build>, path: string, token: string | null, headers = {}) =>
    app.request(path, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'limits');
    admin = (await createToken(store.db, ws.id, { name: 'admin', role: 'admin' }, 'test')).token;
    viewer = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
  });
  afterAll(async () => {
    await store?.close();
  });

  it('limits each token: RateLimit headers on every response, 429 problem+json with Retry-After', async () => {
    const app = build({ rateLimitPerMinute: 3 });
    // Unauthenticated requests are refused before the limiter and take nothing from a bucket.
    expect((await get(app, '/api/v1/watches', null)).status).toBe(401);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(app, '/api/v1/watches', admin);
      expect(res.status).toBe(200);
      expect(res.headers.get('RateLimit-Limit')).toBe('3');
      expect(res.headers.get('RateLimit-Reset')).toMatch(/^\d+$/);
      remaining.push(res.headers.get('RateLimit-Remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await get(app, '/api/v1/watches', admin);
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(over.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(over.headers.get('RateLimit-Remaining')).toBe('0');
    expect(await over.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Another token of the same workspace has its own bucket.
    expect((await get(app, '/api/v1/watches', viewer)).status).toBe(200);
    // Health checks are not behind tokens and not limited.
    expect((await get(app, '/healthz', null)).status).toBe(200);
  });

  it('sends no RateLimit headers when the limit is off', async () => {
    const app = build({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 5; i++) {
      const res = await get(app, '/api/v1/watches', admin);
      expect(res.status).toBe(200);
      expect(res.headers.get('RateLimit-Limit')).toBeNull();
    }
  });

  it('answers GETs with a weak ETag and 304 on If-None-Match; the tag changes with the data', async () => {
    const app = build();
    const first = await get(app, '/api/v1/watches', admin);
    const tag = first.headers.get('ETag');
    expect(tag).toMatch(/^W\/"[0-9a-f]+"$/);
    const again = await get(app, '/api/v1/watches', admin, { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('ETag')).toBe(tag);

    const created = await app.request('/api/v1/watches', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Etagly', query: 'etagly' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('ETag')).toBeNull();
    const changed = await get(app, '/api/v1/watches', admin, { 'if-none-match': tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(tag);
  });

  it('keeps RateLimit headers on a 304', async () => {
    const app = build({ rateLimitPerMinute: 100 });
    const tag = (await get(app, '/api/v1/watches', admin)).headers.get('ETag');
    const res = await get(app, '/api/v1/watches', admin, { 'if-none-match': tag });
    expect(res.status).toBe(304);
    expect(res.headers.get('RateLimit-Remaining')).toBe('98');
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const app = build();
    const res = await get(app, '/api/v1/watches', admin, { origin: 'https://dash.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await app.request('/api/v1/watches', {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers the preflight for a listed origin only', async () => {
    const app = build({ corsOrigins: ['https://dash.example.com'], rateLimitPerMinute: 50 });
    const preflight = (origin: string) =>
      app.request('/api/v1/watches', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight('https://dash.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://dash.example.com');
    expect(ok.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/);
    expect(ok.headers.get('Access-Control-Allow-Methods')).toMatch(/GET/);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();

    const res = await get(app, '/api/v1/watches', admin, { origin: 'https://dash.example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://dash.example.com');
    expect(res.headers.get('Access-Control-Expose-Headers')).toMatch(/RateLimit-Remaining/);
    const unlisted = await get(app, '/api/v1/watches', admin, { origin: 'https://evil.example.com' });
    expect(unlisted.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
