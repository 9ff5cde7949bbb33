import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDetections } from '../../src/alert/lifecycle.ts';
import { slackSignature } from '../../src/alert/slack-signature.ts';
import { DeliveryWorker } from '../../src/alert/worker.ts';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { detection } from '../helpers/detections.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { storeTargets } from '../helpers/stores.ts';

const SIGNING_SECRET = 'slack-signing-secret-for-tests';
const BASE_URL = 'https://tw.example.com';

describe.each(storeTargets())('alerts API and Slack interactivity [$name]', (target) => {
  let store: Store;
  let slack: FakeSlack;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let viewer: string;
  let workspaceId: string;
  let watchId: string;
  let worker: DeliveryWorker;
  const clock = new Date('2026-03-01T12:00:00Z');
  const now = () => new Date(clock);

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? admin : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return app.request(path, { ...init, headers });
  };
  const slackClick = (body: string, opts: { secret?: string; ts?: number } = {}) => {
    const ts = String(opts.ts ?? Math.floor(clock.getTime() / 1000));
    return app.request('/slack/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': slackSignature(opts.secret ?? SIGNING_SECRET, ts, body),
      },
      body,
    });
  };
  const ackBody = (alertId: string) =>
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: 'U123', username: 'maria' },
        actions: [{ action_id: 'trustwatch_ack', value: alertId }],
      }),
    )}`;

  beforeAll(async () => {
    store = await target.open();
    slack = await startFakeSlack();
    const ws = await ensureWorkspace(store.db, 'main');
    workspaceId = ws.id;
    admin = (await createToken(store.db, ws.id, { name: 'admin', role: 'admin' }, 'test')).token;
    viewer = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    watchId = (await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    worker = new DeliveryWorker(
      { db: store.db, log: silentLogger(), now },
      { tickMs: 60_000, timeoutMs: 1000, deadlineMs: 60_000, backoffBaseMs: 1000, backoffMaxMs: 10_000 },
    );
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 64 * 1024,
      now,
      alerts: { baseUrl: BASE_URL, slackSigningSecret: SIGNING_SECRET },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await slack?.close();
    await store?.close();
  });

  let slackRouteId: string;
  let hookRouteId: string;
  it('creates routes without ever showing URLs or secrets again', async () => {
    const slackUrl = slack.hook('/services/T000/B000/SUPERSECRETPATH');
    const created = await call('/api/v1/alert-routes', {
      method: 'POST',
      body: JSON.stringify({ name: 'comms', type: 'slack', url: slackUrl, watchId, minSeverity: 'info' }),
    });
    expect(created.status).toBe(201);
    const route = await created.json();
    slackRouteId = route.id;
    expect(route.url).toMatch(/\/services\/T000\/…\[redacted\]$/);
    expect(JSON.stringify(route)).not.toContain('SUPERSECRETPATH');

    const hook = await call('/api/v1/alert-routes', {
      method: 'POST',
      body: JSON.stringify({
        name: 'pager',
        type: 'webhook',
        url: slack.hook('/hooks/pager'),
        kinds: ['volume_spike'],
      }),
    });
    const hookRoute = await hook.json();
    hookRouteId = hookRoute.id;
    // A generated signing secret is shown once at creation...
    expect(hookRoute.secret).toMatch(/^whsec_/);
    expect(hookRoute.signed).toBe(true);
    // ...and never again: not in lists, single reads or the audit log.
    const list = await (await call('/api/v1/alert-routes', { token: viewer })).text();
    const one = await (await call(`/api/v1/alert-routes/${hookRouteId}`)).text();
    const audit = JSON.stringify(await store.db.selectFrom('audit_log').selectAll().execute());
    for (const text of [list, one, audit]) {
      expect(text).not.toContain(hookRoute.secret);
      expect(text).not.toContain('SUPERSECRETPATH');
    }
  });

  it('validates route input and roles', async () => {
    const bad = await call('/api/v1/alert-routes', {
      method: 'POST',
      body: JSON.stringify({
        name: 'x',
        type: 'slack',
        url: 'ftp://nope',
        quietHours: { start: '25:00', end: '07:00' },
        timeZone: 'Mars/Olympus',
        kinds: ['nope'],
      }),
    });
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    const paths = problem.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['kinds.0', 'quietHours.start', 'timeZone', 'url']);
    const denied = await call('/api/v1/alert-routes', {
      method: 'POST',
      token: viewer,
      body: JSON.stringify({ name: 'y', type: 'slack', url: 'https://hooks.slack.com/services/a/b/c' }),
    });
    expect(denied.status).toBe(403);
    const dup = await call('/api/v1/alert-routes', {
      method: 'POST',
      body: JSON.stringify({ name: 'comms', type: 'slack', url: 'https://hooks.slack.com/services/a/b/c' }),
    });
    expect(dup.status).toBe(409);
    const patched = await call(`/api/v1/alert-routes/${hookRouteId}`, {
      method: 'PATCH',
      body: JSON.stringify({ cooldownSeconds: 0, quietHours: { start: '22:00', end: '06:00' } }),
    });
    expect(await patched.json()).toMatchObject({
      cooldownSeconds: 0,
      quietHours: { start: '22:00', end: '06:00' },
    });
  });

  it('sends a test message to a route', async () => {
    const res = await call(`/api/v1/alert-routes/${slackRouteId}/test`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { deliveryId } = await res.json();
    await worker.tick();
    const d = await (await call(`/api/v1/deliveries/${deliveryId}`)).json();
    expect(d).toMatchObject({ state: 'delivered', event: 'test', lastStatus: 200 });
    expect((slack.accepted().at(-1)?.json as { text: string }).text).toContain(
      'test message for route "comms"',
    );
  });

  let alertId: string;
  it('lists and shows alerts with their history and deliveries', async () => {
    const r = await recordDetections(store.db, [detection(workspaceId, watchId)], { now, baseUrl: BASE_URL });
    alertId = r.alertIds[0] ?? '';
    await worker.tick();
    const list = await (await call('/api/v1/alerts?state=open', { token: viewer })).json();
    expect(list.items.map((a: { id: string }) => a.id)).toEqual([alertId]);
    expect(list.items[0]).toMatchObject({
      severity: 'warning',
      state: 'open',
      url: `${BASE_URL}/alerts/${alertId}`,
    });
    const shown = await (await call(`/api/v1/alerts/${alertId}`)).json();
    expect(shown.events.map((e: { action: string }) => e.action)).toEqual(['opened']);
    expect(shown.deliveries).toHaveLength(1);
    expect(shown.deliveries[0]).toMatchObject({ state: 'delivered', event: 'alert.opened' });
    expect(JSON.stringify(shown)).not.toContain('SUPERSECRETPATH');
    expect((await call('/api/v1/alerts/not-a-uuid')).status).toBe(400);
    expect((await call('/api/v1/alerts?state=bogus')).status).toBe(400);
  });

  it('refuses Slack clicks with a wrong secret, an old timestamp or a tampered body', async () => {
    const body = ackBody(alertId);
    expect((await slackClick(body, { secret: 'wrong-secret-000' })).status).toBe(401);
    const replay = await slackClick(body, { ts: Math.floor(clock.getTime() / 1000) - 360 });
    expect(replay.status).toBe(401);
    expect((await replay.json()).detail).toContain('stale');
    const ts = String(Math.floor(clock.getTime() / 1000));
    const tampered = await app.request('/slack/interactions', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': slackSignature(
          SIGNING_SECRET,
          ts,
          ackBody('00000000-0000-0000-0000-000000000000'),
        ),
      },
      body,
    });
    expect(tampered.status).toBe(401);
    const alert = await (await call(`/api/v1/alerts/${alertId}`)).json();
    expect(alert.state).toBe('open');
  });

  it('acknowledges from the Slack button with a valid signature', async () => {
    const res = await slackClick(ackBody(alertId));
    expect(res.status).toBe(200);
    expect((await res.json()).text).toContain('Acknowledged');
    const alert = await (await call(`/api/v1/alerts/${alertId}`)).json();
    expect(alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'slack:maria' });
    // The link button also posts an action; it is answered 200 and changes nothing.
    const open = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [{ action_id: 'trustwatch_open' }] }))}`;
    expect((await slackClick(open)).status).toBe(200);
    await worker.tick();
    expect((slack.accepted().at(-1)?.json as { text: string }).text).toMatch(/^Acknowledged: /);
  });

  it('resolves through the API (reviewer role), and lists and retries deliveries', async () => {
    expect((await call(`/api/v1/alerts/${alertId}/resolve`, { method: 'POST', token: viewer })).status).toBe(
      403,
    );
    const resolved = await call(`/api/v1/alerts/${alertId}/resolve`, { method: 'POST' });
    expect(await resolved.json()).toMatchObject({ state: 'resolved', changed: true });
    slack.script({ status: 404, body: 'no_service' });
    await worker.tick();
    const dead = await (await call('/api/v1/deliveries?state=dead')).json();
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({
      event: 'alert.resolved',
      lastStatus: 404,
      lastError: 'HTTP 404: no_service',
    });
    const retried = await call(`/api/v1/deliveries/${dead.items[0].id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(202);
    await worker.tick();
    const after = await (await call(`/api/v1/deliveries/${dead.items[0].id}`)).json();
    expect(after.state).toBe('delivered');
    const again = await call(`/api/v1/deliveries/${dead.items[0].id}/retry`, { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('refuses oversized Slack requests before reading them', async () => {
    const res = await slackClick(`payload=${'x'.repeat(70 * 1024)}`);
    expect(res.status).toBe(413);
  });

  it('answers 503 for Slack clicks when no signing secret is configured', async () => {
    const bare = createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 4096 });
    const res = await bare.request('/slack/interactions', { method: 'POST', body: 'payload=%7B%7D' });
    expect(res.status).toBe(503);
  });

  it('deletes a route; its undelivered messages become dead, not lost silently', async () => {
    const res = await call(`/api/v1/alert-routes/${hookRouteId}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await call(`/api/v1/alert-routes/${hookRouteId}`)).status).toBe(404);
  });
});
