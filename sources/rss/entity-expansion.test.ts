import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { TrustwatchError } from '../../src/core/errors.ts';
import { parseFeed } from './parse-feed.ts';

/**
 * XML entity attacks against the feed parser. Each document would expand to gigabytes (or read
 * local files) if entities were honoured; the parser must refuse it, fast and without allocating
 * anything like the expansion. Bounds are generous (this is a safety test, not a benchmark):
 * expansion would take minutes and gigabytes, refusal takes milliseconds and kilobytes.
 */

const TIME_LIMIT_MS = 1500;
const HEAP_LIMIT_BYTES = 48 * 1024 * 1024;

/** The classic: ten levels of ten references, 10^9 "lol"s (about 3 GB) from under 1 KB. */
function billionLaughs(prefix = ''): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `${prefix}<?xml version="1.0"?>
<!DOCTYPE rss [
  ${levels.join('\n  ')}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>1</guid></item></channel></rss>`;
}

const CASES: Array<[string, () => Uint8Array | string]> = [
  ['billion laughs', () => billionLaughs()],
  [
    'billion laughs behind a 1 MB comment that mentions <rss>',
    () => billionLaughs(`<!-- <rss> ${'x'.repeat(1 << 20)} -->\n`),
  ],
  [
    'billion laughs in UTF-16 with a BOM',
    () => new Uint8Array(iconv.encode(`\uFEFF${billionLaughs()}`, 'utf-16le')),
  ],
  [
    'quadratic blowup (one 64 KB entity referenced 20 000 times)',
    () =>
      `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "${'a'.repeat(64 * 1024)}">]>` +
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>${'&a;'.repeat(20_000)}</title></entry></feed>`,
  ],
  [
    'external entity (XXE) reading a local file',
    () =>
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>',
  ],
  [
    'parameter entities',
    () =>
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p "<!ENTITY lol \'lol\'>"> %p;]>' +
      '<rss version="2.0"><channel><item><title>&lol;</title></item></channel></rss>',
  ],
  [
    'an entity declared in lower case',
    () =>
      '<!doctype rss [<!entity lol "lol">]><rss version="2.0"><channel><item><title>&lol;</title></item></channel></rss>',
  ],
];

describe('entity expansion attacks', () => {
  it.each(CASES)('refuses %s quickly and with little memory', async (_name, make) => {
    const doc = make();
    const bytes = typeof doc === 'string' ? new TextEncoder().encode(doc) : doc;
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    let error: unknown;
    try {
      await parseFeed(bytes, { url: 'https://feeds.example/lol.xml?token=t0k' });
    } catch (err) {
      error = err;
    }
    const ms = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(error).toBeInstanceOf(TrustwatchError);
    expect((error as TrustwatchError).code).toBe('FEED_MALFORMED');
    expect((error as TrustwatchError).message).toMatch(
      /^https:\/\/feeds\.example\/lol\.xml\?token=\[redacted\]: /,
    );
    expect((error as TrustwatchError).message).toMatch(/declares XML entities/);
    expect(ms).toBeLessThan(TIME_LIMIT_MS);
    expect(heapGrowth).toBeLessThan(HEAP_LIMIT_BYTES);
  });

  it('still reads entity references that need no declaration, in linear time', async () => {
    // 200 000 references to predefined and HTML entities: translated, never expanded recursively.
    const title = '&amp;&lt;&eacute;&nbsp;&#233;&undeclared;'.repeat(20_000);
    const doc = `<rss version="2.0"><channel><item><guid>1</guid><title>${title}</title></item></channel></rss>`;
    const started = performance.now();
    const feed = await parseFeed(new TextEncoder().encode(doc), { url: 'https://feeds.example/ok.xml' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(feed.items[0]?.title?.slice(0, 17)).toBe('&<é\u00a0é&undeclared;');
    expect(feed.items[0]?.title?.length).toBe(17 * 20_000);
  });
});
