import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { recordAudit } from '../../src/store/repositories/audit.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are read as plain JSON
type Json = Record<string, any>;

describe.each(storeTargets())('workspace, tokens, audit log and watch preview API [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let admin: string;
  let adminId: string;
  let viewer: string;
  let otherAdmin: string;

  const call = async (
    path: string,
    init: { method?: string; body?: unknown; token?: string | null } = {},
  ) => {
    const headers = new Headers();
    const token = init.token === undefined ? admin : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const res = await app.request(`/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : {}) as Json };
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'acme', 'Acme');
    workspaceId = ws.id;
    const created = await createToken(store.db, ws.id, { name: 'root', role: 'admin' }, 'test');
    admin = created.token;
    adminId = created.id;
    viewer = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    const other = await ensureWorkspace(store.db, 'other');
    otherAdmin = (await createToken(store.db, other.id, { name: 'o', role: 'admin' }, 'test')).token;
    app = createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 64 * 1024 });

    // A broad watch so that ingestion keeps every post (it stores only mentions of some watch).
    await createWatch(store.db, ws.id, { name: 'All', query: 'telvana OR rival OR weather' }, 'test');
    const source = await makeSource(store.db, ws.id, 'feed');
    const posts = [
      post('p1', 'Telvana support never answers, I am cancelling', '2026-03-01T10:00:00Z'),
      post('p2', 'Telvana careers: we are hiring engineers', '2026-03-01T11:00:00Z'),
      post('p3', 'Rival has a great offer', '2026-03-01T12:00:00Z'),
      post('p4', 'Nice weather today', '2026-03-01T13:00:00Z'),
      post('p5', 'Our new plan is out, telvana fans!', '2026-03-01T14:00:00Z', {
        author: { handle: '@telvana' },
      }),
      post('p6', 'Wow: TÉLVANA outage again #telvanafail', '2026-03-01T15:00:00Z'),
    ];
    await ingest(store.db, source, posts);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('workspace', () => {
    it("shows the token's workspace with its counts to any role", async () => {
      const res = await call('/workspace', { token: viewer });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: workspaceId,
        slug: 'acme',
        name: 'Acme',
        counts: { watches: 1, sources: 1, tokens: 2 },
      });
      expect(new Date(res.body.createdAt).getTime()).not.toBeNaN();
      const other = await call('/workspace', { token: otherAdmin });
      expect(other.body.slug).toBe('other');
      expect(other.body.id).not.toBe(workspaceId);
    });

    it('renames it (admin only), keeps the slug and audits the change', async () => {
      expect((await call('/workspace', { method: 'PATCH', body: { name: 'X' }, token: viewer })).status).toBe(
        403,
      );
      const bad = await call('/workspace', { method: 'PATCH', body: { name: '  ' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('name');
      const res = await call('/workspace', { method: 'PATCH', body: { name: 'Acme Corp' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ slug: 'acme', name: 'Acme Corp' });
      const audit = await call('/audit?action=workspace.rename');
      expect(audit.body.items[0]).toMatchObject({
        actor: `token:${adminId}`,
        targetType: 'workspace',
        targetId: workspaceId,
        details: { from: 'Acme', to: 'Acme Corp' },
      });
    });
  });

  describe('tokens', () => {
    it('creates a token shown once, lists tokens without secrets, and the new token works', async () => {
      const created = await call('/tokens', { method: 'POST', body: { name: 'ci bot', role: 'reviewer' } });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      expect(created.body).toMatchObject({
        name: 'ci bot',
        role: 'reviewer',
        revokedAt: null,
        lastUsedAt: null,
      });
      const token = created.body.token as string;
      expect(token).toMatch(/^tw_/);
      expect(token.startsWith(created.body.prefix)).toBe(true);

      expect((await call('/workspace', { token })).status).toBe(200);
      const list = await call('/tokens');
      expect(list.status).toBe(200);
      const mine = list.body.items.find((t: Json) => t.id === created.body.id);
      expect(mine).toMatchObject({ name: 'ci bot', role: 'reviewer', prefix: created.body.prefix });
      expect(new Date(mine.lastUsedAt).getTime()).not.toBeNaN();
      expect(list.text).not.toContain(token);
      expect(list.text).not.toMatch(/hash/i);
      expect((await call(`/tokens/${created.body.id}`)).text).not.toContain(token);
      // Nobody sees another workspace's tokens, nor gets one by id.
      const theirs = await call('/tokens', { token: otherAdmin });
      expect(theirs.body.items.map((t: Json) => t.id)).not.toContain(created.body.id);
      expect((await call(`/tokens/${created.body.id}`, { token: otherAdmin })).status).toBe(404);
      expect((await call('/tokens', { token: viewer })).status).toBe(403);
    });

    it('changes a role and revokes idempotently, auditing each change once', async () => {
      const created = await call('/tokens', { method: 'POST', body: { name: 'temp', role: 'viewer' } });
      const id = created.body.id as string;
      const token = created.body.token as string;
      const role = await call(`/tokens/${id}`, { method: 'PATCH', body: { role: 'admin' } });
      expect(role.body).toMatchObject({ id, role: 'admin' });
      expect((await call('/tokens', { token })).status).toBe(200);
      expect((await call(`/tokens/${id}`, { method: 'PATCH', body: {} })).status).toBe(400);

      const first = await call(`/tokens/${id}/revoke`, { method: 'POST' });
      expect(first.status).toBe(200);
      expect(first.body.revokedAt).not.toBeNull();
      const again = await call(`/tokens/${id}/revoke`, { method: 'POST' });
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(first.body.revokedAt);
      const dead = await call('/workspace', { token });
      expect(dead.status).toBe(401);
      expect(dead.body.code).toBe('UNAUTHORIZED');
      const patchRevoked = await call(`/tokens/${id}`, { method: 'PATCH', body: { role: 'viewer' } });
      expect([patchRevoked.status, patchRevoked.body.code]).toEqual([409, 'CONFLICT']);

      const audit = await call(`/audit?targetType=api_token&targetId=${id}`);
      expect(audit.body.items.map((e: Json) => e.action)).toEqual([
        'token.revoke',
        'token.role',
        'token.create',
      ]);
      expect(audit.body.items[1].details).toEqual({ role: { from: 'viewer', to: 'admin' } });
      expect(audit.text).not.toContain(token);
    });

    it('never lets the last admin revoke or demote itself (409 LAST_ADMIN)', async () => {
      const ws = await ensureWorkspace(store.db, 'solo');
      const solo = await createToken(store.db, ws.id, { name: 'only admin', role: 'admin' }, 'test');
      const revoke = await call(`/tokens/${solo.id}/revoke`, { method: 'POST', token: solo.token });
      expect(revoke.status).toBe(409);
      expect(revoke.headers.get('content-type')).toBe('application/problem+json');
      expect(revoke.body.code).toBe('LAST_ADMIN');
      const demote = await call(`/tokens/${solo.id}`, {
        method: 'PATCH',
        body: { role: 'viewer' },
        token: solo.token,
      });
      expect([demote.status, demote.body.code]).toEqual([409, 'LAST_ADMIN']);
      // A rename is fine, and so is leaving once another admin exists.
      const rename = await call(`/tokens/${solo.id}`, {
        method: 'PATCH',
        body: { name: 'me' },
        token: solo.token,
      });
      expect(rename.body).toMatchObject({ name: 'me', role: 'admin' });
      const second = await call('/tokens', {
        method: 'POST',
        body: { name: 'b', role: 'admin' },
        token: solo.token,
      });
      const bye = await call(`/tokens/${solo.id}/revoke`, { method: 'POST', token: solo.token });
      expect(bye.status).toBe(200);
      expect((await call('/workspace', { token: solo.token })).status).toBe(401);
      // Now the second is the last: it cannot go either.
      const last = await call(`/tokens/${second.body.id}/revoke`, {
        method: 'POST',
        token: second.body.token,
      });
      expect(last.body.code).toBe('LAST_ADMIN');
    });
  });

  describe('audit log', () => {
    it('filters by action prefix, actor, target type and time, newest first, page by page', async () => {
      for (let i = 0; i < 5; i++) {
        await recordAudit(store.db, {
          workspaceId,
          actor: 'cli',
          action: `probe.step${i}`,
          targetType: 'probe',
          targetId: `p${i}`,
        });
      }
      // All within one millisecond, microseconds apart, as PostgreSQL may store them: pages must
      // neither skip nor repeat an entry.
      await sql`update audit_log set at = timestamptz '2026-01-01 00:00:00.123' + (id % 1000) * interval '1 microsecond'
        where action like 'probe.%'`.execute(store.db);
      const seen: Json[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const qs: string = `action=probe.&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await call(`/audit?${qs}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen.map((e) => e.targetId)).toEqual(['p4', 'p3', 'p2', 'p1', 'p0']);

      const byActor = await call('/audit?actor=cli&targetType=probe&limit=100');
      expect(byActor.body.items).toHaveLength(5);
      expect((await call('/audit?actor=nobody')).body.items).toEqual([]);
      // `%` and `_` in the prefix are literal, not wildcards.
      expect((await call('/audit?action=%25')).body.items).toEqual([]);
      const future = await call('/audit?from=2100-01-01');
      expect(future.body).toEqual({ items: [], nextCursor: null });
      const past = await call('/audit?to=2000-01-01T00:00:00Z');
      expect(past.body.items).toEqual([]);
      const bad = await call('/audit?cursor=garbage');
      expect([bad.status, bad.body.errors[0].path]).toEqual([400, 'cursor']);
      // Another workspace never sees these entries.
      const theirs = await call('/audit?action=probe', { token: otherAdmin });
      expect(theirs.body.items).toEqual([]);
    });

    it('shows no secret: masked configs, no route URLs, and a second pass over careless entries', async () => {
      const route = await call('/alert-routes', {
        method: 'POST',
        body: {
          name: 'hook',
          type: 'webhook',
          url: 'https://hooks.example.com/services/T0/B0/sekrit-path-42',
        },
      });
      expect(route.status).toBe(201);
      const plain = (await createToken(store.db, workspaceId, { name: 'leak', role: 'viewer' }, 'test'))
        .token;
      await recordAudit(store.db, {
        workspaceId,
        actor: 'legacy',
        action: 'legacy.write',
        targetType: 'legacy',
        details: {
          config: {
            token: 'hunter2-token',
            apiKey: 'k-123',
            url: 'https://api.example.com/feed?access_token=qwerty',
          },
          note: `pasted ${plain} by mistake`,
          webhookUrl: 'https://hooks.slack.com/services/T1/B1/xyz',
        },
      });
      const all = await call('/audit?limit=500');
      expect(all.status).toBe(200);
      for (const secret of [
        'sekrit-path-42',
        'hunter2-token',
        'k-123',
        'qwerty',
        plain,
        '/B1/xyz',
        route.body.secret,
      ]) {
        if (secret) expect(all.text).not.toContain(secret);
      }
      const legacy = all.body.items.find((e: Json) => e.action === 'legacy.write');
      expect(legacy.details.config.url).toMatch(/^https:\/\/api\.example\.com\/feed\?access_token=/);
      expect(legacy.details.note).toBe('pasted [redacted] by mistake');
      expect(
        all.body.items.some((e: Json) => e.action === 'alert_route.create' || e.targetType === 'alert_route'),
      ).toBe(true);
    });
  });

  describe('watch preview', () => {
    it('counts what a draft query would catch, with its exclusions and owned handles', async () => {
      const res = await call('/watches/preview', {
        method: 'POST',
        token: viewer,
        body: { query: 'telvana', exclusions: ['careers'], ownedHandles: ['@telvana'] },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ scanned: 6, matched: 3, owned: 1, excluded: 1 });
      // Newest first; each sample says which terms matched and where they are.
      expect(res.body.samples.map((s: Json) => s.text)).toEqual([
        'Wow: TÉLVANA outage again #telvanafail',
        'Our new plan is out, telvana fans!',
        'Telvana support never answers, I am cancelling',
      ]);
      for (const s of res.body.samples) {
        expect(s.terms).toEqual(['telvana']);
        expect(s.highlights.length).toBeGreaterThan(0);
        for (const h of s.highlights)
          expect(s.text.slice(h.start, h.end).toLowerCase()).toMatch(/^t[eé]lvana$/);
      }
      expect(res.body.samples[1]).toMatchObject({ owned: true, authorHandle: 'telvana' });
    });

    it('tests only the most recent N mentions', async () => {
      const res = await call('/watches/preview', {
        method: 'POST',
        body: { query: 'telvana OR rival', recent: 3 },
      });
      expect(res.body).toMatchObject({ scanned: 3, matched: 2 });
      const tooMany = await call('/watches/preview', { method: 'POST', body: { query: 'x', recent: 2001 } });
      expect([tooMany.status, tooMany.body.errors[0].path]).toEqual([400, 'recent']);
    });

    it('answers an invalid query or exclusion with 400 QUERY_SYNTAX, the field and the position', async () => {
      const res = await call('/watches/preview', { method: 'POST', body: { query: 'telvana AND (outage' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'QUERY_SYNTAX', field: 'query', position: 12 });
      expect(res.body.errors).toEqual([{ path: 'query', message: res.body.detail }]);
      const excl = await call('/watches/preview', {
        method: 'POST',
        body: { query: 'telvana', exclusions: ['ok', 'bad)'] },
      });
      expect(excl.body).toMatchObject({ code: 'QUERY_SYNTAX', field: 'exclusions.1', position: 3 });
      const empty = await call('/watches/preview', { method: 'POST', body: { query: '' } });
      expect([empty.status, empty.body.errors[0].path]).toEqual([400, 'query']);
    });

    it("never tests another workspace's mentions", async () => {
      const res = await call('/watches/preview', {
        method: 'POST',
        token: otherAdmin,
        body: { query: 'telvana' },
      });
      expect(res.body).toMatchObject({ scanned: 0, matched: 0, samples: [] });
    });
  });
});
