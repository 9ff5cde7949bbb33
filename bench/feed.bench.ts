/**
 * Feed parsing benchmark: feeds/s for a ~1 MB feed through trustwatch's rss adapter path, against
 * rss-parser alone on the same document in the same run (the baseline: the library our XML path
 * is built on, with no format detection, charset decoding, sanitising or mapping to mentions).
 *
 *   npm run bench:feed                 # ~1 MB RSS 2.0 and Atom feeds, 5 rounds each
 *   npm run bench:feed -- --rounds 3   # quicker
 *
 * The documents are real recorded feeds from ../shared/fixtures (The Guardian RSS, a large Atom
 * blog feed) with their items repeated, each copy with its own guid/id, up to ~1 MB. Rounds
 * alternate baseline and adapter so that machine noise hits both alike.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { rssSource } from '../sources/rss/adapter.ts';
import { parseFeed } from '../sources/rss/parse-feed.ts';
import type { FetchContext } from '../src/core/source.ts';
import { createHttpClient } from '../src/ingest/http/client.ts';

const args = process.argv.slice(2);
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
/** Time spent per side per round; iterations are counted within it. */
const ROUND_MS = 1500;
const TARGET_BYTES = 1024 * 1024;
const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));

/** Repeats the item elements of a real feed, renumbering ids, until the document is ~1 MB. */
function inflate(xml: string, tag: 'item' | 'entry', idTag: 'guid' | 'id'): string {
  const first = xml.indexOf(`<${tag}`);
  const last = xml.lastIndexOf(`</${tag}>`) + tag.length + 3;
  const head = xml.slice(0, first);
  const body = xml.slice(first, last);
  const tail = xml.slice(last);
  const idPattern = new RegExp(`<${idTag}([^>]*)>([\\s\\S]*?)</${idTag}>`, 'g');
  const copies: string[] = [];
  let size = head.length + tail.length;
  for (let copy = 0; size < TARGET_BYTES; copy++) {
    const renumbered = body.replace(
      idPattern,
      (_m, attrs, id) => `<${idTag}${attrs}>${id}#copy${copy}</${idTag}>`,
    );
    copies.push(renumbered);
    size += renumbered.length;
  }
  return head + copies.join('\n') + tail;
}

function syntheticRss(): string {
  const items: string[] = [];
  for (let i = 0; items.join('').length < TARGET_BYTES; i++) {
    items.push(
      `<item><title>Acme item ${i}</title><link>https://news.example/${i}</link><guid>g-${i}</guid>` +
        `<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;${'Acme support was slow again. '.repeat(8)}&lt;/p&gt;</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Synthetic</title>${items.join('')}</channel></rss>`;
}

interface Doc {
  name: string;
  source: string;
  bytes: Uint8Array;
  text: string;
}

function documents(): Doc[] {
  const make = (name: string, source: string, text: string): Doc => ({
    name,
    source,
    text,
    bytes: new TextEncoder().encode(text),
  });
  const guardian = `${FIXTURES}rss/rss-parser_guardian.rss`;
  const dustri = `${FIXTURES}atom/miniflux_dustri-blog-large.atom.xml`;
  if (!existsSync(guardian) || !existsSync(dustri)) {
    process.stderr.write('../shared/fixtures not found: benchmarking a synthetic RSS feed only\n');
    return [make('rss-synthetic', 'synthetic', syntheticRss())];
  }
  return [
    make(
      'rss',
      'rss/rss-parser_guardian.rss repeated',
      inflate(readFileSync(guardian, 'utf8'), 'item', 'guid'),
    ),
    make(
      'atom',
      'atom/miniflux_dustri-blog-large.atom.xml repeated',
      inflate(readFileSync(dustri, 'utf8'), 'entry', 'id'),
    ),
  ];
}

/** Runs `fn` repeatedly for about `ms`; returns [iterations, elapsed ms]. */
async function timed(fn: () => Promise<unknown>, ms: number): Promise<[number, number]> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    await fn();
    n++;
  }
  return [n, performance.now() - started];
}

async function main(): Promise<void> {
  const server: Server = createServer();
  const docs = documents();
  server.on('request', (req, res) => {
    const doc = docs.find((d) => req.url === `/${d.name}`);
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/xml' });
    res.end(doc ? Buffer.from(doc.bytes) : '');
  });
  // Idle sockets between rounds must not be closed under the client (a race real upstreams have too).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The fake upstream is on loopback, which the SSRF guard refuses unless told otherwise.
  const http = createHttpClient({ allowPrivateUrls: true, maxRetries: 0 });
  const ctx: FetchContext = {
    http,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => new Date(),
  };

  const results = [];
  for (const doc of docs) {
    const baseline = () => new Parser().parseString(doc.text);
    const adapterParse = () =>
      parseFeed(doc.bytes, { url: `${base}/${doc.name}`, contentType: 'application/xml' });
    const adapterFetch = () => rssSource.fetch({ url: `${base}/${doc.name}` }, null, ctx);

    // Same items out of both, or the comparison means nothing.
    const libItems = (await baseline()).items.length;
    const ourItems = (await adapterParse()).items.length;
    if (libItems !== ourItems)
      throw new Error(`${doc.name}: rss-parser found ${libItems} items, the adapter ${ourItems}`);
    for (let i = 0; i < 3; i++) await Promise.all([baseline(), adapterParse()]);

    const totals = { baseline: { n: 0, ms: 0 }, parse: { n: 0, ms: 0 }, fetch: { n: 0, ms: 0 } };
    const add = (key: keyof typeof totals, [n, ms]: [number, number]) => {
      totals[key].n += n;
      totals[key].ms += ms;
    };
    for (let round = 0; round < ROUNDS; round++) {
      add('baseline', await timed(baseline, ROUND_MS));
      add('parse', await timed(adapterParse, ROUND_MS));
      add('fetch', await timed(adapterFetch, ROUND_MS));
      process.stderr.write(`\r  ${doc.name}: round ${round + 1}/${ROUNDS}   `);
    }
    process.stderr.write('\n');
    const rate = ({ n, ms }: { n: number; ms: number }) => (n / ms) * 1000;
    const baselineRate = rate(totals.baseline);
    const parseRate = rate(totals.parse);
    const fetchRate = rate(totals.fetch);
    results.push({
      feed: doc.name,
      source: doc.source,
      bytes: doc.bytes.byteLength,
      items: ourItems,
      rssParserFeedsPerSec: Number(baselineRate.toFixed(2)),
      adapterParseFeedsPerSec: Number(parseRate.toFixed(2)),
      adapterFetchFeedsPerSec: Number(fetchRate.toFixed(2)),
      adapterParseVsRssParser: Number((parseRate / baselineRate).toFixed(3)),
      adapterFetchVsRssParser: Number((fetchRate / baselineRate).toFixed(3)),
      adapterParseMBPerSec: Number(((parseRate * doc.bytes.byteLength) / 2 ** 20).toFixed(2)),
    });
  }
  await http.close();
  server.closeAllConnections();
  server.close();

  const out = {
    benchmark: 'feed',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    notes:
      'feeds/s for one ~1 MB document, single-threaded, rounds alternating so noise hits all sides alike. rssParser = `new Parser().parseString(text)` on the already-decoded text (the baseline). adapterParse = sources/rss parseFeed on the raw bytes: format detection, charset decoding, entity/control-character sanitising, rss-parser with our custom fields, mapping to SourceItems. adapterFetch = rssSource.fetch over loopback HTTP through the polite client (adds the request and body read). *VsRssParser = our rate / the baseline rate in the same run.',
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    results,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/feed.json', `${JSON.stringify(out, null, 2)}\n`);
  console.table(results.map(({ source: _s, ...r }) => r));
  process.stderr.write('wrote bench/results/feed.json\n');
}

await main();
