import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/core/source.ts';
import type { PollDeps } from '../../src/ingest/poll.ts';
import type { PollMessage, QueueMessage, QueueProducer } from '../../src/runtime/worker-env.ts';
import {
  type ConsumeOptions,
  DISPATCH_LEASE_MS,
  consumePollMessages,
  dispatchDueSources,
} from '../../src/runtime/worker-polling.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { createSource } from '../../src/store/repositories/sources.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import type { Database } from '../../src/store/schema.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * The Workers polling logic (cron dispatch and queue consumer) on Node, against both stores, with a
 * fake queue and upstream: the leases, acks and retries that test/edge/worker.test.ts checks in
 * workerd, plus the cases that are awkward to provoke there (a failing queue, a database that is down,
 * malformed messages).
 */

const FEED = (n: number) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Acme news</title>
${Array.from({ length: n }, (_, i) => `<item><guid>acme-${i}</guid><title>Acme item ${i}</title><description>Acme support answered fast, great service ${i}</description><pubDate>Mon, 02 Mar 2026 0${i}:00:00 GMT</pubDate></item>`).join('\n')}
</channel></rss>`;

/** Serves FEED at /feed, rate-limits /limited for an hour; counts requests per path. */
function fakeUpstream() {
  const hits = new Map<string, number>();
  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    const path = new URL(req.url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/limited') {
      throw new FetchError('FETCH_RATE_LIMITED', `GET ${req.url}: HTTP 429, asked to retry in 3600 s`, {
        url: req.url,
        status: 429,
        retryAfterMs: 3_600_000,
      });
    }
    return {
      url: req.url,
      status: 200,
      notModified: false,
      headers: new Headers({ 'content-type': 'application/rss+xml' }),
      body: new TextEncoder().encode(FEED(3)),
      etag: null,
      lastModified: null,
    };
  };
  const http: HttpClient = {
    request,
    text: () => Promise.reject(new Error('unused')),
    json: () => Promise.reject(new Error('unused')),
  };
  return { http, hits };
}

/** A queue producer that records what was sent (or fails when told to). */
function fakeQueue() {
  const sent: PollMessage[] = [];
  const queue: QueueProducer<PollMessage> & { failing: boolean } = {
    failing: false,
    async send(body) {
      sent.push(body);
    },
    async sendBatch(messages) {
      if (queue.failing) throw new Error('queue unavailable');
      for (const m of messages) sent.push(m.body);
    },
  };
  return { queue, sent };
}

/** A delivered message that records its ack or retry. */
function delivered(body: unknown, id = 'm') {
  const state: { acked: boolean; retried: { delaySeconds?: number } | null } = {
    acked: false,
    retried: null,
  };
  const message: QueueMessage<PollMessage> = {
    id,
    body: body as PollMessage,
    attempts: 1,
    ack: () => {
      state.acked = true;
    },
    retry: (opts) => {
      state.retried = opts ?? {};
    },
  };
  return { message, state };
}

const CONSUME: ConsumeOptions = { consumer: 'queue-test', leaseMs: 30_000, heartbeatMs: 10_000 };

describe.each(storeTargets())('Workers polling [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  // Sources are created due at the real now; the clock starts a minute later.
  let clock = new Date(Date.now() + 60_000);
  const upstream = fakeUpstream();
  let deps: PollDeps;

  const source = async (name: string, path: string, enabled = true) =>
    (
      await createSource(
        store.db,
        workspaceId,
        { type: 'rss', name, config: { url: `http://feeds.test${path}` }, intervalSeconds: 900, enabled },
        't',
        {},
      )
    ).id;

  const row = (id: string) =>
    store.db
      .selectFrom('sources')
      .select(['lease_owner', 'lease_expires_at', 'next_poll_at', 'last_success_at', 'last_error_code'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'edge-poll')).id;
    await createWatch(store.db, workspaceId, { name: 'Acme', query: 'acme' }, 't');
    deps = {
      db: store.db,
      http: upstream.http,
      scorer: lexiconScorer,
      log: silentLogger(),
      batchSize: 100,
      now: () => clock,
      random: () => 0.5,
    };
  });
  afterAll(async () => {
    await store?.close();
  });

  it('a tick queues each due source once, leased to itself; an overlapping tick queues nothing', async () => {
    const feed = await source('Feed', '/feed');
    const limited = await source('Limited', '/limited');
    await source('Disabled', '/feed', false);
    const { queue, sent } = fakeQueue();
    const tick = await dispatchDueSources(store.db, queue, deps.log, { dispatcher: 'cron-1', now: clock });
    expect(tick.queued).toBe(2);
    expect(new Set(sent.map((m) => m.sourceId))).toEqual(new Set([feed, limited]));
    expect(sent.every((m) => m.dispatcher === 'cron-1')).toBe(true);
    expect((await row(feed)).lease_owner).toBe('cron-1');
    expect(new Date((await row(feed)).lease_expires_at as Date).getTime()).toBe(
      clock.getTime() + DISPATCH_LEASE_MS,
    );

    const again = await dispatchDueSources(store.db, queue, deps.log, { dispatcher: 'cron-2', now: clock });
    expect(again.queued).toBe(0);
    expect(sent).toHaveLength(2);
  });

  it('the consumer polls a queued source once: the first copy polls and acks, a duplicate is acked unpolled', async () => {
    const { queue, sent } = fakeQueue();
    // The sources queued by the previous case are still leased to cron-1.
    await dispatchDueSources(store.db, queue, deps.log, { dispatcher: 'cron-unused', now: clock });
    expect(sent).toHaveLength(0);
    const feed = (
      await store.db.selectFrom('sources').select('id').where('name', '=', 'Feed').executeTakeFirstOrThrow()
    ).id;
    const first = delivered({ sourceId: feed, dispatcher: 'cron-1' }, 'a');
    const copy = delivered({ sourceId: feed, dispatcher: 'cron-1' }, 'b');
    const [r1, r2] = await consumePollMessages(deps, [first.message, copy.message], CONSUME);
    const kinds = [r1?.kind, r2?.kind].sort();
    expect(kinds).toEqual(['polled', 'skipped']);
    expect(upstream.hits.get('/feed')).toBe(1);
    expect(first.state.acked && copy.state.acked).toBe(true);
    expect(first.state.retried ?? copy.state.retried).toBeNull();
    const after = await row(feed);
    expect(after.lease_owner).toBeNull();
    expect(after.last_success_at).not.toBeNull();
    const mentions = await store.db
      .selectFrom('mentions')
      .select('id')
      .where('source_id', '=', feed)
      .execute();
    expect(mentions).toHaveLength(3);

    // A late copy: no longer due, acked without a poll.
    const late = delivered({ sourceId: feed, dispatcher: 'cron-1' }, 'c');
    expect((await consumePollMessages(deps, [late.message], CONSUME))[0]?.kind).toBe('skipped');
    expect(late.state.acked).toBe(true);
    expect(upstream.hits.get('/feed')).toBe(1);
  });

  it('a rate-limited source goes back to the queue with the delay and stays reserved for that message', async () => {
    const limited = (
      await store.db
        .selectFrom('sources')
        .select('id')
        .where('name', '=', 'Limited')
        .executeTakeFirstOrThrow()
    ).id;
    const msg = delivered({ sourceId: limited, dispatcher: 'cron-1' });
    const [result] = await consumePollMessages(deps, [msg.message], CONSUME);
    expect(result?.kind).toBe('retry');
    expect(msg.state.acked).toBe(false);
    expect(msg.state.retried?.delaySeconds).toBeGreaterThanOrEqual(3600);
    const reserved = await row(limited);
    expect(reserved.last_error_code).toBe('FETCH_RATE_LIMITED');
    expect(reserved.lease_owner).toBe('cron-1');

    // Ticks in between leave it alone; the retried message, due by then, polls it.
    const { queue, sent } = fakeQueue();
    clock = new Date(clock.getTime() + 30 * 60_000);
    await dispatchDueSources(store.db, queue, deps.log, { dispatcher: 'cron-3', now: clock });
    expect(sent.map((m) => m.sourceId)).not.toContain(limited);
    clock = new Date(clock.getTime() + ((msg.state.retried?.delaySeconds ?? 0) + 1) * 1000);
    const hits = upstream.hits.get('/limited') ?? 0;
    const retried = delivered({ sourceId: limited, dispatcher: 'cron-1' });
    await consumePollMessages(deps, [retried.message], CONSUME);
    expect(upstream.hits.get('/limited')).toBe(hits + 1);
  });

  it('a failing queue gives the leases back; malformed messages are dropped; a database outage retries', async () => {
    const fresh = await source('Fresh', '/feed');
    const { queue } = fakeQueue();
    queue.failing = true;
    await expect(
      dispatchDueSources(store.db, queue, deps.log, { dispatcher: 'cron-4', now: clock }),
    ).rejects.toThrow('queue unavailable');
    expect((await row(fresh)).lease_owner).toBeNull();

    const junk = delivered({ nope: true });
    expect((await consumePollMessages(deps, [junk.message], CONSUME))[0]?.kind).toBe('invalid');
    expect(junk.state.acked).toBe(true);

    // A database that refuses every connection.
    const down = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: { connect: () => Promise.reject(new Error('ECONNREFUSED')), end: async () => {} },
      }),
    });
    const msg = delivered({ sourceId: fresh, dispatcher: 'cron-4' });
    const [result] = await consumePollMessages({ ...deps, db: down }, [msg.message], CONSUME);
    expect(result?.kind).toBe('retry');
    expect(msg.state.acked).toBe(false);
    // At least the lease, so the retried message finds any lease of this attempt expired.
    expect(msg.state.retried?.delaySeconds).toBeGreaterThanOrEqual(CONSUME.leaseMs / 1000);
  });
});
