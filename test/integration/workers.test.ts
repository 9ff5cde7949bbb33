import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectionLoop } from '../../src/alert/detection-loop.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { pollSource } from '../../src/ingest/poll.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createRoute } from '../../src/store/repositories/alert-routes.ts';
import { insertDelivery } from '../../src/store/repositories/deliveries.ts';
import {
  claimDueSources,
  heartbeatLeases,
  releaseLease,
  saveCursorAsOwner,
} from '../../src/store/repositories/source-leases.ts';
import { createSource, getSource } from '../../src/store/repositories/sources.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * Scale-out: three `trustwatch worker` processes share one PostgreSQL schema and poll 200 RSS sources
 * from a local fake upstream that records who fetched which feed when. One worker is SIGKILLed while
 * it holds sources mid-poll (the upstream keeps its requests hanging for longer than a lease, so a
 * worker that failed to heartbeat would be caught overlapping). Then: every source polled, never by
 * two workers at once, every feed item stored exactly once, every delivery confirmed once.
 */

const url = process.env.TEST_DATABASE_URL;
const enabled = Boolean(url || process.env.CI);
const SOURCES = 200;
const ITEMS = 5;
const DELIVERIES = 30;
const LEASE_MS = 3000;
const root = join(import.meta.dirname, '../..');

interface Fetch {
  source: number;
  worker: string;
  start: number;
  end: number | null;
  overlapped: boolean;
}

/** The fake upstream: a small RSS feed per source, a webhook receiver, and a log of both. */
class Upstream {
  fetches: Fetch[] = [];
  active = new Map<number, number>();
  /** Webhook receipts; `answered` is false for the ones held open (the sender never got a 2xx). */
  hooks: { key: string; worker: string; answered: boolean }[] = [];
  /**
   * Requests of this worker are held open (never answered): every webhook post, and feeds once it has
   * done `holdAfter` fetches.
   */
  holdWorker: string | null = null;
  holdAfter = 20;
  held = 0;
  firstHeldAt = 0;
  server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  fetchesBy(worker: string): number {
    return this.fetches.filter((f) => f.worker === worker).length;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const worker = String(req.headers['user-agent'] ?? '?').replace(/^tw-test-/, '');
    if (req.method === 'POST' && req.url === '/hook') {
      req.resume();
      req.on('end', () => {
        const answered = worker !== this.holdWorker;
        this.hooks.push({ key: String(req.headers['idempotency-key']), worker, answered });
        if (answered) res.writeHead(200).end('ok');
      });
      return;
    }
    const m = /^\/feed\/(\d+)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const source = Number(m[1]);
    const f: Fetch = {
      source,
      worker,
      start: Date.now(),
      end: null,
      overlapped: (this.active.get(source) ?? 0) > 0,
    };
    this.fetches.push(f);
    this.active.set(source, (this.active.get(source) ?? 0) + 1);
    // Ends when answered or when the client goes away (a killed worker's socket closes).
    res.on('close', () => {
      f.end = Date.now();
      this.active.set(source, (this.active.get(source) ?? 1) - 1);
    });
    if (worker === this.holdWorker && this.fetchesBy(worker) > this.holdAfter) {
      this.held++;
      this.firstHeldAt ||= Date.now();
      return;
    }
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(source));
    }, 40);
  }
}

function feed(source: number): string {
  const items = Array.from({ length: ITEMS }, (_, k) => {
    const at = new Date(Date.now() - (k + 1) * 600_000).toUTCString();
    return `<item><title>Acme review ${source}-${k}</title><link>https://example.test/s${source}/${k}</link><guid>s${source}-i${k}</guid><pubDate>${at}</pubDate><description>Acme support answered my ticket ${k} quickly, thanks</description></item>`;
  }).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>feed ${source}</title><link>https://example.test/</link>${items}</channel></rss>`;
}

interface Worker {
  name: string;
  proc: ChildProcess;
  output: string;
  exit: Promise<number | null>;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(enabled)('many workers on one PostgreSQL', () => {
  let store: Store;
  const schema = `tw_workers_${process.pid}_${randomBytes(4).toString('hex')}`;
  const upstream = new Upstream();
  const workers: Worker[] = [];

  beforeAll(async () => {
    if (!url) throw new Error('CI=true requires TEST_DATABASE_URL (PostgreSQL) for the worker test');
    await upstream.listen();
    store = await connect({ databaseUrl: url, schema, poolSize: 4, dropSchemaOnClose: true });
    await migrateToLatest(store.db);
  });

  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
    upstream.server.closeAllConnections();
    await store?.close();
  });

  function startWorker(name: string): Worker {
    const dbUrl = new URL(url ?? '');
    dbUrl.searchParams.set('options', `-c search_path=${schema}`);
    const proc = spawn(
      process.execPath,
      ['bin/trustwatch.js', 'worker', '--id', name, '--concurrency', '4', '--progress-ms', '500'],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: dbUrl.toString(),
          LOG_LEVEL: 'info',
          TRUSTWATCH_ALLOW_PRIVATE_URLS: '1',
          TRUSTWATCH_USER_AGENT: `tw-test-${name}`,
          TRUSTWATCH_SCHEDULER_TICK_MS: '200',
          TRUSTWATCH_SOURCE_LEASE_MS: String(LEASE_MS),
          TRUSTWATCH_SOURCE_HEARTBEAT_MS: '500',
          TRUSTWATCH_DELIVERY_TICK_MS: '200',
          // Above a loaded CI machine's stalls: a timeout after the receiver answered would be a re-send.
          TRUSTWATCH_DELIVERY_TIMEOUT_MS: '5000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const w: Worker = {
      name,
      proc,
      output: '',
      exit: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
    };
    proc.stdout?.on('data', (d) => {
      w.output += String(d);
    });
    proc.stderr?.on('data', (d) => {
      w.output += String(d);
    });
    workers.push(w);
    return w;
  }

  it('polls every source once, takes over a killed worker’s sources, loses and duplicates nothing', async () => {
    const db = store.db;
    const ws = await ensureWorkspace(db, 'scale');
    const watch = await createWatch(db, ws.id, { name: 'Acme', query: 'acme' }, 'test');
    const now = new Date();
    await db
      .insertInto('sources')
      .values(
        Array.from({ length: SOURCES }, (_, i) => ({
          workspace_id: ws.id,
          type: 'rss',
          name: `feed-${i}`,
          config: JSON.stringify({ url: `http://127.0.0.1:${upstream.port}/feed/${i}` }),
          watch_id: watch.id,
          interval_seconds: 3600,
          cursor: null,
          next_poll_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const route = await createRoute(
      db,
      ws.id,
      { name: 'hook', type: 'webhook', config: { url: `http://127.0.0.1:${upstream.port}/hook` } },
      'test',
    );
    for (let i = 0; i < DELIVERIES; i++) {
      await insertDelivery(db, {
        workspaceId: ws.id,
        alertId: null,
        routeId: route.id,
        destination: 'http://127.0.0.1/…',
        event: 'alert.opened',
        payload: { n: i },
        idempotencyKey: `scale-${i}`,
        nextAttemptAt: now,
        createdAt: now,
      });
    }

    upstream.holdWorker = 'w1';
    // w1 starts first and claims deliveries whose posts hang until they time out or w1 dies.
    const w1 = startWorker('w1');
    await waitFor('w1 to post a delivery', () => upstream.hooks.length > 0, 30_000);
    const [w2, w3] = ['w2', 'w3'].map(startWorker) as [Worker, Worker];

    // w1 does some polls, then hangs on the next ones for longer than a lease while it heartbeats.
    await waitFor('w1 to hang mid-poll', () => upstream.held > 0, 30_000);
    await waitFor(
      'more than a lease to pass',
      () => Date.now() - upstream.firstHeldAt > LEASE_MS + 1000,
      10_000,
    );
    const heldBeforeKill = upstream.fetches.filter((f) => f.worker === 'w1' && f.end === null);
    expect(heldBeforeKill.length).toBeGreaterThan(0);
    w1.proc.kill('SIGKILL');
    expect(await w1.exit).toBeNull();

    const pending = async () => {
      const r = await db
        .selectFrom('sources')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('workspace_id', '=', ws.id)
        .where((eb) => eb.or([eb('last_success_at', 'is', null), eb('lease_owner', 'is not', null)]))
        .executeTakeFirstOrThrow();
      const d = await db
        .selectFrom('deliveries')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('state', '<>', 'delivered')
        .executeTakeFirstOrThrow();
      return r.n + d.n;
    };
    await waitFor('every source polled and delivery sent', async () => (await pending()) === 0, 30_000);

    // The survivors stop cleanly on SIGTERM and hold no lease afterwards.
    w2.proc.kill('SIGTERM');
    w3.proc.kill('SIGTERM');
    expect(await w2.exit).toBe(0);
    expect(await w3.exit).toBe(0);

    // No source fetched by two workers at once.
    expect(upstream.fetches.filter((f) => f.overlapped)).toEqual([]);
    // Every source fetched; the ones w1 hung on were taken over by a live worker after it died.
    expect(new Set(upstream.fetches.map((f) => f.source)).size).toBe(SOURCES);
    for (const h of heldBeforeKill) {
      const later = upstream.fetches.filter((f) => f.source === h.source && f.start > h.start);
      expect(later.map((f) => f.worker).filter((w) => w !== 'w1').length, `source ${h.source}`).toBe(1);
    }
    expect(`${w2.output}${w3.output}`).toContain('took over an expired lease');
    // Sources were shared out, not all polled by one worker.
    for (const name of ['w1', 'w2', 'w3']) expect(upstream.fetchesBy(name)).toBeGreaterThan(5);

    // Every feed item stored exactly once per source.
    const counts = await db
      .selectFrom('mentions')
      .select(['source_id', sql<number>`count(*)::int`.as('n')])
      .where('workspace_id', '=', ws.id)
      .groupBy('source_id')
      .execute();
    expect(counts.length).toBe(SOURCES);
    expect(counts.filter((c) => c.n !== ITEMS)).toEqual([]);
    const state = await db
      .selectFrom('sources')
      .select(['last_success_at', 'lease_owner', 'next_poll_at', 'consecutive_failures'])
      .where('workspace_id', '=', ws.id)
      .execute();
    expect(state.filter((s) => s.lease_owner !== null || s.consecutive_failures > 0)).toEqual([]);
    expect(state.filter((s) => s.next_poll_at.getTime() < now.getTime() + 3_000_000)).toEqual([]);

    // Deliveries: every one delivered, confirmed by a 2xx exactly once (w1's hanging attempts timed
    // out or died with it and were retried by the others under the same key).
    const deliveries = await db
      .selectFrom('deliveries')
      .select(['idempotency_key', 'state', 'attempts'])
      .execute();
    expect(deliveries.filter((d) => d.state !== 'delivered')).toEqual([]);
    expect(upstream.hooks.filter((h) => h.worker === 'w1').length).toBeGreaterThan(0);
    const seen = new Map<string, string[]>();
    for (const h of upstream.hooks) seen.set(h.key, [...(seen.get(h.key) ?? []), h.worker]);
    expect(seen.size).toBe(DELIVERIES);
    const answered = new Map<string, number>();
    for (const h of upstream.hooks.filter((h) => h.answered))
      answered.set(h.key, (answered.get(h.key) ?? 0) + 1);
    expect([...answered.values()].filter((n) => n !== 1)).toEqual([]);
    expect(answered.size).toBe(DELIVERIES);
    for (const d of deliveries) {
      const by = seen.get(d.idempotency_key) ?? [];
      expect(by.length, d.idempotency_key).toBeGreaterThan(0);
      // At-least-once on the wire: a copy per recorded attempt at most (a timed-out attempt is retried
      // with the same key), so no two workers ever sent one claim.
      expect(by.length, d.idempotency_key).toBeLessThanOrEqual(d.attempts);
    }
  }, 90_000);
});

describe.runIf(!enabled)('many workers on one PostgreSQL', () => {
  it.skip('needs TEST_DATABASE_URL (PostgreSQL)', () => {});
});

describe.each(storeTargets())('source leases [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  // New sources are due from the real "now"; the test clock runs a day later.
  const t0 = new Date(Date.now() + 86_400_000);
  const at = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'leases')).id;
    await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 't');
    for (let i = 0; i < 12; i++) {
      const demo = { seed: i, channel: 'social', startAt: at(-2 * 3_600_000).toISOString(), days: 1 };
      await createSource(
        store.db,
        workspaceId,
        { type: 'demo', name: `s${i}`, config: demo, intervalSeconds: 300 },
        't',
        demo,
      );
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  it('concurrent claims are disjoint; a held lease is skipped, an expired one taken over', async () => {
    const db = store.db;
    const first = await claimDueSources(db, 'a', at(0), 1000, 3);
    const claims = [
      first,
      ...(await Promise.all(['b', 'c', 'd'].map((o) => claimDueSources(db, o, at(0), 1000, 9)))),
    ];
    const ids = claims.flat().map((c) => c.source.id);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(12);
    expect(claims.flat().every((c) => c.takenOverFrom === null)).toBe(true);
    // Nothing is free while the leases hold.
    expect(await claimDueSources(db, 'e', at(500), 1000, 20)).toEqual([]);
    // Heartbeat keeps a's leases (only a's: b's ids are not a's to extend).
    const aIds = (claims[0] ?? []).map((c) => c.source.id);
    const bIds = (claims[1] ?? []).map((c) => c.source.id);
    const held = await heartbeatLeases(db, 'a', [...aIds, ...bIds], at(900), 1000);
    expect([...held].sort()).toEqual([...aIds].sort());
    // At 1.5 s everyone's lease but a's has expired: e takes over b's, c's and d's sources.
    const taken = await claimDueSources(db, 'e', at(1500), 1000, 20);
    expect(taken.length).toBe(12 - aIds.length);
    const others = ['b', 'c', 'd'].filter((_, i) => (claims[i + 1] ?? []).length > 0);
    expect(new Set(taken.map((c) => c.takenOverFrom))).toEqual(new Set(others));
    expect(taken.some((c) => aIds.includes(c.source.id))).toBe(false);
    // The worker that lost the lease can neither save a cursor nor extend nor release it.
    expect(aIds.length).toBe(3);
    const lost = taken[0]?.source.id ?? '';
    const lostFrom = taken[0]?.takenOverFrom ?? '';
    expect(await saveCursorAsOwner(db, lost, lostFrom, { stale: true })).toBe(false);
    expect((await heartbeatLeases(db, lostFrom, [lost], at(1600), 1000)).size).toBe(0);
    expect(await releaseLease(db, lost, lostFrom)).toBe(false);
    expect(await saveCursorAsOwner(db, lost, 'e', { fresh: true })).toBe(true);
    expect((await getSource(db, workspaceId, lost)).cursor).toEqual({ fresh: true });
    for (const id of aIds) await releaseLease(db, id, 'a');
    for (const c of taken) await releaseLease(db, c.source.id, 'e');
  });

  it('a poll whose lease was taken over stops without touching the new owner’s cursor or schedule', async () => {
    const db = store.db;
    const [claim] = await claimDueSources(db, 'old', at(10_000), 1000, 1);
    if (!claim) throw new Error('nothing claimed');
    const id = claim.source.id;
    // The lease expires and another worker takes the source over before the old poll saves a page.
    const [takeover] = await claimDueSources(db, 'new', at(12_000), 60_000, 1, []);
    expect(takeover?.source.id).toBe(id);
    expect(takeover?.takenOverFrom).toBe('old');
    await saveCursorAsOwner(db, id, 'new', { mine: 'new' });
    const outcome = await pollSource(
      {
        db,
        http: createHttpClient(),
        scorer: lexiconScorer,
        log: silentLogger(),
        batchSize: 100,
        now: () => at(12_500),
        leaseOwner: 'old',
      },
      claim.source,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe('CONFLICT');
    const after = await getSource(db, workspaceId, id);
    expect(after.cursor).toEqual({ mine: 'new' });
    expect(after.health.lastPolledAt).toBeNull();
    // The new owner's poll goes through and records the next poll.
    const ok = await pollSource(
      {
        db,
        http: createHttpClient(),
        scorer: lexiconScorer,
        log: silentLogger(),
        batchSize: 100,
        now: () => at(13_000),
        leaseOwner: 'new',
        random: () => 0.5,
      },
      { ...after, cursor: null },
    );
    expect(ok.ok).toBe(true);
    expect((await getSource(db, workspaceId, id)).health.nextPollAt.getTime()).toBe(
      at(13_000 + 300_000).getTime(),
    );
    expect(await releaseLease(db, id, 'new')).toBe(true);
  });

  it('runs each hourly detection once however many processes close the hour', async () => {
    let calls = 0;
    const detect = async () => {
      calls++;
      return [];
    };
    const loops = ['p1', 'p2', 'p3'].map(
      (workerId) =>
        new DetectionLoop(store.db, silentLogger(), detect, { baseUrl: 'http://127.0.0.1', workerId }),
    );
    const hour = new Date(Math.floor(t0.getTime() / 3_600_000) * 3_600_000 + 250);
    const results = await Promise.all(loops.map((l) => l.runClaimed(hour)));
    expect(results.filter((r) => r !== null).length).toBe(1);
    expect(calls).toBe(1);
    // The next hour is a new slot.
    const next = await loops[1]?.runClaimed(new Date(hour.getTime() + 3_600_000));
    expect(next).not.toBeNull();
    expect(calls).toBe(2);
  });
});
