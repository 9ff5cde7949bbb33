import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { type NodeService, startNodeService } from '../../src/runtime/node.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createSource } from '../../src/store/repositories/sources.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';

describe('the Node service (HTTP server + scheduler)', () => {
  let store: Store;
  let service: NodeService;
  let token: string;
  let sourceId: string;

  beforeAll(async () => {
    store = await connect({ dataDir: 'memory://' });
    await migrateToLatest(store.db);
    const ws = await ensureWorkspace(store.db, 'svc');
    token = (await createToken(store.db, ws.id, { name: 't', role: 'viewer' }, 't')).token;
    await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 't');
    const config = {
      seed: 3,
      channel: 'social',
      startAt: new Date(Date.now() - 86_400_000).toISOString(),
      days: 1,
    };
    sourceId = (
      await createSource(
        store.db,
        ws.id,
        { type: 'demo', name: 'live', config, intervalSeconds: 300 },
        't',
        config,
      )
    ).id;
    service = await startNodeService({
      db: store.db,
      log: silentLogger(),
      storage: store.dialect,
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1 << 20,
      scheduler: {
        deps: {
          db: store.db,
          http: createHttpClient(),
          scorer: lexiconScorer,
          log: silentLogger(),
          batchSize: 200,
          now: () => new Date(),
        },
        tickMs: 100,
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await store?.close();
  });

  it('serves /healthz and /readyz over real HTTP on loopback', async () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${service.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('polls due sources in the background; the API shows their health', async () => {
    let health: { lastSuccessAt: string | null } = { lastSuccessAt: null };
    for (let i = 0; i < 100 && !health.lastSuccessAt; i++) {
      const res = await fetch(`${service.url}/api/v1/sources/${sourceId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      health = (await res.json()).health;
      if (!health.lastSuccessAt) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health.lastSuccessAt).not.toBeNull();
    const mentions = await fetch(`${service.url}/api/v1/mentions?limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await mentions.json()).items.length).toBe(5);
    // The environment's default per-token rate limit is applied by the service (not only by createApp).
    expect(mentions.headers.get('ratelimit-limit')).toBe(String(loadConfig().TRUSTWATCH_API_RATE_LIMIT));
  });
});
