import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../src/core/errors.ts';
import type { FetchContext, Logger } from '../../src/core/source.ts';
import { type PoliteHttpClient, createHttpClient } from '../../src/ingest/http/client.ts';
import { rssSource } from './adapter.ts';

/**
 * Runs every recorded feed in ../shared/fixtures (rss/, atom/, jsonfeed/) through the adapter over
 * HTTP and checks it against the README's "expected" column. Absent fixtures skip the suite
 * locally but fail it in CI.
 */

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const present = existsSync(FIXTURES);
const FOLDERS = ['rss', 'atom', 'jsonfeed'] as const;

/** `path -> expected` from the README table. */
function readExpectations(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(`${FIXTURES}README.md`, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const path = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const expected = cells[5];
    if (path && expected) out.set(path, expected);
  }
  return out;
}

/**
 * How many entries the file holds, counted without our parser: `<item>`/`<entry>` start tags in
 * the raw text, or the length of a JSON Feed's `items`. This is the oracle for "≥1 item or, when
 * the feed truly has none, 0".
 */
function entriesInFile(bytes: Buffer, name: string): number {
  if (name.endsWith('.json')) {
    const doc = JSON.parse(bytes.toString('utf8')) as { items?: unknown[] };
    return doc.items?.length ?? 0;
  }
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  // Tags are ASCII; latin1 keeps every byte one char so any single-byte or multi-byte charset works.
  const text = utf16 ? iconv.decode(bytes, 'utf-16le') : bytes.toString('latin1');
  return (text.match(/<(item|entry)[\s>]/g) ?? []).length;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe.skipIf(!present && !process.env.CI)('rss adapter against the shared fixtures', () => {
  let server: Server;
  let base: string;
  let http: PoliteHttpClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const rel = decodeURIComponent((req.url ?? '/').slice(1));
      const [folder, file] = rel.split('/');
      if (!folder || !file || !FOLDERS.includes(folder as (typeof FOLDERS)[number]) || file.includes('..')) {
        res.writeHead(404);
        res.end();
        return;
      }
      // No charset parameter: like most feed hosts, the bytes must speak for themselves.
      const type = file.endsWith('.json') ? 'application/feed+json' : 'application/xml';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(`${FIXTURES}${folder}/${file}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = createHttpClient({ maxRetries: 0, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await http?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('parses every feed the README says parses and fails cleanly on the broken ones', async () => {
    const expectations = readExpectations();
    const ctx: FetchContext = { http, log: silent, now: () => new Date() };
    const rows: Array<{ file: string; expected: string; result: string; items: string; ok: boolean }> = [];

    for (const folder of FOLDERS) {
      for (const file of readdirSync(`${FIXTURES}${folder}`).sort()) {
        const path = `${folder}/${file}`;
        const expected = expectations.get(path);
        expect(expected, `${path} is listed in the README`).toBeDefined();
        const broken = /^broken/.test(expected ?? '');
        let result: string;
        let items = '-';
        let ok: boolean;
        try {
          const out = await rssSource.fetch({ url: `${base}/${path}` }, null, ctx);
          result = 'parsed';
          items = String(out.items.length);
          const inFile = entriesInFile(readFileSync(`${FIXTURES}${path}`), file);
          ok =
            !broken &&
            out.items.length === inFile &&
            out.items.every((item) => typeof item.externalId === 'string' && item.externalId.length > 0);
          if (ok && inFile > 0) ok = out.items.length >= 1;
          if (!ok && !broken) result += ` (file has ${inFile})`;
          if (broken) result += ', but the README says it is broken';
        } catch (err) {
          const { code, message } = describeError(err);
          // The reason after "<url>: ", so the table shows what a user would read.
          result = `${code}: ${message.replace(`${base}/${path}: `, '')}`;
          ok = broken && code === 'FEED_MALFORMED' && message.includes(`${base}/${path}`);
          if (!ok) result = `unexpected ${result}`;
        }
        rows.push({ file: path, expected: expected ?? '?', result, items, ok });
      }
    }

    const width = Math.max(...rows.map((r) => r.file.length));
    const header = `${'    '} ${'file'.padEnd(width)}  ${'expected (fixtures README)'.padEnd(48)}  ${'items'.padStart(5)}  outcome`;
    const table = rows.map(
      (r) =>
        `${r.ok ? 'ok  ' : 'FAIL'} ${r.file.padEnd(width)}  ${r.expected.slice(0, 48).padEnd(48)}  ${r.items.padStart(5)}  ${r.result.slice(0, 140)}`,
    );
    const parsed = rows.filter((r) => r.ok && r.result === 'parsed').length;
    const failedCleanly = rows.filter((r) => r.ok && r.result !== 'parsed').length;
    const misbehaved = rows.filter((r) => !r.ok).length;
    console.log(
      `${header}\n${table.join('\n')}\n${rows.length} files: ${parsed} parsed, ${failedCleanly} failed cleanly (FEED_MALFORMED), ${misbehaved} misbehaved`,
    );

    expect(rows.length).toBe(47);
    expect(rows.filter((r) => !r.ok).map((r) => `${r.file}: ${r.result}`)).toEqual([]);
  });

  it('decodes the charset cases to the right text', async () => {
    const ctx: FetchContext = { http, log: silent, now: () => new Date() };
    const first = async (path: string) =>
      (await rssSource.fetch({ url: `${base}/${path}` }, null, ctx)).items[0];

    expect((await first('rss/feedparser_cp1252-smart-quote.xml'))?.content).toBe('don\u2019t');
    expect((await first('rss/feedparser_koi8r-undeclared.xml'))?.title).toBe('Как пережить новогоднюю ночь');
    expect((await first('atom/feedparser_shiftjis-undeclared.atom.xml'))?.title).toBe(
      'DrecomRSSに記事投稿が反映されない…',
    );
    expect((await first('rss/rss-parser_encoding-iso-8859-1.rss'))?.title).toMatch(/^Mãe de utente é a nova/);
    expect((await first('rss/rss-parser_uol-noticias-no-decl.rss'))?.title).toMatch(/simulaç/);
    expect((await first('rss/rsparser_gb2312.rss'))?.title).toContain('建国35周年纪念');
    expect((await first('atom/miniflux_invalid-encoding-label.xml'))?.title).toBe('Café');
    expect((await first('rss/gofeed_illegal-control-char.xml'))?.title).toBe('abcd');
  });

  it('adapts entries the way the README asks', async () => {
    const ctx: FetchContext = { http, log: silent, now: () => new Date() };
    const items = async (path: string) =>
      (await rssSource.fetch({ url: `${base}/${path}` }, null, ctx)).items;

    // Leading space in href trimmed.
    expect((await items('atom/gofeed_link-href-leading-space.xml'))[0]?.url).toBe('http://example.org/');
    // <image><title> inside an item must not replace the item title.
    const aktuality = await items('rss/rsparser_aktuality-image-inside-item.rss');
    expect(aktuality[0]?.title).toBe('Analytici Goldman Sachs zvýšili odhad rastu ekonomiky USA');
    // No guid: ids are derived (from the link), unique and stable across polls.
    const macworld = await items('rss/rsparser_macworld-no-guid-leading-space.rss');
    const again = await items('rss/rsparser_macworld-no-guid-leading-space.rss');
    expect(new Set(macworld.map((i) => i.externalId)).size).toBe(macworld.length);
    expect(again.map((i) => i.externalId)).toEqual(macworld.map((i) => i.externalId));
    expect(macworld[0]?.author?.name).toBe('Christopher Null');
    // JSON Feed: html content, item author or the feed's, dates.
    const json = await items('jsonfeed/gofeed_jsonfeed-1.1.json');
    expect(json[0]).toMatchObject({
      externalId: 'id',
      url: 'https://sample-json-feed.com/id',
      title: 'title',
      content: '<p>content_html</p>',
      contentType: 'html',
      author: { name: 'author_name' },
    });
    expect(json[0]?.publishedAt).toEqual(new Date('2019-10-12T07:20:50.52Z'));
    const authors = await items('jsonfeed/rsparser_jsonfeed-1.1-authors-variants.json');
    expect(authors.map((i) => i.author?.name)).toEqual([
      'Root Author 1',
      'Legacy Item Author',
      'Item Author 1',
      'Item Author 1',
    ]);
    // Atom dates and authors.
    const dustri = await items('atom/miniflux_dustri-blog-large.atom.xml');
    expect(dustri[0]).toMatchObject({ title: 'Using vale with vim', author: { name: 'jvoisin' } });
    expect(dustri[0]?.publishedAt).toBeInstanceOf(Date);
  });
});
