import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

/** Type-7 quantile (linear between ranks), computed here independently of the SQL under test. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

interface Item {
  id: string;
  mentionId: number;
  watchId: string;
  state: string;
  assignee: string | null;
  tags: string[];
  priority: string;
  reasons: { type: string; kinds?: string[]; ruleId?: string }[];
  firstResponseSeconds: number | null;
  respondedAt: string | null;
  responseUrl: string | null;
  mention: { text: string; url: string | null; authorHandle: string | null };
}

describe.each(storeTargets())('review queue [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const tokens = { admin: '', reviewer: '', viewer: '', otherAdmin: '' };
  let wsId: string;
  let watchId: string;
  let otherWatchId: string;
  let source: Awaited<ReturnType<typeof makeSource>>;
  const clock = new Date('2026-03-01T12:00:00Z');
  const now = () => new Date(clock);

  const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? tokens.reviewer : init.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    return app.request(`/api/v1/review${path}`, { ...init, headers });
  };
  const json = async <T = Record<string, unknown>>(res: Response, status = 200): Promise<T> => {
    const body = await res.text();
    expect(res.status, body).toBe(status);
    return JSON.parse(body) as T;
  };
  const all = async (query = '', token?: string): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const sep = query ? '&' : '';
      const page: { items: Item[]; nextCursor: string | null } = await json(
        await call(`?${query}${sep}limit=3${cursor ? `&cursor=${cursor}` : ''}`, token ? { token } : {}),
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  const byText = (items: Item[], fragment: string) => items.find((i) => i.mention.text.includes(fragment));

  const posts: SourceItem[] = [
    post(
      'complaint',
      'Telvana charged me twice and support has not answered in 5 days.',
      '2026-03-01T10:00:00Z',
      {
        url: 'https://social.example/p/complaint',
        author: { handle: 'jane' },
      },
    ),
    post('praise', 'Telvana support team was wonderful, thank you so much!', '2026-03-01T10:01:00Z', {
      author: { handle: 'happy' },
    }),
    post('owned', 'Telvana is down again in the north, we are on it', '2026-03-01T10:02:00Z', {
      author: { handle: 'telvana' },
    }),
    post('spam', 'Telvana is a rip off, terrible support, worst company', '2026-03-01T10:03:00Z', {
      author: { handle: 'SpamBot' },
    }),
    post('handle', 'Talking to @telvana_help about moving my plan next month', '2026-03-01T10:04:00Z', {
      author: { handle: 'li' },
    }),
    post('reach', 'Telvana has the ugliest, most depressing new logo', '2026-03-01T10:05:00Z', {
      author: { handle: 'bigvoice', followers: 250_000 },
    }),
    post('down1', 'Telvana is down again, this is a scam', '2026-03-01T09:00:00Z', {
      author: { handle: 'a1' },
    }),
    post('down2', 'Telvana is down again, this is a scam', '2026-03-01T09:30:00Z', {
      author: { handle: 'a2' },
    }),
    post('fraud', 'Telvana leaked my data, a scam', '2026-03-01T08:00:00Z', { author: { handle: 'b1' } }),
  ];

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'main');
    const other = await ensureWorkspace(store.db, 'other');
    wsId = ws.id;
    for (const role of ['admin', 'reviewer', 'viewer'] as const) {
      tokens[role] = (await createToken(store.db, ws.id, { name: role, role }, 'test')).token;
    }
    tokens.otherAdmin = (
      await createToken(store.db, other.id, { name: 'admin', role: 'admin' }, 'test')
    ).token;
    watchId = (
      await createWatch(
        store.db,
        ws.id,
        { name: 'Telvana', query: 'telvana', ownedHandles: ['telvana'] },
        'test',
      )
    ).id;
    otherWatchId = (await createWatch(store.db, other.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    source = await makeSource(store.db, ws.id, 'feed');
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 64 * 1024,
      now,
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('lets an admin create rules and refuses them to a reviewer (403) or without a condition (400)', async () => {
    const spam = { name: 'known spam', match: { authors: ['@spambot'] }, actions: { dismiss: true } };
    const forbidden = await call('/rules', { method: 'POST', body: JSON.stringify(spam) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    await json(
      await call('/rules', { method: 'POST', body: JSON.stringify(spam), token: tokens.admin }),
      201,
    );
    const handle = {
      name: 'support handle',
      position: 1,
      match: { query: '"@telvana_help"' },
      actions: { assign: 'maria', tags: ['support'] },
    };
    await json(
      await call('/rules', { method: 'POST', body: JSON.stringify(handle), token: tokens.admin }),
      201,
    );
    const empty = await json<{ code: string; errors: { path: string }[] }>(
      await call('/rules', {
        method: 'POST',
        body: JSON.stringify({ name: 'x', match: {}, actions: { dismiss: true } }),
        token: tokens.admin,
      }),
      400,
    );
    expect(empty.code).toBe('VALIDATION');
    expect(empty.errors[0]?.path).toBe('match');
    const badQuery = await json<{ errors: { path: string }[] }>(
      await call('/rules', {
        method: 'POST',
        body: JSON.stringify({ name: 'y', match: { query: '(telvana' }, actions: { tags: ['t'] } }),
        token: tokens.admin,
      }),
      400,
    );
    expect(badQuery.errors[0]?.path).toBe('match.query');
    const rules = await json<{ items: { name: string }[] }>(await call('/rules', { token: tokens.viewer }));
    expect(rules.items.map((r) => r.name)).toEqual(['known spam', 'support handle']);
  });

  it('queues red flags, negative high reach and rule matches at ingest; not praise, owned posts or duplicates', async () => {
    const stats = await ingest(store.db, source, posts, { now: clock });
    expect(stats.inserted).toBe(posts.length);
    const items = await all();
    const texts = items.map((i) => i.mention.text);
    expect(byText(items, 'charged me twice')?.reasons[0]).toMatchObject({ type: 'signal' });
    expect(byText(items, 'charged me twice')?.reasons[0]?.kinds).toContain('security_fraud');
    expect(byText(items, 'charged me twice')?.state).toBe('new');
    expect(texts.some((t) => t.includes('wonderful'))).toBe(false);
    expect(texts.some((t) => t.includes('we are on it'))).toBe(false);
    // The second copy of the same text within 24 h is a duplicate: one item for the pair.
    expect(texts.filter((t) => t.includes('is down again, this is a scam'))).toHaveLength(1);

    const spam = byText(items, 'rip off');
    expect(spam?.state).toBe('dismissed');
    expect(spam?.reasons.some((r) => r.type === 'rule')).toBe(true);

    const handle = byText(items, '@telvana_help');
    expect(handle?.assignee).toBe('maria');
    expect(handle?.tags).toEqual(['support']);
    expect(handle?.reasons.map((r) => r.type)).toContain('rule');

    const reach = byText(items, 'ugliest');
    expect(reach?.reasons.map((r) => r.type)).toContain('negative_high_reach');
    expect(reach?.priority).toBe('high');
    expect(items.every((i) => i.watchId === watchId)).toBe(true);

    // Idempotent per (mention, watch): ingesting again adds nothing and keeps what reviewers did.
    const rows = await store.db.selectFrom('review_items').select('id').execute();
    await ingest(store.db, source, posts, { now: clock });
    const again = await store.db.selectFrom('review_items').select('id').execute();
    expect(again.length).toBe(rows.length);
    expect(rows.length).toBe(items.length);
  });

  it('filters by state, signal, assignee and priority', async () => {
    const everything = await all();
    const dismissed = await all('state=dismissed');
    expect(dismissed.map((i) => i.state)).toEqual(['dismissed']);
    expect((await all('state=new,dismissed')).length).toBe(everything.length);
    const fraud = await all('signal=security_fraud');
    expect(fraud.length).toBeGreaterThan(0);
    expect(fraud.length).toBe(
      everything.filter((i) => i.reasons.some((r) => r.kinds?.includes('security_fraud'))).length,
    );
    expect((await all('assignee=maria')).map((i) => i.mention.text)).toEqual([
      byText(everything, '@telvana_help')?.mention.text,
    ]);
    expect((await all('unassigned=true')).length).toBe(everything.length - 1);
    expect((await all('priority=high')).every((i) => i.priority === 'high')).toBe(true);
    const bad = await json<{ errors: { path: string }[] }>(await call('?state=open'), 400);
    expect(bad.errors[0]?.path).toBe('state');
    expect((await call('?cursor=garbage')).status).toBe(400);
  });

  it('walks the state machine, records the first response and writes history and audit', async () => {
    const item = byText(await all(), 'charged me twice') as Item;
    const started = await json<{ item: Item; changed: boolean }>(
      await call(`/${item.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ state: 'in_review', assignee: 'omar' }),
      }),
    );
    expect(started.item.state).toBe('in_review');
    expect(started.changed).toBe(true);
    const repeat = await json<{ changed: boolean }>(
      await call(`/${item.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'in_review' }) }),
    );
    expect(repeat.changed).toBe(false);
    const back = await json<{ code: string }>(
      await call(`/${item.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'new' }) }),
      409,
    );
    expect(back.code).toBe('CONFLICT');
    expect(
      (await call(`/${item.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'responded' }) })).status,
    ).toBe(400);

    // Published 10:00, answered 10:45: 2,700 s.
    const replied = await json<{ item: Item }>(
      await call(`/${item.id}/respond`, {
        method: 'POST',
        body: JSON.stringify({ url: 'https://social.example/p/reply-1', at: '2026-03-01T10:45:00Z' }),
      }),
    );
    expect(replied.item.state).toBe('responded');
    expect(replied.item.firstResponseSeconds).toBe(2700);
    expect(replied.item.responseUrl).toBe('https://social.example/p/reply-1');
    // A later reply keeps the first-response time.
    const later = await json<{ item: Item }>(
      await call(`/${item.id}/respond`, {
        method: 'POST',
        body: JSON.stringify({ url: 'https://social.example/p/reply-2', at: '2026-03-01T11:30:00Z' }),
      }),
    );
    expect(later.item.firstResponseSeconds).toBe(2700);
    expect(later.item.respondedAt).toBe('2026-03-01T10:45:00.000Z');
    const future = await call(`/${item.id}/respond`, {
      method: 'POST',
      body: JSON.stringify({ url: 'https://social.example/p/x', at: '2026-03-02T10:45:00Z' }),
    });
    expect(future.status).toBe(400);

    await json(
      await call(`/${item.id}/notes`, { method: 'POST', body: JSON.stringify({ body: 'Refund issued' }) }),
      201,
    );
    const detail = await json<{
      link: string;
      notes: { body: string }[];
      history: { action: string; actor: string }[];
      mentionDetail: { id: number; watches: unknown[] };
    }>(await call(`/${item.id}`, { token: tokens.viewer }));
    expect(detail.link).toBe('https://social.example/p/complaint');
    expect(detail.notes.map((n) => n.body)).toEqual(['Refund issued']);
    expect(detail.history.map((h) => h.action)).toEqual([
      'entered',
      'state:in_review',
      'state:responded',
      'update',
      'note',
    ]);
    expect(detail.mentionDetail.id).toBe(item.mentionId);
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', item.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['review.in_review', 'review.responded', 'review.update']);
  });

  it('applies bulk actions, skipping what it cannot do', async () => {
    const items = await all('state=new');
    const ids = items.slice(0, 2).map((i) => i.id);
    const dismissed = (await all('state=dismissed'))[0] as Item;
    const missing = '00000000-0000-4000-8000-000000000000';
    const result = await json<{
      updated: string[];
      unchanged: string[];
      skipped: { id: string; code: string }[];
    }>(
      await call('/bulk', {
        method: 'POST',
        body: JSON.stringify({ ids: [...ids, missing], action: 'assign', assignee: 'omar' }),
      }),
    );
    expect(result.updated.sort()).toEqual([...ids].sort());
    expect(result.skipped).toEqual([expect.objectContaining({ id: missing, code: 'NOT_FOUND' })]);
    expect((await all('assignee=omar')).map((i) => i.id).sort()).toEqual(expect.arrayContaining(ids));

    const escalate = await json<{ updated: string[]; skipped: { id: string; code: string }[] }>(
      await call('/bulk', {
        method: 'POST',
        body: JSON.stringify({ ids: [ids[0], dismissed.id], action: 'escalate' }),
      }),
    );
    // dismissed -> escalated is not a move the state machine allows: skipped, the other applied.
    expect(escalate.updated).toEqual([ids[0]]);
    expect(escalate.skipped).toEqual([expect.objectContaining({ id: dismissed.id, code: 'CONFLICT' })]);
    const missingArg = await call('/bulk', {
      method: 'POST',
      body: JSON.stringify({ ids, action: 'priority' }),
    });
    expect(missingArg.status).toBe(400);
    const badAction = await call('/bulk', {
      method: 'POST',
      body: JSON.stringify({ ids, action: 'explode' }),
    });
    expect(badAction.status).toBe(400);
  });

  it('reports first-response median and p90 per watch, and the open backlog', async () => {
    // Respond to every open item at known delays from its publication.
    const open = (await all('state=new,in_review,escalated')).sort((a, b) => a.mentionId - b.mentionId);
    expect(open.length).toBeGreaterThanOrEqual(3);
    const respondTo = open.slice(0, open.length - 1);
    const delays: number[] = [2700]; // the item answered above
    for (const [i, item] of respondTo.entries()) {
      const detail = await json<{ publishedAt: string }>(await call(`/${item.id}`));
      const seconds = 60 * (i + 1) ** 2;
      const at = new Date(Date.parse(detail.publishedAt) + seconds * 1000);
      await json(
        await call(`/${item.id}/respond`, {
          method: 'POST',
          body: JSON.stringify({ url: `https://social.example/r/${i}`, at: at.toISOString() }),
        }),
      );
      delays.push(seconds);
    }
    const stats = await json<{
      watches: {
        watchId: string;
        responded: number;
        medianSeconds: number;
        p90Seconds: number;
        openBacklog: number;
      }[];
    }>(await call('/stats', { token: tokens.viewer }));
    expect(stats.watches).toHaveLength(1);
    const w = stats.watches[0];
    expect(w?.watchId).toBe(watchId);
    expect(w?.responded).toBe(delays.length);
    expect(w?.medianSeconds).toBeCloseTo(quantile(delays, 0.5), 6);
    expect(w?.p90Seconds).toBeCloseTo(quantile(delays, 0.9), 6);
    expect(w?.openBacklog).toBe(1);

    // A window that ends before every reply counts none of them.
    const early = await json<{ watches: { responded: number; medianSeconds: number | null }[] }>(
      await call('/stats?from=2026-02-01T00:00:00Z&to=2026-03-01T08:00:00Z'),
    );
    expect(early.watches[0]?.responded).toBe(0);
    expect(early.watches[0]?.medianSeconds).toBeNull();
    expect((await call('/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')).status).toBe(400);
  });

  it('keeps workspaces apart: another workspace sees nothing and gets 404 for these items', async () => {
    const item = (await all())[0] as Item;
    const list = await json<{ items: Item[] }>(await call('', { token: tokens.otherAdmin }));
    expect(list.items).toEqual([]);
    expect((await call(`/${item.id}`, { token: tokens.otherAdmin })).status).toBe(404);
    expect(
      (
        await call(`/${item.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ state: 'dismissed' }),
          token: tokens.otherAdmin,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(`/${item.id}/notes`, {
          method: 'POST',
          body: JSON.stringify({ body: 'x' }),
          token: tokens.otherAdmin,
        })
      ).status,
    ).toBe(404);
    const bulk = await json<{ updated: string[]; skipped: unknown[] }>(
      await call('/bulk', {
        method: 'POST',
        body: JSON.stringify({ ids: [item.id], action: 'dismiss' }),
        token: tokens.otherAdmin,
      }),
    );
    expect(bulk.updated).toEqual([]);
    expect(bulk.skipped).toHaveLength(1);
    const stats = await json<{ watches: { watchId: string; responded: number }[] }>(
      await call('/stats', { token: tokens.otherAdmin }),
    );
    expect(stats.watches).toEqual([expect.objectContaining({ watchId: otherWatchId, responded: 0 })]);
    const rules = await json<{ items: unknown[] }>(await call('/rules', { token: tokens.otherAdmin }));
    expect(rules.items).toEqual([]);
    expect((await call(`/stats?watch=${watchId}`, { token: tokens.otherAdmin })).status).toBe(404);
    const [mine] = await store.db.selectFrom('review_items').select('workspace_id').distinct().execute();
    expect(mine?.workspace_id).toBe(wsId);
  });

  it('answers 401 without a token and 403 to a viewer who tries to act', async () => {
    const item = (await all())[0] as Item;
    expect((await call('', { token: null })).status).toBe(401);
    const res = await call(`/${item.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ assignee: 'me' }),
      token: tokens.viewer,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect(
      (await call('/bulk', { method: 'POST', body: '{"ids":[],"action":"dismiss"}', token: tokens.viewer }))
        .status,
    ).toBe(403);
    expect((await call(`/${item.id}`, { method: 'PATCH', body: '{not json' })).status).toBe(400);
    expect((await call('/not-a-uuid')).status).toBe(400);
  });

  it('updates and deletes rules (admin); a deleted rule no longer applies to new mentions', async () => {
    const { items } = await json<{ items: { id: string; name: string }[] }>(await call('/rules'));
    const spam = items.find((r) => r.name === 'known spam') as { id: string };
    const patched = await json<{ enabled: boolean }>(
      await call(`/rules/${spam.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ enabled: false }),
        token: tokens.admin,
      }),
    );
    expect(patched.enabled).toBe(false);
    await ingest(
      store.db,
      source,
      [
        post('spam2', 'Telvana is a rip off and a scam, worst ever', '2026-03-01T11:00:00Z', {
          author: { handle: 'spambot' },
        }),
      ],
      { now: clock },
    );
    expect(byText(await all(), 'worst ever')?.state).toBe('new');
    expect((await call(`/rules/${spam.id}`, { method: 'DELETE', token: tokens.admin })).status).toBe(204);
    expect((await call(`/rules/${spam.id}`)).status).toBe(404);
  });
});
