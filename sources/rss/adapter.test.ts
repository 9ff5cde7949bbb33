import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchContext, Logger } from '../../src/core/source.ts';
import {
  type HttpClientOptions,
  type PoliteHttpClient,
  createHttpClient,
} from '../../src/ingest/http/client.ts';
import { failure } from '../../test/helpers/failure.ts';
import { rssConfigSchema, rssSource } from './adapter.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const servers: Server[] = [];
const clients: PoliteHttpClient[] = [];

async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function context(options: Partial<HttpClientOptions> = {}): FetchContext {
  const http = createHttpClient({ maxRetries: 0, sleep: async () => {}, ...options });
  clients.push(http);
  return { http, log: silent, now: () => new Date() };
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Acme news</title>
  <item><title>Acme &amp; friends</title><link>https://news.example/a</link><guid>a-1</guid>
    <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Good&lt;/p&gt;</description>
    <dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Jane Roe</dc:creator></item>
  <item><title>Second</title><link>/relative/b</link></item>
</channel></rss>`;

describe('rssSource.fetch', () => {
  it('maps RSS items to SourceItems', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(RSS);
    });
    const { items } = await rssSource.fetch({ url: `${base}/feed` }, null, context());
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      externalId: 'a-1',
      url: 'https://news.example/a',
      title: 'Acme & friends',
      content: '<p>Good</p>',
      contentType: 'html',
      author: { name: 'Jane Roe' },
    });
    expect(items[0]?.publishedAt).toEqual(new Date('2024-03-05T10:00:00Z'));
    // No guid: the link is the id, resolved against the feed URL.
    expect(items[1]?.url).toBe(`${base}/relative/b`);
    expect(items[1]?.externalId).toBe(`${base}/relative/b`);
  });

  it('sends the ETag back: the second poll gets a 304 and returns nothing, keeping the cursor', async () => {
    const { base, hits } = await upstream((req, res) => {
      if (req.headers['if-none-match'] === '"rev-7"') {
        res.writeHead(304, { etag: '"rev-7"' });
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"rev-7"', 'last-modified': 'Tue, 05 Mar 2024 10:00:00 GMT' });
      res.end(RSS);
    });
    const ctx = context();
    const first = await rssSource.fetch({ url: base }, null, ctx);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual({ etag: '"rev-7"', lastModified: 'Tue, 05 Mar 2024 10:00:00 GMT' });

    const second = await rssSource.fetch({ url: base }, first.nextCursor, ctx);
    expect(second.items).toEqual([]);
    expect(second.nextCursor).toEqual(first.nextCursor);
    expect(hits[1]?.headers['if-none-match']).toBe('"rev-7"');
    expect(hits[1]?.headers['if-modified-since']).toBe('Tue, 05 Mar 2024 10:00:00 GMT');
  });

  it('keeps its validators when a 304 carries no headers at all', async () => {
    const { base } = await upstream((req, res) => {
      if (req.headers['if-none-match']) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"rev-8"', 'last-modified': 'Tue, 05 Mar 2024 10:00:00 GMT' });
      res.end(RSS);
    });
    const ctx = context();
    const first = await rssSource.fetch({ url: base }, null, ctx);
    const second = await rssSource.fetch({ url: base }, first.nextCursor, ctx);
    expect(second.items).toEqual([]);
    expect(second.nextCursor).toEqual({ etag: '"rev-8"', lastModified: 'Tue, 05 Mar 2024 10:00:00 GMT' });
  });

  it('raises FETCH_HTTP_STATUS on a 500', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const err = await failure(rssSource.fetch({ url: base }, null, context()));
    expect(err.code).toBe('FETCH_HTTP_STATUS');
  });

  it('raises FETCH_TIMEOUT on a feed that never arrives', async () => {
    const { base } = await upstream(() => undefined);
    const err = await failure(rssSource.fetch({ url: base }, null, context({ timeoutMs: 100 })));
    expect(err.code).toBe('FETCH_TIMEOUT');
  });

  it('raises FETCH_BODY_TOO_LARGE on an oversized feed', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<rss version="2.0"><channel>${'<item><title>x</title></item>'.repeat(2000)}</channel></rss>`);
    });
    const err = await failure(rssSource.fetch({ url: base }, null, context({ maxBodyBytes: 10_000 })));
    expect(err.code).toBe('FETCH_BODY_TOO_LARGE');
  });

  it.each([
    [
      'an HTML page',
      '<!DOCTYPE html><html><head><title>Moved</title></head><body>gone</body></html>',
      /HTML page/,
    ],
    ['truncated XML', '<rss version="2.0"><channel><item><title>cut', /invalid XML/],
    ['garbage', 'this is not a feed', /neither XML nor JSON/],
    ['an empty body', '', /empty/],
    ['truncated JSON', '{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"', /invalid JSON/],
    ['JSON that is not a feed', '{"hello":"world"}', /no "items" array/],
    ['a well-formed non-feed XML document', '<?xml version="1.0"?><svg><g/></svg>', /root element <svg>/],
  ])('raises FEED_MALFORMED naming the url and the cause on %s', async (_what, body, cause) => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(body);
    });
    const url = `${base}/feed?token=hush`;
    const err = await failure(rssSource.fetch({ url }, null, context()));
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toContain(`${base}/feed?token=[redacted]`);
    expect(err.message).not.toContain('hush');
    expect(err.message).toMatch(cause);
  });

  it('refuses a DOCTYPE that declares entities (billion laughs) without expanding it', async () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>`;
    const { base } = await upstream((req, res) => {
      // The same document behind a comment that mentions a tag must not slip through.
      res.end(
        req.url === '/hidden' ? `<!-- see <rss> below -->\n${lol.replace(/^<\?xml[^>]*>\n/, '')}` : lol,
      );
    });
    for (const url of [base, `${base}/hidden`]) {
      const err = await failure(rssSource.fetch({ url }, null, context()));
      expect(err.code).toBe('FEED_MALFORMED');
      expect(err.message).toMatch(/entities/);
    }
  });

  it('accepts a plain DOCTYPE, HTML named entities and stray ampersands', async () => {
    const body = `<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title>
<item><title>AT&T&nbsp;deal &hellip; &eacute;t&eacute; &bogus;</title><link>https://x.example/?a=1&b=2</link></item>
<item><title><![CDATA[Keep &nbsp; as is]]></title><link>https://x.example/2</link></item>
</channel></rss>`;
    const { base } = await upstream((_req, res) => res.end(Buffer.from(body, 'latin1')));
    const { items } = await rssSource.fetch({ url: base }, null, context());
    expect(items.map((i) => i.title)).toEqual(['AT&T\u00a0deal \u2026 été &bogus;', 'Keep &nbsp; as is']);
    expect(items[0]?.url).toBe('https://x.example/?a=1&b=2');
  });

  it('unwraps Google Alerts redirect links and resolves links against xml:base', async () => {
    const alerts = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">
  <id>tag:google.com,2005:reader/user/00000000000000000000/state/com.google/alerts/1234567890</id>
  <title>Google Alert - acme</title>
  <entry>
    <id>tag:google.com,2013:googlealerts/feed:10245987345312345678</id>
    <title type="html">&lt;b&gt;Acme&lt;/b&gt; recalls widgets</title>
    <link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example/acme-recall%3Fid%3D7&amp;ct=ga&amp;cd=CAIyGg&amp;usg=AOvVaw3"/>
    <published>2024-03-05T10:00:00Z</published>
    <updated>2024-03-05T10:00:00Z</updated>
    <content type="html">&lt;b&gt;Acme&lt;/b&gt; said on Tuesday...</content>
    <author><name/></author>
  </entry>
  <entry xml:base="https://blog.example/posts/">
    <id>urn:uuid:2</id>
    <title>Relative</title>
    <link rel="alternate" href="  hello.html "/>
    <published>not a date</published>
  </entry>
</feed>`;
    const { base } = await upstream((_req, res) => res.end(alerts));
    const { items } = await rssSource.fetch({ url: base }, null, context());
    expect(items[0]).toMatchObject({
      externalId: 'tag:google.com,2013:googlealerts/feed:10245987345312345678',
      url: 'https://news.example/acme-recall?id=7',
      title: '<b>Acme</b> recalls widgets',
      content: '<b>Acme</b> said on Tuesday...',
    });
    expect(items[0]?.publishedAt).toEqual(new Date('2024-03-05T10:00:00Z'));
    // A bad date loses the date, not the feed.
    expect(items[1]).toMatchObject({ url: 'https://blog.example/posts/hello.html', title: 'Relative' });
    expect(items[1]?.publishedAt).toBeUndefined();
  });

  it('decodes with the charset of the HTTP header when the document declares none', async () => {
    const body = iconv.encode(
      '<rss version="2.0"><channel><item><guid>1</guid><title>Привет, Acme</title></item></channel></rss>',
      'windows-1251',
    );
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' });
      res.end(body);
    });
    const { items } = await rssSource.fetch({ url: base }, null, context());
    expect(items[0]?.title).toBe('Привет, Acme');
  });

  it('uses Last-Modified alone when the server sends no ETag', async () => {
    const stamp = 'Wed, 06 Mar 2024 08:00:00 GMT';
    const { base, hits } = await upstream((req, res) => {
      if (req.headers['if-modified-since'] === stamp) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'last-modified': stamp });
      res.end(RSS);
    });
    const ctx = context();
    const first = await rssSource.fetch({ url: base }, null, ctx);
    expect(first.nextCursor).toEqual({ etag: null, lastModified: stamp });
    const second = await rssSource.fetch({ url: base }, first.nextCursor, ctx);
    expect(second.items).toEqual([]);
    expect(hits[1]?.headers['if-none-match']).toBeUndefined();
    expect(hits[1]?.headers['if-modified-since']).toBe(stamp);
  });

  it('resolves relative links against the URL the feed moved to', async () => {
    const { base } = await upstream((req, res) => {
      if (req.url === '/old.xml') {
        res.writeHead(301, { location: '/blog/feed/atom.xml' });
        res.end();
        return;
      }
      if (req.url === '/feed.json') {
        res.writeHead(200, { 'content-type': 'application/feed+json' });
        res.end(
          JSON.stringify({
            version: 'https://jsonfeed.org/version/1.1',
            items: [{ id: 'j', url: 'posts/j.html', content_text: 'x' }],
          }),
        );
        return;
      }
      res.end(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>t</title><link href="../posts/e.html"/></entry>
<entry><id>f</id><title>u</title><link href="/root.html"/></entry></feed>`);
    });
    const atom = await rssSource.fetch({ url: `${base}/old.xml` }, null, context());
    expect(atom.items.map((i) => i.url)).toEqual([`${base}/blog/posts/e.html`, `${base}/root.html`]);
    const json = await rssSource.fetch({ url: `${base}/feed.json` }, null, context());
    expect(json.items[0]?.url).toBe(`${base}/posts/j.html`);
  });

  it('fails with FETCH_BLOCKED when the feed redirects to an internal address (SSRF guard on)', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    const port = new URL(base).port;
    const guarded = context({
      allowPrivateUrls: false,
      // feeds.test plays a public feed host; it is our local server.
      allowHosts: ['feeds.test'],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const err = await failure(rssSource.fetch({ url: `http://feeds.test:${port}/feed` }, null, guarded));
    expect(err.code).toBe('FETCH_BLOCKED');
    expect(err.message).toContain(`http://feeds.test:${port}/feed`);
    expect(err.message).toContain('169.254.169.254 is a link-local address');
    expect(hits).toHaveLength(1);
  });

  it('sends an Accept header naming the feed types', async () => {
    const { base, hits } = await upstream((_req, res) => res.end(RSS));
    await rssSource.fetch({ url: base }, null, context());
    expect(hits[0]?.headers.accept).toContain('application/rss+xml');
    expect(hits[0]?.headers.accept).toContain('application/feed+json');
  });
});

describe('rss config', () => {
  it('accepts http(s) URLs and an optional name, and rejects anything else', () => {
    expect(rssConfigSchema.safeParse({ url: 'https://example.com/feed' }).success).toBe(true);
    expect(rssConfigSchema.safeParse({ url: 'http://example.com/feed', name: 'Blog' }).success).toBe(true);
    expect(rssConfigSchema.safeParse({ url: 'ftp://example.com/feed' }).success).toBe(false);
    expect(rssConfigSchema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(rssConfigSchema.safeParse({}).success).toBe(false);
    expect(rssConfigSchema.safeParse(rssSource.example).success).toBe(true);
  });

  it('describes every field and has no secrets', () => {
    for (const field of Object.values(rssConfigSchema.shape)) expect(field.description).toBeTruthy();
    expect(rssSource.secretFields).toEqual([]);
    expect(rssSource.defaultIntervalSeconds).toBe(900);
  });
});
