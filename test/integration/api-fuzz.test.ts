import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

/**
 * Throws random filters and bodies at the mentions and trends endpoints: whatever arrives, the answer
 * is never a 500 and never carries database error text (every query is parameterized; bad input is a
 * 400 problem before it reaches SQL).
 */

const SQL_ERROR =
  /syntax error|relation "|column "|invalid input syntax|violates|out of range|pglite|kysely|\bselect\b.*\bfrom\b|stack|at .*\.ts:/i;

const PARAMS = {
  '/api/v1/mentions': [
    'watch',
    'source',
    'from',
    'to',
    'sentiment',
    'label',
    'signal',
    'sentimentMin',
    'sentimentMax',
    'include_duplicates',
    'limit',
    'cursor',
    'language',
    'ratingMin',
    'ratingMax',
    'q',
    'author',
    'sort',
  ],
  '/api/v1/mentions/export': [
    'watch',
    'source',
    'from',
    'to',
    'label',
    'signal',
    'sentimentMin',
    'language',
    'ratingMin',
    'ratingMax',
    'q',
    'author',
    'sort',
    'format',
  ],
  '/api/v1/trends': ['watch', 'from', 'to', 'bucket', 'tz'],
  '/api/v1/trends/share-of-voice': ['watch', 'from', 'to', 'bucket', 'tz'],
  '/api/v1/trends/top': ['watch', 'from', 'to', 'kind', 'limit'],
} as const;

describe.each(storeTargets())('API fuzz: mentions and trends [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let watchId: string;
  let sourceId: string;

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'main');
    token = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    watchId = (await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    const source = await makeSource(store.db, ws.id, 'fuzz');
    sourceId = source.id;
    await ingest(store.db, source, [
      post('f1', 'Telvana support is great', '2026-03-01T10:00:00Z'),
      post('f2', 'Telvana leaked my data, cancelling', '2026-03-02T11:00:00Z'),
    ]);
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: target.name,
      maxBodyBytes: 16 * 1024,
      now: () => new Date('2026-03-03T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** Values that are valid, nearly valid, hostile or plain noise. */
  const value = () =>
    fc.oneof(
      fc.constantFrom(
        watchId,
        sourceId,
        '2026-03-01',
        '2026-03-01T00:00:00Z',
        '2026-02-30',
        '9999-12-31T23:59:59Z',
        '-1',
        '0',
        '1e308',
        'NaN',
        'Infinity',
        'hour',
        'day',
        'week',
        'term',
        'hashtag',
        'author',
        'negative',
        'complaint,praise',
        'Europe/Berlin',
        'Mars/Olympus',
        'true',
        "' OR 1=1 --",
        "'); drop table mentions; --",
        '00000000-0000-0000-0000-000000000000',
        'WzE3MDAwMDAwMDAsMV0',
        '%00',
        '\u0000',
        'ｔｅｌｖａｎａ',
        'en',
        'de,EN',
        'und',
        'oldest',
        'most_negative',
        'csv',
        'jsonl',
        '4.5',
        '100%',
        '_',
        '\\',
        '%_%',
        '@Telvana',
        // A most_negative cursor with a score float4 cannot hold, and one of another sort.
        Buffer.from(JSON.stringify(['most_negative', 5e-324, 1])).toString('base64url'),
        Buffer.from(JSON.stringify(['oldest', '2026-03-01T00:00:00Z', 1])).toString('base64url'),
      ),
      fc.string({ maxLength: 40 }),
      fc.integer().map(String),
      fc.double().map(String),
      fc.uuid(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );

  const expectSafe = async (res: Response, what: string) => {
    const text = await res.text();
    expect(res.status, `${what} -> ${text.slice(0, 300)}`).toBeLessThan(500);
    expect(text, what).not.toMatch(SQL_ERROR);
    if (res.status >= 400) expect(res.headers.get('content-type'), what).toBe('application/problem+json');
  };

  it('answers random query strings with data or a 400 problem, never a 500 or SQL text', async () => {
    const path = fc.constantFrom(...(Object.keys(PARAMS) as (keyof typeof PARAMS)[]));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.array(fc.tuple(fc.oneof(fc.nat(20), fc.string({ maxLength: 12 })), value()), { maxLength: 6 }),
        async (p, pairs) => {
          const qs = new URLSearchParams();
          for (const [k, v] of pairs) qs.append(typeof k === 'number' ? (PARAMS[p][k] ?? 'watch') : k, v);
          const res = await app.request(`${p}?${qs}`, { headers: { authorization: `Bearer ${token}` } });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          await expectSafe(res, `${p}?${qs}`);
        },
      ),
      { numRuns: 400 },
    );
    // The walk reached the database, not only the validator: some requests succeeded.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
  });

  it('answers random raw query strings (broken encodings, repeated keys) safely', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(PARAMS)),
        fc.string({ maxLength: 200, unit: 'binary' }),
        async (p, raw) => {
          const qs = encodeURI(raw).replace(/#/g, '%23');
          const res = await app.request(`${p}?watch=${watchId}&${qs}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          await expectSafe(res, `${p}?${qs}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers random bodies and methods on the same paths safely', async () => {
    const body = fc.oneof(
      fc.json().map((j) => j),
      fc.string({ maxLength: 300 }),
      fc.constant('{"watch": "'),
      fc.constant('x'.repeat(20_000)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(PARAMS), '/api/v1/mentions/1', '/api/v1/mentions/abc'),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        body,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (p, method, b, type) => {
          const res = await app.request(`${p}?watch=${watchId}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': type },
            ...(method === 'GET' ? {} : { body: b }),
          });
          await expectSafe(res, `${method} ${p} (${type}) ${b.slice(0, 80)}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
