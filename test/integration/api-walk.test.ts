import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDetections } from '../../src/alert/lifecycle.ts';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { type Role, createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { detection } from '../helpers/detections.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * Walks every operation of the generated OpenAPI document: without a token (401), with each role
 * below the declared one (403), with another workspace's token on this workspace's resources (404 or
 * nothing), and with malformed input (400 problem+json naming the field). A new operation without a
 * role declaration or without a sample below fails the walk, so nothing is left unchecked.
 */

// biome-ignore lint/suspicious/noExplicitAny: the document and the responses are walked as plain JSON
type Json = Record<string, any>;
const ROLES: Role[] = ['viewer', 'reviewer', 'admin'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Ids {
  watch: string;
  source: string;
  mention: number;
  alert: string;
  route: string;
  delivery: string;
  reviewItem: string;
  reviewRule: string;
  /** A spare viewer token of the first workspace (the walk's own tokens must keep working). */
  token: string;
}

/** A valid request for the first workspace; `other` is what the second workspace's admin must get. */
interface Sample {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: unknown;
  other: 'not-found' | 'empty' | ((body: Json, status: number) => void);
}

function samples(ids: Ids): Record<string, Sample> {
  const id = (v: string | number) => ({ params: { id: v } });
  const mine = new Set<string>(Object.values(ids).map(String));
  return {
    getWorkspace: { other: (body, status) => expect([status, body.slug]).toEqual([200, 'other']) },
    updateWorkspace: {
      body: { name: 'Renamed' },
      other: (body, status) => expect([status, body.slug, body.name]).toEqual([200, 'other', 'Renamed']),
    },
    // The other workspace has no mentions: its preview tests none of this one's.
    previewWatch: {
      body: { query: 'telvana', recent: 100 },
      other: (body, status) => expect([status, body.scanned, body.matched]).toEqual([200, 0, 0]),
    },
    listTokens: {
      other: (body, status) => {
        expect(status).toBe(200);
        expect(body.items.length).toBeGreaterThan(0);
        for (const t of body.items) expect(mine.has(t.id), t.name).toBe(false);
      },
    },
    createToken: {
      body: { name: 'ci', role: 'viewer' },
      other: (body, status) =>
        expect([status, body.role, /^tw_/.test(body.token)]).toEqual([201, 'viewer', true]),
    },
    getToken: { ...id(ids.token), other: 'not-found' },
    updateToken: { ...id(ids.token), body: { role: 'reviewer' }, other: 'not-found' },
    revokeToken: { ...id(ids.token), other: 'not-found' },
    // The other workspace has its own entries (its token creation), never one about this workspace's things.
    listAudit: {
      query: { action: 'token', limit: '20' },
      other: (body, status) => {
        expect(status).toBe(200);
        for (const e of body.items) expect(mine.has(e.targetId), e.action).toBe(false);
      },
    },
    listWatches: { other: 'empty' },
    getWatch: { ...id(ids.watch), other: 'not-found' },
    createWatch: {
      body: { name: 'Rival', kind: 'competitor', query: 'rival', competitorOf: ids.watch },
      other: 'not-found',
    },
    setWatchLexicon: { ...id(ids.watch), body: { sick: 3 }, other: 'not-found' },
    listSources: { other: 'empty' },
    getSource: { ...id(ids.source), other: 'not-found' },
    createSource: {
      body: { type: 'rss', name: 'feed', config: { url: 'http://127.0.0.1:9/feed.xml' }, watchId: ids.watch },
      other: 'not-found',
    },
    listMentions: { query: { watch: ids.watch }, other: 'empty' },
    // The export streams CSV; for another workspace's watch it is the usual 404 problem, before any row.
    exportMentions: { query: { watch: ids.watch }, other: 'not-found' },
    getMention: { ...id(ids.mention), other: 'not-found' },
    getTrend: { query: { watch: ids.watch }, other: 'not-found' },
    getShareOfVoice: { query: { watch: ids.watch }, other: 'not-found' },
    getTopTerms: { query: { watch: ids.watch }, other: 'not-found' },
    listMetrics: { other: 'empty' },
    readMetric: { params: { name: 'orders' }, other: 'empty' },
    // A metric name is per workspace: the other workspace writes its own series, never this one's.
    recordMetricPoints: {
      params: { name: 'orders' },
      body: { at: '2026-03-01T00:00:00Z', value: 999 },
      other: (body, status) => {
        expect(status).toBeLessThan(300);
        expect(body).toMatchObject({ name: 'orders', received: 1, inserted: 1 });
      },
    },
    listAlerts: { query: { watch: ids.watch }, other: 'empty' },
    getAlert: { ...id(ids.alert), other: 'not-found' },
    acknowledgeAlert: { ...id(ids.alert), other: 'not-found' },
    resolveAlert: { ...id(ids.alert), other: 'not-found' },
    listDeliveries: { query: { alert: ids.alert }, other: 'empty' },
    getDelivery: { ...id(ids.delivery), other: 'not-found' },
    retryDelivery: { ...id(ids.delivery), other: 'not-found' },
    listAlertRoutes: { other: 'empty' },
    getAlertRoute: { ...id(ids.route), other: 'not-found' },
    createAlertRoute: {
      body: { name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook', watchId: ids.watch },
      other: 'not-found',
    },
    updateAlertRoute: { ...id(ids.route), body: { name: 'renamed' }, other: 'not-found' },
    deleteAlertRoute: { ...id(ids.route), other: 'not-found' },
    testAlertRoute: { ...id(ids.route), other: 'not-found' },
    listReviewItems: { query: { watch: ids.watch }, other: 'empty' },
    reviewStats: { query: { watch: ids.watch }, other: 'not-found' },
    getReviewItem: { ...id(ids.reviewItem), other: 'not-found' },
    updateReviewItem: { ...id(ids.reviewItem), body: { state: 'in_review' }, other: 'not-found' },
    respondReviewItem: {
      ...id(ids.reviewItem),
      body: { url: 'https://social.example/r/1' },
      other: 'not-found',
    },
    addReviewNote: { ...id(ids.reviewItem), body: { body: 'looking' }, other: 'not-found' },
    // Items of another workspace are "missing" to a bulk action: all skipped, none applied.
    bulkReview: {
      body: { ids: [ids.reviewItem], action: 'start' },
      other: (body, status) => {
        expect(status).toBe(200);
        expect(JSON.stringify(body)).not.toMatch(/"applied":\s*\[\s*"/);
        expect(JSON.stringify(body)).toContain(ids.reviewItem);
      },
    },
    listReviewRules: { other: 'empty' },
    getReviewRule: { ...id(ids.reviewRule), other: 'not-found' },
    createReviewRule: {
      body: { name: 'theirs', match: { watchId: ids.watch }, actions: { dismiss: true } },
      other: 'not-found',
    },
    updateReviewRule: { ...id(ids.reviewRule), body: { name: 'renamed' }, other: 'not-found' },
    deleteReviewRule: { ...id(ids.reviewRule), other: 'not-found' },
  };
}

interface Operation {
  id: string;
  method: string;
  path: string;
  role: Role | undefined;
  op: Json;
}

/**
 * The token-authenticated operations. The few that authenticate by signature instead (webhook push)
 * say so with `x-authentication` and an empty `security`; their own tests cover them.
 */
function operationsOf(doc: Json): Operation[] {
  return allOperations(doc).filter((o) => !o.op['x-authentication']);
}

function allOperations(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (op) ops.push({ id: op.operationId, method, path, role: op['x-required-role'], op });
    }
  }
  return ops;
}

/** A value the parameter's schema refuses, or undefined when the schema takes any string. */
function badValue(schema: Json): string | undefined {
  if (schema.format === 'uuid') return 'not-a-uuid';
  if (schema.enum) return 'bogus-value';
  if (schema.type === 'integer') return 'abc';
  if (schema.anyOf?.some((s: Json) => s.format === 'date-time')) return 'yesterday';
  if (schema.format === 'date-time') return 'yesterday';
  if (schema.type === 'number') return 'NaNish';
  return undefined;
}

describe.each(storeTargets())('API walk over the OpenAPI document [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let doc: Json;
  const tokens = {} as Record<Role, string>;
  let otherAdmin: string;
  let ids: Ids;

  const call = (
    op: Operation,
    s: { params?: Record<string, string | number>; query?: Record<string, string>; rawBody?: string },
    token: string | null,
  ) => {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String(s.params?.[name] ?? '')),
    );
    const qs = s.query ? `?${new URLSearchParams(s.query)}` : '';
    const headers = new Headers();
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (s.rawBody !== undefined) headers.set('content-type', 'application/json');
    return app.request(`/api/v1${path}${qs}`, {
      method: op.method.toUpperCase(),
      headers,
      ...(s.rawBody !== undefined ? { body: s.rawBody } : {}),
    });
  };
  const withBody = (s: Sample) => ({
    ...s,
    ...(s.body !== undefined ? { rawBody: JSON.stringify(s.body) } : {}),
  });
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await app.request(`/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
    });
    expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(300);
    return res.json();
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'main');
    for (const role of ROLES) {
      tokens[role] = (await createToken(store.db, ws.id, { name: role, role }, 'test')).token;
    }
    const other = await ensureWorkspace(store.db, 'other');
    otherAdmin = (await createToken(store.db, other.id, { name: 'o', role: 'admin' }, 'test')).token;
    const now = new Date('2026-03-03T00:00:00Z');
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 64 * 1024,
      now: () => now,
    });

    const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test');
    const source = await makeSource(store.db, ws.id, 'walk');
    await ingest(store.db, source, [
      post('w1', 'Telvana leaked my data and support ignores me, I am cancelling', '2026-03-01T10:00:00Z'),
    ]);
    const mentions = await api(`/mentions?watch=${watch.id}`);
    const alert = await recordDetections(store.db, [detection(ws.id, watch.id)], {
      now: () => now,
      baseUrl: 'http://127.0.0.1:8080',
    });
    const route = await api('/alert-routes', {
      method: 'POST',
      body: JSON.stringify({ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook' }),
    });
    const delivery = await api(`/alert-routes/${route.id}/test`, { method: 'POST' });
    await api('/metrics/orders', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-03-01T00:00:00Z', value: 5 }),
    });
    const review = await api(`/review?watch=${watch.id}`);
    const spare = await createToken(store.db, ws.id, { name: 'spare', role: 'viewer' }, 'test');
    const rule = await api('/review/rules', {
      method: 'POST',
      body: JSON.stringify({ name: 'spam', match: { authors: ['spammer'] }, actions: { dismiss: true } }),
    });
    ids = {
      watch: watch.id,
      source: source.id,
      mention: mentions.items[0]?.id,
      alert: alert.alertIds[0] ?? '',
      route: route.id,
      delivery: delivery.deliveryId,
      reviewItem: review.items[0]?.id,
      reviewRule: rule.id,
      token: spare.id,
    };
    for (const [name, value] of Object.entries(ids)) expect(value, `fixture ${name}`).toBeTruthy();
    doc = await (await app.request('/api/openapi.json')).json();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('documents every operation with an id, a tag, bearer security and its required role', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem).toBeDefined();
    for (const o of allOperations(doc).filter((x) => x.op['x-authentication'])) {
      expect(o.op.security, o.id).toEqual([]);
      expect(o.role, o.id).toBeUndefined();
    }
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ops.map((o) => o.id)).size).toBe(ops.length);
    const table = samples(ids);
    for (const o of ops) {
      const at = `${o.method.toUpperCase()} ${o.path}`;
      expect(o.id, at).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ROLES, `${at} declares x-required-role`).toContain(o.role);
      expect(o.op.security, at).toEqual([{ bearerAuth: [] }]);
      expect(o.op.tags?.length, at).toBeGreaterThan(0);
      expect(Object.keys(o.op.responses), at).toEqual(expect.arrayContaining(['400', '401', '404']));
      expect('403' in o.op.responses, `${at} documents 403 exactly when a viewer is refused`).toBe(
        o.role !== 'viewer',
      );
      expect(table[o.id], `${at} (${o.id}) has a sample request in this test`).toBeDefined();
    }
  });

  it('refuses every operation without a token or with an unknown one (401 problem+json)', async () => {
    for (const o of operationsOf(doc)) {
      const s = withBody(samples(ids)[o.id] ?? { other: 'empty' });
      for (const token of [null, 'tw_unknown-token']) {
        const res = await call(o, s, token);
        expect(res.status, `${o.id} token=${token}`).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect((await res.json()).code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('refuses every role below the declared one (403) before reading the input', async () => {
    let checked = 0;
    for (const o of operationsOf(doc)) {
      const s = withBody(samples(ids)[o.id] ?? { other: 'empty' });
      const below = ROLES.slice(0, ROLES.indexOf(o.role as Role));
      for (const role of below) {
        for (const input of [s, { ...s, rawBody: s.rawBody === undefined ? undefined : '{"' }]) {
          const res = await call(o, input, tokens[role]);
          expect(res.status, `${o.id} as ${role}`).toBe(403);
          expect((await res.json()).code).toBe('FORBIDDEN');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("never shows or changes one workspace's resources with another workspace's token", async () => {
    for (const o of operationsOf(doc)) {
      const s = samples(ids)[o.id];
      if (!s) continue;
      const res = await call(o, withBody(s), otherAdmin);
      const body = res.status === 204 ? {} : await res.json();
      if (s.other === 'not-found') {
        expect(res.status, `${o.id}: ${JSON.stringify(body)}`).toBe(404);
        expect(body.code).toBe('NOT_FOUND');
      } else if (s.other === 'empty') {
        expect(res.status, `${o.id}: ${JSON.stringify(body)}`).toBe(200);
        expect(body.items, o.id).toEqual([]);
      } else {
        s.other(body, res.status);
      }
    }
    // Nothing of the first workspace moved: its metric point, route, review item and alert are as they were.
    const metric = await api('/metrics/orders?from=2026-03-01&to=2026-03-02');
    expect(metric.items.map((p: Json) => p.value)).toEqual([5]);
    expect((await api(`/alert-routes/${ids.route}`)).name).toBe('hook');
    expect((await api(`/review/${ids.reviewItem}`)).state).toBe('new');
    expect((await api(`/alerts/${ids.alert}`)).state).toBe('open');
    expect((await api('/workspace')).name).toBe('main');
    expect(await api(`/tokens/${ids.token}`)).toMatchObject({ role: 'viewer', revokedAt: null });
  });

  it('answers malformed ids, query parameters and bodies with a 400 problem naming the field', async () => {
    let checked = 0;
    for (const o of operationsOf(doc)) {
      const s = withBody(samples(ids)[o.id] ?? { other: 'empty' });
      const params = (o.op.parameters ?? []) as Json[];
      const cases: { what: string; input: Parameters<typeof call>[1]; field: string }[] = [];
      for (const p of params) {
        const bad =
          p.in === 'path' && p.schema.type === 'string' && !p.schema.format
            ? '-bad name!'
            : badValue(p.schema);
        if (bad === undefined) continue;
        if (p.in === 'path') {
          cases.push({
            what: `path ${p.name}=${bad}`,
            input: { ...s, params: { ...s.params, [p.name]: bad } },
            field: p.name,
          });
        } else if (p.in === 'query') {
          cases.push({
            what: `query ${p.name}=${bad}`,
            input: { ...s, query: { ...s.query, [p.name]: bad } },
            field: p.name,
          });
        }
      }
      if (o.op.requestBody) {
        cases.push({ what: 'unparsable JSON body', input: { ...s, rawBody: '{"name": ' }, field: 'body' });
        cases.push({ what: 'JSON body of the wrong type', input: { ...s, rawBody: '[1, 2]' }, field: '' });
      }
      if (cases.length === 0) {
        // Nothing to malform: the operation takes no parameter and no body.
        expect(params, o.id).toEqual([]);
        continue;
      }
      for (const c of cases) {
        const res = await call(o, c.input, tokens.admin);
        const body = await res.json();
        expect(res.status, `${o.id} ${c.what}: ${JSON.stringify(body)}`).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(body.code, `${o.id} ${c.what}`).toMatch(/^[A-Z_]+$/);
        if (c.field)
          expect(
            body.errors.map((e: Json) => e.path),
            `${o.id} ${c.what}`,
          ).toContain(c.field);
        expect(JSON.stringify(body)).not.toMatch(/syntax error at|relation "|invalid input syntax/i);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('serves a reference page under a strict CSP that lists every operation', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
    for (const o of operationsOf(doc)) expect(html, o.id).toContain(`id="${o.id}"`);
  });
});
