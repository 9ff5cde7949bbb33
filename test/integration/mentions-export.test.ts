import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { MENTION_CSV_COLUMNS } from '../../src/api/export/csv.ts';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { STREAM_BATCH_SIZE } from '../../src/store/repositories/mentions.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { fillMentions } from '../helpers/fill-mentions.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

// biome-ignore lint/suspicious/noExplicitAny: list items and JSONL records are compared as plain JSON
type Json = Record<string, any>;

const BULK = 4500;
const NOW = new Date('2026-03-03T12:00:00Z');

/** What the CSV must hold for a text cell: the text, with a `'` before a formula-like first character. */
const guarded = (t: string | null) => (t === null ? '' : /^[=+\-@\t\r]/.test(t) ? `'${t}` : t);

/** CSV records as objects keyed by the header; the header itself is checked against the columns. */
type CsvRecord = Record<(typeof MENTION_CSV_COLUMNS)[number], string>;

function csvRecords(text: string): CsvRecord[] {
  const rows = parseCsv(text, { relax_column_count: false }) as string[][];
  expect(rows[0]).toEqual([...MENTION_CSV_COLUMNS]);
  return rows
    .slice(1)
    .map((r) => Object.fromEntries(MENTION_CSV_COLUMNS.map((c, i) => [c, r[i] ?? ''])) as CsvRecord);
}

const jsonl = (text: string): Json[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe.each(storeTargets())('mentions export [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let otherToken: string;
  let watchId: string;
  let bulkWatchId: string;
  const logs: string[] = [];

  const get = (path: string, t = token) =>
    app.request(`/api/v1/mentions${path}`, { headers: { authorization: `Bearer ${t}` } });
  const exported = async (query: string, t = token) => {
    const res = await get(`/export?${query}`, t);
    expect(res.status, query).toBe(200);
    return { res, text: await res.text() };
  };
  const listed = async (query: string): Promise<Json[]> => {
    const res = await get(`?limit=500&${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()).items;
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'main');
    token = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    watchId = (await createWatch(store.db, ws.id, { name: 'Telvana Mobile', query: 'telvana' }, 'test')).id;
    const feed = await makeSource(store.db, ws.id, 'feed');
    await ingest(store.db, feed, [
      post('love', 'I love Telvana, the best network ever!', '2026-03-01T10:00:00Z', {
        author: { name: 'Ana Lima', handle: 'ana_l' },
      }),
      post(
        'formula',
        '=HYPERLINK("http://evil.example","click") Telvana refund please',
        '2026-03-01T11:00:00Z',
      ),
      post('quotes', 'Telvana: "slow", rude, and still no reply after 3 days', '2026-03-01T12:00:00Z', {
        title: 'Support, again',
      }),
      post('at', '@telvana_help cancelling my contract, switching to Vodafone', '2026-03-01T13:00:00Z'),
      post('minus', '-10% off? Telvana scam, charged me twice', '2026-03-01T14:00:00Z', { language: 'de' }),
      post('unicode', 'Grüße aus Berlin, Telvana ist super 🚀', '2026-03-01T15:00:00Z'),
    ]);
    bulkWatchId = (await createWatch(store.db, ws.id, { name: 'Bulk', query: 'zzzbulk' }, 'test')).id;
    const bulkSource = await makeSource(store.db, ws.id, 'bulk');
    expect(
      await fillMentions(store.db, {
        workspaceId: ws.id,
        sourceId: bulkSource.id,
        watchId: bulkWatchId,
        count: BULK,
      }),
    ).toBe(BULK);

    const other = await ensureWorkspace(store.db, 'other');
    otherToken = (await createToken(store.db, other.id, { name: 'o', role: 'viewer' }, 'test')).token;
    await createWatch(store.db, other.id, { name: 'Telvana', query: 'telvana' }, 'test');
    await ingest(store.db, await makeSource(store.db, other.id, 'theirs'), [
      post('theirs', 'Telvana secret of the other workspace', '2026-03-01T10:00:00Z'),
    ]);
    const log = createLogger('info', { write: (line: string) => logs.push(line) });
    app = createApp({ db: store.db, log, storage: target.name, maxBodyBytes: 4096, now: () => NOW });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('CSV: an attachment with a header and every mention of the watch, fields as the list gives them', async () => {
    const { res, text } = await exported(`watch=${watchId}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="trustwatch-telvana-mobile-2026-03-03.csv"; filename*=UTF-8''trustwatch-Telvana%20Mobile-2026-03-03.csv`,
    );
    expect(res.headers.get('etag')).toBeNull();
    expect(text.endsWith('\r\n')).toBe(true);
    const records = csvRecords(text);
    const items = await listed(`watch=${watchId}`);
    expect(items).toHaveLength(6);
    expect(records.map((r) => Number(r.id))).toEqual(items.map((i) => i.id));
    for (const [n, r] of records.entries()) {
      const item = items[n] as Json;
      expect(r.externalId).toBe(item.externalId);
      expect(r.text).toBe(guarded(item.text));
      expect(r.title).toBe(guarded(item.title));
      expect(r.publishedAt).toBe(item.publishedAt);
      expect(Number(r.sentimentScore)).toBe(item.sentiment.score);
      expect(r.sentimentLabel).toBe(item.sentiment.label);
      expect(r.signals.split(';').filter(Boolean).sort()).toEqual(
        [...new Set(item.signals.map((s: Json) => s.kind))].sort(),
      );
      expect(r.language).toBe(item.language ?? '');
      expect(r.authorHandle).toBe(guarded(item.author.handle));
    }
    const byId = Object.fromEntries(records.map((r) => [r.externalId, r]));
    // The formula guard: text a spreadsheet would run is shown as text.
    expect(byId.formula?.text).toMatch(/^'=HYPERLINK\("http:\/\/evil\.example","click"\)/);
    expect(byId.at?.text).toMatch(/^'@telvana_help/);
    expect(byId.minus?.text).toMatch(/^'-10% off\?/);
    expect(byId.quotes?.text).toBe('Telvana: "slow", rude, and still no reply after 3 days');
    expect(byId.quotes?.title).toBe('Support, again');
    expect(byId.unicode?.text).toBe('Grüße aus Berlin, Telvana ist super 🚀');
    // The quoting on the wire: a field with quotes and commas is quoted, quotes doubled.
    expect(text).toContain('"Telvana: ""slow"", rude, and still no reply after 3 days"');
  });

  it('JSONL: one list item per line, the same objects as the list API', async () => {
    const { res, text } = await exported(`watch=${watchId}&format=jsonl`);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="trustwatch-telvana-mobile-2026-03-03\.jsonl"/,
    );
    expect(jsonl(text)).toEqual(await listed(`watch=${watchId}`));
  });

  it('applies the list filters and sort', async () => {
    const queries = [
      `watch=${watchId}&signal=churn_intent`,
      `watch=${watchId}&q=telvana%20twice`,
      `watch=${watchId}&label=negative,neutral`,
      `watch=${watchId}&sort=oldest`,
      `watch=${watchId}&sort=most_negative`,
      `watch=${watchId}&language=de`,
      `watch=${watchId}&author=%40ANA_L`,
      `watch=${watchId}&from=2026-03-01T12:00:00Z&to=2026-03-01T14:00:00Z`,
      `watch=${bulkWatchId}&ratingMin=4.5&sort=most_negative`,
    ];
    let nonEmpty = 0;
    for (const q of queries) {
      const ids = jsonl((await exported(`${q}&format=jsonl`)).text).map((i) => i.id);
      const want = (await listed(q)).map((i) => i.id);
      expect(ids, q).toEqual(want);
      if (want.length && want.length < 500) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(7);
  });

  it(`streams ${BULK} rows across batches of ${STREAM_BATCH_SIZE}, in order, each once`, async () => {
    const records = csvRecords((await exported(`watch=${bulkWatchId}`)).text);
    expect(records).toHaveLength(BULK);
    expect(new Set(records.map((r) => r.id)).size).toBe(BULK);
    for (let i = 1; i < records.length; i++) {
      const [a, b] = [records[i - 1] as CsvRecord, records[i] as CsvRecord];
      const later =
        a.publishedAt > b.publishedAt || (a.publishedAt === b.publishedAt && Number(a.id) > Number(b.id));
      expect(later, `row ${i}`).toBe(true);
    }
    // Rows whose text starts with "=" (every 97th) are guarded; multi-line texts survive.
    expect(records.filter((r) => r.text.startsWith("'=HYPERLINK")).length).toBe(Math.floor(BULK / 97));
    expect(records.filter((r) => r.text.includes('\nsecond line')).length).toBe(Math.floor(BULK / 7));
    const oldest = jsonl((await exported(`watch=${bulkWatchId}&format=jsonl&sort=oldest`)).text);
    expect(oldest.map((i) => i.id)).toEqual(records.map((r) => Number(r.id)).reverse());
    const complaints = jsonl((await exported(`watch=${bulkWatchId}&format=jsonl&signal=complaint`)).text);
    expect(complaints).toHaveLength(BULK / 5);
    // Without a watch: the whole workspace (the bulk rows and the feed's), named for no watch.
    const { res, text } = await exported('format=jsonl');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="trustwatch-mentions-2026-03-03.jsonl"',
    );
    expect(jsonl(text)).toHaveLength(BULK + 6);
  });

  it("never exports another workspace's mentions", async () => {
    const theirs = jsonl((await exported('format=jsonl', otherToken)).text);
    expect(theirs.map((i) => i.externalId)).toEqual(['theirs']);
    const ours = await get(`/export?watch=${watchId}`, otherToken);
    expect(ours.status).toBe(404);
    expect(ours.headers.get('content-type')).toBe('application/problem+json');
    expect((await ours.json()).code).toBe('NOT_FOUND');
    expect((await exported('format=csv')).text).not.toContain('secret of the other workspace');
  });

  it('refuses bad parameters with a 400 problem naming them, before streaming', async () => {
    for (const [query, field] of [
      ['format=xml', 'format'],
      ['limit=10', 'export'],
      ['cursor=abc', 'export'],
      ['watch=nope', 'watch'],
      ['ratingMin=9', 'ratingMin'],
      ['sort=loudest', 'sort'],
    ] as const) {
      const res = await get(`/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = await res.json();
      expect(body.code).toBe('VALIDATION');
      if (field !== 'export') expect(body.errors.map((e: Json) => e.path)).toContain(field);
    }
    expect((await get('/export')).status).toBe(200);
    expect((await app.request('/api/v1/mentions/export')).status).toBe(401);
  });

  it('ends with an error line (and logs it) when the database fails mid-stream', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      logs.length = 0;
      const res = await get(`/export?watch=${bulkWatchId}&format=${format}`);
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      const first = await reader.read();
      let text = decoder.decode(first.value, { stream: true });
      // The table goes away between two batch queries: the next one fails for real.
      await sql`alter table mentions rename to mentions_away`.execute(store.db);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      } finally {
        await sql`alter table mentions_away rename to mentions`.execute(store.db);
      }
      const lines = format === 'csv' ? text.split('\r\n').filter(Boolean) : text.split('\n').filter(Boolean);
      const last = lines.at(-1) ?? '';
      if (format === 'csv') {
        expect(last).toBe('# error: DATABASE');
        const records = csvRecords(text.slice(0, text.lastIndexOf('# error:')));
        expect(records.length).toBeGreaterThanOrEqual(STREAM_BATCH_SIZE);
        expect(records.length).toBeLessThan(BULK);
        expect(records.length % STREAM_BATCH_SIZE).toBe(0);
      } else {
        const error = JSON.parse(last).error;
        expect(error.code).toBe('DATABASE');
        expect(error.message).toMatch(/stopped after \d+ mentions/);
        const rows = lines.slice(0, -1).map((l) => JSON.parse(l));
        expect(rows.length % STREAM_BATCH_SIZE).toBe(0);
        expect(rows.length).toBeGreaterThan(0);
      }
      // The database's own words go to the log, never to the client.
      expect(text).not.toMatch(/relation|mentions_away|does not exist/);
      const failed = logs.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith('export failed'));
      expect(failed, logs.join('\n')).toMatchObject({ level: 50, code: 'DATABASE', format });
      expect(failed.err).toMatch(/mentions/);
    }
    // And the next export is whole again.
    expect(csvRecords((await exported(`watch=${bulkWatchId}`)).text)).toHaveLength(BULK);
  });
});
