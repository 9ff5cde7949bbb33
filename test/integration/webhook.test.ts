import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../sources/webhook/signature.ts';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { PUSH_SOURCE_RECHECK_MS, pollSource } from '../../src/ingest/poll.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { countMentions } from '../../src/store/repositories/mentions.ts';
import { type SourceRecord, getSource } from '../../src/store/repositories/sources.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { makeSource } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-03-03T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe.each(storeTargets())('webhook push: POST /api/v1/ingest/:sourceId [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let source: SourceRecord;
  let disabled: SourceRecord;
  let rss: SourceRecord;
  let admin: string;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'main')).id;
    admin = (await createToken(store.db, workspaceId, { name: 'admin', role: 'admin' }, 'test')).token;
    await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 't');
    source = await makeSource(store.db, workspaceId, 'helpdesk', {
      type: 'webhook',
      config: { secret: SECRET },
    });
    disabled = await makeSource(store.db, workspaceId, 'old', {
      type: 'webhook',
      config: { secret: SECRET },
    });
    await store.db.updateTable('sources').set({ enabled: false }).where('id', '=', disabled.id).execute();
    rss = await makeSource(store.db, workspaceId, 'feed');
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 8192,
      now: () => NOW,
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** A signed push; `sign` lets a case change what is signed or how. */
  function push(
    id: string,
    body: unknown,
    sign: { secret?: string; timestamp?: number; signed?: string; headers?: Record<string, string> } = {},
  ) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = sign.timestamp ?? nowSeconds;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-trustwatch-timestamp': String(timestamp),
      'x-trustwatch-signature': signatureHeader(sign.secret ?? SECRET, timestamp, sign.signed ?? raw),
      ...sign.headers,
    };
    return app.request(`/api/v1/ingest/${id}`, { method: 'POST', body: raw, headers });
  }

  const count = () => countMentions(store.db, workspaceId, source.id);

  it('accepts one signed item without an API token and answers with counts', async () => {
    const res = await push(source.id, {
      externalId: 'tk-1',
      text: 'Telvana support never answered my ticket',
      author: { name: 'Ana', handle: 'ana' },
      publishedAt: '2026-03-03T11:00:00Z',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sourceId: source.id, received: 1, inserted: 1, unmatched: 0 });
    expect(await count()).toBe(1);
  });

  it('accepts a batch, and is idempotent on externalId', async () => {
    const batch = {
      items: [
        { externalId: 'tk-1', text: 'Telvana support never answered my ticket' },
        { externalId: 'tk-2', text: 'Telvana fixed it within an hour, thanks', rating: 5 },
        { externalId: 3, title: 'Weather', text: 'Rain tomorrow' },
      ],
    };
    const first = await (await push(source.id, batch)).json();
    expect(first).toMatchObject({ received: 3, inserted: 1, unchanged: 1, unmatched: 1 });
    const again = await (await push(source.id, batch)).json();
    expect(again).toMatchObject({ received: 3, inserted: 0, unchanged: 2 });
    // A bare array works too.
    const array = await (await push(source.id, [{ externalId: 'tk-4', text: 'telvana ok' }])).json();
    expect(array).toMatchObject({ received: 1, inserted: 1 });
    expect(await count()).toBe(3);
    // The push shows on the source's health, and the secret is masked in the API.
    const view = await (
      await app.request(`/api/v1/sources/${source.id}`, { headers: { authorization: `Bearer ${admin}` } })
    ).json();
    expect(view.config.secret).toBe('[redacted]');
    expect(view.health.lastStats).toMatchObject({ pushed: true, received: 1, inserted: 1 });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it.each([
    ['a wrong secret', { secret: 'another-secret-of-enough-length-0000' }, /does not match/],
    ['a changed body', { signed: '{"externalId":"other"}' }, /does not match/],
    ['an old timestamp (replay)', { timestamp: nowSeconds - 3600 }, /3600 s away .*tolerance 300 s/],
    ['a future timestamp', { timestamp: nowSeconds + 900 }, /900 s away/],
    ['no signature', { headers: { 'x-trustwatch-signature': '' } }, /missing X-Trustwatch-Signature/],
    ['no timestamp', { headers: { 'x-trustwatch-timestamp': '' } }, /missing X-Trustwatch-Timestamp/],
    ['a malformed signature', { headers: { 'x-trustwatch-signature': 'md5=abc' } }, /sha256=<64 hex/],
  ])('refuses %s with 401 and stores nothing', async (_what, sign, reason) => {
    const before = await count();
    const res = await push(source.id, { externalId: 'evil', text: 'telvana is a scam' }, sign);
    expect(res.status).toBe(401);
    const problem = await res.json();
    expect(problem.code).toBe('UNAUTHORIZED');
    expect(problem.detail).toMatch(reason);
    expect(problem.detail).not.toContain(SECRET);
    expect(await count()).toBe(before);
  });

  it('404s for an unknown id, a malformed id and a source that is not a webhook', async () => {
    for (const id of ['4b6f8a3c-2a9e-4f59-9a55-0b7d1b2c9e10', 'not-a-uuid', rss.id]) {
      const res = await push(id, { externalId: 'x', text: 'telvana' });
      expect(res.status, id).toBe(404);
      expect((await res.json()).code).toBe('NOT_FOUND');
    }
  });

  it('403s for a disabled source, after checking the signature', async () => {
    expect((await push(disabled.id, { externalId: 'x', text: 'telvana' })).status).toBe(403);
    expect(
      (await push(disabled.id, { externalId: 'x', text: 'telvana' }, { secret: 'x'.repeat(30) })).status,
    ).toBe(401);
  });

  it('400s for invalid JSON and invalid items, naming the field, and keeps nothing of the push', async () => {
    const before = await count();
    const bad = await push(source.id, '{"externalId": "a", ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('VALIDATION');
    const res = await push(source.id, {
      items: [
        { externalId: 'ok-1', text: 'telvana fine' },
        { text: 'no id' },
        { externalId: 'ok-3', url: 'javascript:alert(1)', publishedAt: 'yesterday' },
      ],
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      'items.1.externalId',
      'items.2.url',
      'items.2.publishedAt',
    ]);
    expect(await count()).toBe(before);
  });

  it('413s for a body over the limit', async () => {
    const res = await push(source.id, { externalId: 'big', text: `telvana ${'x'.repeat(10_000)}` });
    expect(res.status).toBe(413);
  });

  it('is never polled: the scheduler moves a push source out of the due list', async () => {
    const http = createHttpClient();
    try {
      const outcome = await pollSource(
        { db: store.db, http, scorer: lexiconScorer, log: silentLogger(), batchSize: 100, now: () => NOW },
        await getSource(store.db, workspaceId, source.id),
      );
      expect(outcome).toMatchObject({ ok: true, pages: 0 });
      const after = await getSource(store.db, workspaceId, source.id);
      expect(after.health.nextPollAt.getTime()).toBe(NOW.getTime() + PUSH_SOURCE_RECHECK_MS);
    } finally {
      await http.close();
    }
  });
});
