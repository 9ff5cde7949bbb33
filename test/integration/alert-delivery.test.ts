import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTestMessage } from '../../src/alert/enqueue.ts';
import { recordDetections, transitionAlert } from '../../src/alert/lifecycle.ts';
import { verifyWebhook } from '../../src/alert/standard-webhooks.ts';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../src/alert/worker.ts';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { type AlertRoute, createRoute, deleteRoute } from '../../src/store/repositories/alert-routes.ts';
import { alertEvents, listAlerts } from '../../src/store/repositories/alerts.ts';
import { claimDeliveries, listDeliveries, retryDelivery } from '../../src/store/repositories/deliveries.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { detection } from '../helpers/detections.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { validateJson } from '../helpers/json-schema.ts';
import { storeTargets } from '../helpers/stores.ts';

const BASE_URL = 'https://trustwatch.example.com';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe.each(storeTargets())('alert delivery [$name]', (target) => {
  let store: Store;
  let slack: FakeSlack;
  let workspaceId: string;
  let watchId: string;
  let clock: Date;
  const now = () => new Date(clock);
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const workers: DeliveryWorker[] = [];
  const routes: AlertRoute[] = [];

  const worker = (opts: Partial<DeliveryWorkerOptions> = {}) => {
    const w = new DeliveryWorker(
      { db: store.db, log: silentLogger(), now, random: () => 0.5 },
      {
        tickMs: 60_000,
        // Generous: under a loaded CI machine a slow answer must not look like a hang (a hang is endless).
        timeoutMs: 1000,
        deadlineMs: 10 * 60_000,
        backoffBaseMs: 1000,
        backoffMaxMs: 60_000,
        leaseMs: 30_000,
        ...opts,
      },
    );
    workers.push(w);
    return w;
  };
  /** Ticks and advances the fake clock until nothing is pending or sending, or `max` rounds. */
  const drain = async (w: DeliveryWorker, max = 30, stepMs = 61_000) => {
    for (let i = 0; i < max; i++) {
      await w.tick();
      const open = await store.db
        .selectFrom('deliveries')
        .select('id')
        .where('state', 'in', ['pending', 'sending'])
        .execute();
      if (open.length === 0) return i;
      advance(stepMs);
    }
    return max;
  };
  const route = async (input: Parameters<typeof createRoute>[2]) => {
    const r = await createRoute(store.db, workspaceId, input, 'test');
    routes.push(r);
    return r;
  };
  const opts = () => ({ now, baseUrl: BASE_URL });

  beforeAll(async () => {
    store = await target.open();
    slack = await startFakeSlack();
    workspaceId = (await ensureWorkspace(store.db, 'alerts')).id;
    watchId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 'test')).id;
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const r of routes.splice(0)) await deleteRoute(store.db, workspaceId, r.id, 'test');
    await store.db.deleteFrom('deliveries').execute();
    await store.db.deleteFrom('alerts').execute();
    slack.received.length = 0;
  });
  afterAll(async () => {
    await slack?.close();
    await store?.close();
  });

  it('opens one alert and sends a Block Kit message and a signed webhook', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    await route({ name: 'hook', type: 'webhook', config: { url: slack.hook('/hooks/a'), secret: SECRET } });
    const r = await recordDetections(store.db, [detection(workspaceId, watchId)], opts());
    expect(r).toMatchObject({ opened: 1, deliveries: 2 });
    const result = await worker().tick();
    expect(result).toMatchObject({ claimed: 2, delivered: 2 });

    const toSlack = slack.accepted().find((m) => m.path.startsWith('/services/'));
    const message = toSlack?.json as { text: string; blocks: { type: string; elements?: unknown[] }[] };
    expect(message.text).toContain('Telvana: Negativity spike');
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string; url?: string; value?: string }[];
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['trustwatch_ack', 'trustwatch_open']);
    expect(actions.elements[1]?.url).toBe(`${BASE_URL}/alerts/${r.alertIds[0]}`);
    expect(JSON.stringify(message)).toContain('<https://social.example/p/1|@ana: Telvana leaked my data');

    const hook = slack.accepted().find((m) => m.path === '/hooks/a');
    expect(hook).toBeDefined();
    const h = hook?.headers ?? {};
    const headers = {
      id: h['webhook-id'] ?? null,
      timestamp: h['webhook-timestamp'] ?? null,
      signature: h['webhook-signature'] ?? null,
    };
    expect(headers.id).toBe(h['idempotency-key']);
    expect(verifyWebhook(SECRET, headers, hook?.body ?? '', now())).toBe(true);
    expect(verifyWebhook(SECRET, headers, `${hook?.body} `, now())).toBe(false);
    expect(hook?.json).toMatchObject({
      type: 'alert.opened',
      data: { alert: { severity: 'warning', state: 'open' } },
    });

    const deliveries = await listDeliveries(store.db, workspaceId);
    expect(deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
    // The stored destination never holds the secret part of the URL.
    expect(deliveries.map((d) => d.destination).join()).not.toContain('XYZ');
  });

  it('delivers every alert exactly once through 429 Retry-After, 500s and hangs', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    slack.script(
      { status: 429, retryAfter: '7' },
      { status: 500 },
      { hang: true },
      { status: 503 },
      { hangMs: 50, status: 500 },
      { status: 500 },
    );
    const detections = Array.from({ length: 5 }, (_, i) =>
      detection(workspaceId, watchId, {
        dedupeKey: `incident-${i}`,
        kind: 'volume_spike',
        severity: 'critical',
      }),
    );
    expect((await recordDetections(store.db, detections, opts())).opened).toBe(5);
    const w = worker({ concurrency: 1 });
    await w.tick();
    const afterFirst = await listDeliveries(store.db, workspaceId);
    const limited = afterFirst.find((d) => d.lastStatus === 429);
    expect(limited?.state).toBe('pending');
    // Retry-After: 7 is honoured exactly (not the 1 s backoff).
    expect((limited?.nextAttemptAt.getTime() ?? 0) - (limited?.lastAttemptAt?.getTime() ?? 0)).toBe(7000);
    expect(afterFirst.some((d) => d.lastError?.startsWith('timed out after 1000 ms'))).toBe(true);
    await drain(w);
    const final = await listDeliveries(store.db, workspaceId);
    expect(final.map((d) => d.state)).toEqual(Array(5).fill('delivered'));
    const byKey = slack.acceptedByKey();
    expect(byKey.size).toBe(5);
    for (const d of final) expect(byKey.get(d.idempotencyKey), d.id).toBe(1);
    expect(final.reduce((n, d) => n + d.attempts, 0)).toBeGreaterThanOrEqual(11);
  });

  it('gives up after the deadline into a dead letter, and a manual retry delivers it', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'down', type: 'slack', config: { url: slack.hook('/services/T000/B000/DOWN') } });
    await recordDetections(store.db, [detection(workspaceId, watchId)], opts());
    slack.script(...Array.from({ length: 40 }, () => ({ status: 500 })));
    const w = worker({ deadlineMs: 5 * 60_000 });
    await drain(w, 30, 30_000);
    let [d] = await listDeliveries(store.db, workspaceId);
    expect(d?.state).toBe('dead');
    expect(d?.lastStatus).toBe(500);
    expect(d?.attempts).toBeGreaterThan(3);
    // The last attempt lands on the deadline, not before it.
    expect(d?.lastAttemptAt?.getTime()).toBeGreaterThanOrEqual((d?.dueAt.getTime() ?? 0) + 5 * 60_000);
    const sentBefore = slack.received.length;
    await w.tick();
    expect(slack.received.length).toBe(sentBefore);

    slack.recover();
    await retryDelivery(store.db, workspaceId, d?.id ?? '', 'test', now());
    await w.tick();
    [d] = await listDeliveries(store.db, workspaceId);
    expect(d?.state).toBe('delivered');
    expect(slack.acceptedByKey().get(d?.idempotencyKey ?? '')).toBe(1);
    // A delivered delivery is never sent again, not even by hand.
    await expect(retryDelivery(store.db, workspaceId, d?.id ?? '', 'test', now())).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('loses nothing when a worker dies mid-send, and never re-sends a confirmed delivery', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    const first = detection(workspaceId, watchId, { dedupeKey: 'confirmed' });
    await recordDetections(store.db, [first], opts());
    await worker().tick();
    expect(slack.accepted()).toHaveLength(1);
    const confirmedKey = slack.accepted()[0]?.headers['idempotency-key'];

    const more = Array.from({ length: 4 }, (_, i) =>
      detection(workspaceId, watchId, { dedupeKey: `crash-${i}` }),
    );
    await recordDetections(store.db, more, opts());
    // A worker claims two deliveries and is killed before any answer comes back: a stale lease.
    const killed = await claimDeliveries(store.db, 'killed-worker', now(), 30_000, 2);
    expect(killed).toHaveLength(2);
    // A second worker killed while the receiver hangs: its request reached the receiver, no answer.
    slack.script({ hang: true });
    const aborted = worker({ concurrency: 1, batchSize: 1 });
    const inFlight = aborted.tick();
    await new Promise((r) => setTimeout(r, 100));
    await aborted.stop();
    await inFlight;

    const restarted = worker();
    await restarted.tick();
    // The live leases of the killed worker are respected until they expire...
    let states = await listDeliveries(store.db, workspaceId);
    expect(states.filter((d) => d.state === 'sending')).toHaveLength(2);
    advance(31_000);
    await drain(restarted);
    states = await listDeliveries(store.db, workspaceId);
    expect(states.map((d) => d.state)).toEqual(Array(5).fill('delivered'));
    const byKey = slack.acceptedByKey();
    expect(byKey.get(confirmedKey ?? '')).toBe(1);
    for (const d of states) expect(byKey.get(d.idempotencyKey), d.event).toBe(1);
    // The stale ones counted their lost attempt.
    for (const k of killed) expect(states.find((d) => d.id === k.id)?.attempts).toBe(2);
  });

  it('does not send what another worker took over while it waited in a slow batch', async () => {
    clock = new Date('2026-03-01T12:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    const two = ['slow-a', 'slow-b'].map((k) => detection(workspaceId, watchId, { dedupeKey: k }));
    await recordDetections(store.db, two, opts());
    // A claims both and sends one at a time; the receiver hangs on the first until A's timeout.
    slack.script({ hang: true });
    const slow = worker({ concurrency: 1, batchSize: 2, leaseMs: 30_000 });
    const slowTick = slow.tick();
    await new Promise((r) => setTimeout(r, 200));
    // Meanwhile A's leases run out and B claims and delivers both.
    advance(31_000);
    const fast = worker();
    expect((await fast.tick()).delivered).toBe(2);
    // A comes back from its timeout: the second one is no longer A's to send.
    await slowTick;
    const byKey = slack.acceptedByKey();
    expect([...byKey.values()]).toEqual([1, 1]);
    expect(slack.received.filter((r) => r.accepted)).toHaveLength(2);
    const states = await listDeliveries(store.db, workspaceId);
    expect(states.map((d) => d.state)).toEqual(['delivered', 'delivered']);
  });

  it('turns a storm of 1,000 detections into one alert and a bounded number of messages', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({
      name: 'slack',
      type: 'slack',
      config: { url: slack.hook('/services/T000/B000/XYZ') },
      cooldownSeconds: 600,
    });
    const w = worker();
    const start = new Date('2026-03-01T10:00:00Z').getTime();
    // 1,000 detections over 10 hourly buckets, in 100 batches of 10 arriving a minute apart, the
    // worker sending in between; a few of them critical halfway through.
    for (let batch = 0; batch < 100; batch++) {
      const bucket = new Date(start + Math.floor(batch / 10) * 3_600_000);
      const ds = Array.from({ length: 10 }, (_, i) =>
        detection(workspaceId, watchId, {
          bucketStart: bucket,
          observed: 100 + batch * 10 + i,
          severity: batch >= 50 && i === 0 ? 'critical' : 'warning',
        }),
      );
      await recordDetections(store.db, ds, opts());
      await w.tick();
      advance(60_000);
    }
    await drain(w);
    const alerts = await listAlerts(store.db, workspaceId);
    expect(alerts.items).toHaveLength(1);
    expect(alerts.items[0]).toMatchObject({ detectionCount: 1000, severity: 'critical', state: 'open' });
    const deliveries = await listDeliveries(store.db, workspaceId, { limit: 500 });
    // Opened, escalated, and at most one update per 10-minute cooldown over 100 minutes.
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    expect(deliveries.length).toBeLessThanOrEqual(12);
    expect(slack.accepted().length).toBe(deliveries.length);
    const events = await alertEvents(store.db, alerts.items[0]?.id ?? '');
    expect(events.filter((e) => e.action === 'opened')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'escalated')).toHaveLength(1);
    // The last message carries the newest numbers.
    const last = slack.accepted().at(-1)?.json as { blocks: unknown[] };
    expect(JSON.stringify(last)).toContain('CRITICAL');
  });

  it('acknowledges, resolves and reopens, notifying each change once', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    const { alertIds } = await recordDetections(store.db, [detection(workspaceId, watchId)], opts());
    const id = alertIds[0] ?? '';
    const w = worker();
    const ack = await transitionAlert(store.db, workspaceId, id, 'acknowledged', 'cli', opts());
    expect(ack).toMatchObject({ changed: true, alert: { state: 'acknowledged', acknowledgedBy: 'cli' } });
    // A second click changes nothing and sends nothing.
    expect(
      (await transitionAlert(store.db, workspaceId, id, 'acknowledged', 'slack:U1', opts())).changed,
    ).toBe(false);
    // A new bucket while acknowledged updates the alert quietly.
    advance(3_600_000);
    const quiet = await recordDetections(
      store.db,
      [detection(workspaceId, watchId, { bucketStart: new Date('2026-03-01T11:00:00Z') })],
      opts(),
    );
    expect(quiet).toMatchObject({ unchanged: 1, deliveries: 0 });
    await transitionAlert(store.db, workspaceId, id, 'resolved', 'cli', opts());
    await expect(
      transitionAlert(store.db, workspaceId, id, 'acknowledged', 'cli', opts()),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    advance(3_600_000);
    const again = await recordDetections(
      store.db,
      [detection(workspaceId, watchId, { bucketStart: new Date('2026-03-01T13:00:00Z') })],
      opts(),
    );
    expect(again).toMatchObject({ reopened: 1, alertIds: [id] });
    await drain(w);
    const types = slack.accepted().map((m) => (m.json as { text: string }).text.split(' ')[0]);
    expect(types).toEqual(['[warning]', 'Acknowledged:', 'Resolved:', 'Reopened:']);
    const actions = (await alertEvents(store.db, id)).map((e) => e.action);
    expect(actions).toEqual(['opened', 'acknowledged', 'resolved', 'reopened']);
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'alert.open',
      'alert.acknowledge',
      'alert.resolve',
      'alert.reopen',
    ]);
  });

  it('routes by kind and severity, holds non-critical messages through quiet hours', async () => {
    clock = new Date('2026-03-01T23:30:00Z');
    const night = await route({
      name: 'night',
      type: 'slack',
      config: { url: slack.hook('/services/T000/B000/XYZ') },
      quietHours: { start: '22:00', end: '07:00' },
      timeZone: 'UTC',
      minSeverity: 'info',
    });
    await route({
      name: 'critical-only',
      type: 'webhook',
      config: { url: slack.hook('/hooks/crit') },
      minSeverity: 'critical',
      kinds: ['volume_spike'],
    });
    await recordDetections(
      store.db,
      [
        detection(workspaceId, watchId, { dedupeKey: 'a', severity: 'warning' }),
        detection(workspaceId, watchId, { dedupeKey: 'b', severity: 'critical', kind: 'volume_spike' }),
        detection(workspaceId, watchId, { dedupeKey: 'c', severity: 'critical', kind: 'rating_drop' }),
      ],
      opts(),
    );
    const ds = await listDeliveries(store.db, workspaceId);
    const byRoute = (id: string) => ds.filter((d) => d.routeId === id);
    expect(byRoute(night.id)).toHaveLength(3);
    expect(ds.filter((d) => d.routeId !== night.id)).toHaveLength(1);
    const held = byRoute(night.id).filter((d) => d.nextAttemptAt > now());
    expect(held).toHaveLength(1);
    expect(held[0]?.nextAttemptAt.toISOString()).toBe('2026-03-02T07:00:00.000Z');
    await worker().tick();
    expect(slack.accepted()).toHaveLength(3);
  });

  it('sends webhook payloads that match the published JSON Schema', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    const schema = JSON.parse(
      readFileSync(new URL('../../docs/webhook-payload.schema.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const hook = await route({
      name: 'hook',
      type: 'webhook',
      config: { url: slack.hook('/hooks/s'), secret: SECRET },
    });
    const { alertIds } = await recordDetections(
      store.db,
      [detection(workspaceId, watchId, { subject: 'security_fraud', kind: 'signal_spike' })],
      opts(),
    );
    await transitionAlert(store.db, workspaceId, alertIds[0] ?? '', 'acknowledged', 'cli', opts());
    await transitionAlert(store.db, workspaceId, alertIds[0] ?? '', 'resolved', 'cli', opts());
    await enqueueTestMessage(store.db, hook, { now: now(), baseUrl: BASE_URL });
    await drain(worker());
    const bodies = slack.accepted().map((m) => m.json as { type: string });
    expect(bodies.map((b) => b.type).sort()).toEqual([
      'alert.acknowledged',
      'alert.opened',
      'alert.resolved',
      'test',
    ]);
    for (const body of bodies) expect(validateJson(schema, body), body.type).toEqual([]);
    // The checker does catch a payload that strays from the schema.
    const broken = { ...bodies[0], extra: 1, data: { alert: { severity: 'fatal' } } };
    expect(validateJson(schema, broken).length).toBeGreaterThan(3);
  });

  it('shares the work between concurrent workers without sending anything twice', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    const ds = Array.from({ length: 30 }, (_, i) =>
      detection(workspaceId, watchId, { dedupeKey: `par-${i}` }),
    );
    await recordDetections(store.db, ds, opts());
    const pool = [1, 2, 3].map(() => worker({ batchSize: 4, timeoutMs: 10_000 }));
    for (let i = 0; i < 10; i++) await Promise.all(pool.map((w) => w.tick()));
    const final = await listDeliveries(store.db, workspaceId, { limit: 100 });
    expect(final).toHaveLength(30);
    expect(final.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    const byKey = slack.acceptedByKey();
    expect(byKey.size).toBe(30);
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
  });

  it('opens one alert when several writers record the same incident at once', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({ name: 'slack', type: 'slack', config: { url: slack.hook('/services/T000/B000/XYZ') } });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => recordDetections(store.db, [detection(workspaceId, watchId)], opts())),
    );
    expect(new Set(results.flatMap((r) => r.alertIds)).size).toBe(1);
    expect(results.reduce((n, r) => n + r.opened, 0)).toBe(1);
    const alerts = await listAlerts(store.db, workspaceId);
    expect(alerts.items).toHaveLength(1);
    expect(alerts.items[0]?.detectionCount).toBe(6);
    expect(await listDeliveries(store.db, workspaceId)).toHaveLength(1);
  });

  it('never logs or stores destination secrets, whatever fails', async () => {
    clock = new Date('2026-03-01T11:00:00Z');
    await route({
      name: 'refused',
      type: 'slack',
      config: { url: 'http://127.0.0.1:1/services/T000/B000/LEAKME1' },
    });
    await route({
      name: 'failing',
      type: 'webhook',
      config: { url: slack.hook('/hooks/LEAKME2'), secret: SECRET },
    });
    slack.script({ status: 500, body: 'boom' }, { hang: true });
    await recordDetections(store.db, [detection(workspaceId, watchId)], opts());
    let logs = '';
    const log = createLogger('trace', {
      write: (line: string) => {
        logs += line;
      },
    });
    const w = new DeliveryWorker(
      { db: store.db, log, now },
      { tickMs: 60_000, timeoutMs: 200, deadlineMs: 120_000, backoffBaseMs: 1000, backoffMaxMs: 5000 },
    );
    workers.push(w);
    await drain(w, 6);
    expect(logs).toContain('delivery failed, will retry');
    expect(logs).toMatch(/ECONNREFUSED|network error/);
    const stored = JSON.stringify(await listDeliveries(store.db, workspaceId));
    for (const text of [logs, stored]) {
      expect(text).not.toContain('LEAKME');
      expect(text).not.toContain(SECRET.slice(6));
    }
  });
});
