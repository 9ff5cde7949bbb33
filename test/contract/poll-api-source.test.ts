import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { type PoliteHttpClient, createHttpClient } from '../../src/ingest/http/client.ts';
import { type PollDeps, pollSource } from '../../src/ingest/poll.ts';
import { afinnScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { countMentions } from '../../src/store/repositories/mentions.ts';
import { getSource } from '../../src/store/repositories/sources.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { makeSource } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';
import { ownFixture, readJson } from './fixtures.ts';

/**
 * An API adapter driven by the real poller (src/ingest/poll.ts) and stored: pages are followed
 * through `more`, the cursor is saved, the next poll stores nothing twice, and a failing upstream
 * leaves a clear error on the source without its secret.
 */

const PAGES = [1, 2].map((n) => readJson(ownFixture(`stackexchange/search-excerpts-acme-page${n}.json`)));
const KEY = 'se-key-never-shown-77';

describe.each(storeTargets())('polling an API source [$name]', (target) => {
  let store: Store;
  let server: Server;
  let base = '';
  let failing = false;
  let http: PoliteHttpClient;
  let deps: PollDeps;
  let workspaceId: string;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'api-poll')).id;
    await createWatch(store.db, workspaceId, { name: 'Acme', query: 'acme' }, 't');
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', base);
      if (failing) return void res.writeHead(500).end('down');
      const page = PAGES[Number(url.searchParams.get('page') ?? '1') - 1];
      res.writeHead(page ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(page ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = createHttpClient({ timeoutMs: 1000, maxRetries: 0 });
    deps = {
      db: store.db,
      http,
      scorer: afinnScorer,
      log: silentLogger(),
      batchSize: 10,
      now: () => new Date('2026-03-02T00:00:00Z'),
      random: () => 0.5,
    };
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await http?.close();
    await store?.close();
  });

  it('follows the pages, saves the cursor, and the next poll stores nothing twice', async () => {
    const source = await makeSource(store.db, workspaceId, 'SE acme', {
      type: 'stackexchange',
      config: { query: 'acme', key: KEY, baseUrl: base, pageSize: 3 },
    });
    const first = await pollSource(deps, source);
    expect(first).toMatchObject({ ok: true, pages: 2 });
    expect(first.stats).toMatchObject({ received: 5, inserted: 5 });
    const saved = await getSource(store.db, workspaceId, source.id);
    expect(saved.cursor).toMatchObject({ mark: '1772323200', atMark: ['a77010003'] });

    const second = await pollSource(deps, saved);
    expect(second).toMatchObject({ ok: true, pages: 1 });
    expect(second.stats.received).toBe(0);
    expect(await countMentions(store.db, workspaceId, source.id)).toBe(5);

    failing = true;
    try {
      const failed = await pollSource(deps, await getSource(store.db, workspaceId, source.id));
      expect(failed.error?.code).toBe('FETCH_HTTP_STATUS');
    } finally {
      failing = false;
    }
    const after = await getSource(store.db, workspaceId, source.id);
    expect(after.health.lastError).toMatch(/stackexchange source "SE acme".*HTTP 500/);
    expect(after.health.lastError).not.toContain(KEY);
    expect(after.health.lastError).toContain('key=[redacted]');
    expect(await countMentions(store.db, workspaceId, source.id)).toBe(5);
  });
});
