import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { type PollDeps, pollSource } from '../../src/ingest/poll.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { countMentions } from '../../src/store/repositories/mentions.ts';
import { getSource } from '../../src/store/repositories/sources.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { makeSource } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

/** A feed of the brand and its competitor, as a real blog/news feed would carry them. */
function rss(items: { guid: string; title: string; body: string; date: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Telecom news</title><link>http://127.0.0.1/</link><description>d</description>
${items
  .map(
    (i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>http://127.0.0.1/post/${i.guid}</link>
<description><![CDATA[<p>${i.body}</p>]]></description><pubDate>${new Date(i.date).toUTCString()}</pubDate></item>`,
  )
  .join('\n')}
</channel></rss>`;
}

const FEED = rss([
  {
    guid: 'p1',
    title: 'Telvana outage hits the north',
    body: 'Customers of <b>Telvana</b> report no signal &amp; no answers.',
    date: '2026-03-01T10:00:00Z',
  },
  {
    guid: 'p2',
    title: 'Brightwave expands 5G',
    body: 'Brightwave adds 40 towers.',
    date: '2026-03-01T11:00:00Z',
  },
  {
    guid: 'p3',
    title: 'Telvana apologises',
    body: 'Telvana says service is restored, sorry for the trouble.',
    date: '2026-03-01T15:00:00Z',
  },
  { guid: 'p4', title: 'Weather', body: 'Rain tomorrow.', date: '2026-03-01T16:00:00Z' },
]);

type Mode = 'ok' | 'malformed' | '500' | 'hang' | 'huge';

describe.each(storeTargets())('polling a feed [$name]', (target) => {
  let store: Store;
  let server: Server;
  let base: string;
  let mode: Mode = 'ok';
  let requests: { ifNoneMatch: string | undefined }[] = [];
  let workspaceId: string;
  let brandId: string;
  let rivalId: string;
  let deps: PollDeps;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'poll')).id;
    brandId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 't')).id;
    rivalId = (await createWatch(store.db, workspaceId, { name: 'Brightwave', query: 'brightwave' }, 't')).id;
    server = createServer((req, res) => {
      requests.push({ ifNoneMatch: req.headers['if-none-match'] });
      if (mode === 'hang') return; // never answers: the client's timeout must fire
      if (mode === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
        return;
      }
      if (mode === 'malformed') {
        res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end('<rss><channel><item><title>Telvana');
        return;
      }
      if (mode === 'huge') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          `<rss version="2.0"><channel>${'<item><title>Telvana</title></item>'.repeat(20_000)}</channel></rss>`,
        );
        return;
      }
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' }).end(FEED);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps = {
      db: store.db,
      http: createHttpClient({ timeoutMs: 800, maxBodyBytes: 64 * 1024, maxRetries: 1, backoffBaseMs: 10 }),
      scorer: lexiconScorer,
      log: silentLogger(),
      batchSize: 2,
      now: () => new Date('2026-03-02T00:00:00Z'),
      random: () => 0.5,
    };
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
  });

  it('first poll stores the matching items under the right watch; the second stores nothing new', async () => {
    mode = 'ok';
    requests = [];
    const source = await makeSource(store.db, workspaceId, 'news', { config: { url: `${base}/feed.xml` } });
    const first = await pollSource(deps, source);
    expect(first).toMatchObject({ ok: true });
    expect(first.stats).toMatchObject({ received: 4, inserted: 3, unmatched: 1 });
    const links = await store.db
      .selectFrom('mention_watches as mw')
      .innerJoin('mentions as m', 'm.id', 'mw.mention_id')
      .select(['m.external_id', 'mw.watch_id', 'm.text', 'm.title'])
      .where('m.source_id', '=', source.id)
      .orderBy('m.external_id')
      .execute();
    expect(links.map((l) => [l.external_id, l.watch_id])).toEqual([
      ['p1', brandId],
      ['p2', rivalId],
      ['p3', brandId],
    ]);
    // HTML stripped and entities decoded.
    expect(links[0]?.text).toBe('Customers of Telvana report no signal & no answers.');

    const again = await getSource(store.db, workspaceId, source.id);
    const second = await pollSource(deps, again);
    expect(second).toMatchObject({ ok: true });
    expect(second.stats.inserted).toBe(0);
    expect(requests.at(-1)?.ifNoneMatch).toBe('"v1"');
    expect(await countMentions(store.db, workspaceId, source.id)).toBe(3);

    // Same items without the 304 (the cursor lost): still nothing new, nothing duplicated.
    await store.db.updateTable('sources').set({ cursor: null }).where('id', '=', source.id).execute();
    const third = await pollSource(deps, await getSource(store.db, workspaceId, source.id));
    expect(third.stats).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await countMentions(store.db, workspaceId, source.id)).toBe(3);
  });

  it.each([
    ['malformed', 'FEED_MALFORMED', /feed|xml|malformed|parse/i],
    ['500', 'FETCH_HTTP_STATUS', /500/],
    ['hang', 'FETCH_TIMEOUT', /800 ?ms|timed? ?out/i],
    ['huge', 'FETCH_BODY_TOO_LARGE', /65536|64 ?KiB|limit|cap/i],
  ] as const)(
    'a %s upstream leaves a clear error on the source and loses nothing',
    async (m, code, message) => {
      mode = 'ok';
      const source = await makeSource(store.db, workspaceId, `flaky-${m}`, {
        config: { url: `${base}/${m}.xml` },
      });
      expect((await pollSource(deps, source)).stats.inserted).toBe(3);
      mode = m;
      await store.db.updateTable('sources').set({ cursor: null }).where('id', '=', source.id).execute();
      const failed = await pollSource(deps, await getSource(store.db, workspaceId, source.id));
      expect(failed.ok).toBe(false);
      expect(failed.error?.code).toBe(code);
      const after = await getSource(store.db, workspaceId, source.id);
      expect(after.health.lastErrorCode).toBe(code);
      expect(after.health.lastError).toMatch(message);
      expect(after.health.lastError).toContain(`flaky-${m}`);
      expect(after.health.consecutiveFailures).toBe(1);
      // Backed off beyond the normal interval's lower bound.
      expect(after.health.nextPollAt.getTime()).toBeGreaterThan(new Date('2026-03-02T00:00:00Z').getTime());
      expect(await countMentions(store.db, workspaceId, source.id)).toBe(3);

      // The API shows the same error, without secrets.
      const token = (await createToken(store.db, workspaceId, { name: `t-${m}`, role: 'viewer' }, 't')).token;
      const app = createApp({
        db: store.db,
        log: silentLogger(),
        storage: target.name,
        maxBodyBytes: 1 << 20,
      });
      const res = await app.request(`/api/v1/sources/${source.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.json();
      expect(body.health.lastErrorCode).toBe(code);
      expect(body.health.lastError).toMatch(message);

      // Recovery: the next good poll clears the failure count and keeps the error history in place.
      mode = 'ok';
      const recovered = await pollSource(deps, await getSource(store.db, workspaceId, source.id));
      expect(recovered.ok).toBe(true);
      const healthy = await getSource(store.db, workspaceId, source.id);
      expect(healthy.health.consecutiveFailures).toBe(0);
      expect(await countMentions(store.db, workspaceId, source.id)).toBe(3);
    },
  );
});
