import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchError, TrustwatchError } from '../../core/errors.ts';
import type { Logger } from '../../core/source.ts';
import { type HttpClientOptions, type PoliteHttpClient, createHttpClient } from './client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

const servers: Server[] = [];
const clients: PoliteHttpClient[] = [];

/** A local upstream; `hits` records every request it saw. */
async function upstream(handler: Handler) {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    handler(req, res, hits.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, hits };
}

/** A client whose sleeps are recorded instead of waited. */
function client(overrides: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = createHttpClient({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  clients.push(c);
  return { http: c, sleeps };
}

async function caught(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    return err as FetchError;
  }
  throw new Error('expected the request to fail');
}

function capturingLogger() {
  const lines: string[] = [];
  const push = (obj: object | string, msg?: string) => lines.push(JSON.stringify([obj, msg]));
  const log: Logger = { debug: push, info: push, warn: push, error: push };
  return { log, lines };
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('createHttpClient', () => {
  it('returns the body, status and headers of a 200 and sends a User-Agent and Accept-Encoding', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', etag: '"v1"' });
      res.end('hello');
    });
    const { http } = client();
    const res = await http.request({ url: `${base}/feed` });
    expect(res.status).toBe(200);
    expect(res.notModified).toBe(false);
    expect(Buffer.from(res.body).toString()).toBe('hello');
    expect(res.etag).toBe('"v1"');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(hits[0]?.headers['user-agent']).toBe('trustwatch/0.1 (+https://github.com/trustwatch/trustwatch)');
    expect(hits[0]?.headers['accept-encoding']).toBe('gzip, br, deflate');
  });

  it('lets the caller replace the User-Agent', async () => {
    const { base, hits } = await upstream((_req, res) => res.end('ok'));
    const { http } = client({ userAgent: 'custom/1' });
    await http.request({ url: base, headers: { 'user-agent': 'per-request/2' } });
    await http.request({ url: base });
    expect(hits[0]?.headers['user-agent']).toBe('per-request/2');
    expect(hits[1]?.headers['user-agent']).toBe('custom/1');
  });

  it('round-trips ETag and Last-Modified into a 304 with an empty body', async () => {
    const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const { base, hits } = await upstream((req, res) => {
      if (req.headers['if-none-match'] === 'W/"abc"' && req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { etag: 'W/"abc"', 'last-modified': lastModified });
      res.end('<rss/>');
    });
    const { http } = client();
    const first = await http.request({ url: base });
    expect(first.notModified).toBe(false);
    expect(first.etag).toBe('W/"abc"');
    expect(first.lastModified).toBe(lastModified);

    const second = await http.request({ url: base, etag: first.etag, lastModified: first.lastModified });
    expect(second.notModified).toBe(true);
    expect(second.status).toBe(304);
    expect(second.body.byteLength).toBe(0);
    // The validators stay usable for the next poll even though the 304 did not repeat them.
    expect(second.etag).toBe('W/"abc"');
    expect(second.lastModified).toBe(lastModified);
    expect(hits).toHaveLength(2);
  });

  it('waits out a 429 with Retry-After in seconds, then succeeds', async () => {
    const { base, hits } = await upstream((_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(429, { 'retry-after': '3' });
        res.end();
        return;
      }
      res.end('ok');
    });
    const { http, sleeps } = client();
    const res = await http.request({ url: base });
    expect(Buffer.from(res.body).toString()).toBe('ok');
    expect(hits).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
  });

  it('understands Retry-After as an HTTP date and X-RateLimit-Reset as a Unix time', async () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    const { base } = await upstream((_req, res, hit) => {
      if (hit === 1) res.writeHead(503, { 'retry-after': 'Wed, 01 May 2024 12:00:05 GMT' });
      else if (hit === 2) res.writeHead(429, { 'x-ratelimit-reset': String(now / 1000 + 7) });
      else res.writeHead(200);
      res.end();
    });
    const { http, sleeps } = client({ now: () => now });
    await http.request({ url: base });
    expect(sleeps).toEqual([5000, 7000]);
  });

  it('hands a Retry-After longer than maxRetryAfterMs to the scheduler as FETCH_RATE_LIMITED', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
    });
    const { http, sleeps } = client({ maxRetryAfterMs: 30_000 });
    const err = await caught(http.request({ url: base }));
    expect(err).toBeInstanceOf(FetchError);
    expect(err.code).toBe('FETCH_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.status).toBe(429);
    expect(sleeps).toEqual([]);
    expect(hits).toHaveLength(1);
  });

  it('raises FETCH_RATE_LIMITED when 429s outlast the retries', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(429, { 'retry-after': '1' });
      res.end();
    });
    const { http, sleeps } = client({ maxRetries: 2 });
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(1000);
    expect(hits).toHaveLength(3);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it("treats GitHub's 403 rate limits as rate limits (Retry-After or x-ratelimit-remaining: 0)", async () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    const { base, hits } = await upstream((_req, res, hit) => {
      if (hit === 1) res.writeHead(403, { 'retry-after': '2' });
      else
        res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) });
      res.end();
    });
    const { http, sleeps } = client({ now: () => now, maxRetryAfterMs: 30_000 });
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(hits).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('does not retry a plain 403 (forbidden)', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(403);
      res.end();
    });
    const { http } = client();
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_HTTP_STATUS');
    expect(err.status).toBe(403);
    expect(hits).toHaveLength(1);
  });

  it('retries a 500 with exponential backoff, then succeeds', async () => {
    const { base, hits } = await upstream((_req, res, hit) => {
      res.writeHead(hit <= 2 ? 500 : 200);
      res.end(hit <= 2 ? 'oops' : 'fine');
    });
    const { http, sleeps } = client({ maxRetries: 2, backoffBaseMs: 500, random: () => 1 });
    const res = await http.request({ url: base });
    expect(Buffer.from(res.body).toString()).toBe('fine');
    expect(hits).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('raises FETCH_HTTP_STATUS with the status when a 500 never goes away', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const { http, sleeps } = client({ maxRetries: 2, random: () => 0 });
    const err = await caught(http.request({ url: `${base}/feed.xml` }));
    expect(err.code).toBe('FETCH_HTTP_STATUS');
    expect(err.status).toBe(500);
    expect(err.message).toContain(`${base}/feed.xml`);
    expect(err.message).toContain('HTTP 500');
    expect(hits).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it('does not retry a 404', async () => {
    const { base, hits } = await upstream((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const { http } = client();
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_HTTP_STATUS');
    expect(err.status).toBe(404);
    expect(hits).toHaveLength(1);
  });

  it('times out on a server that never answers, naming the url and the limit', async () => {
    const { base } = await upstream(() => {
      // Never respond.
    });
    const { http } = client({ timeoutMs: 150 });
    const started = Date.now();
    const err = await caught(http.request({ url: `${base}/slow` }));
    expect(err.code).toBe('FETCH_TIMEOUT');
    expect(err.message).toContain(`${base}/slow`);
    expect(err.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out when the body stalls after the headers', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const { http } = client({ timeoutMs: 150 });
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_TIMEOUT');
  });

  it('rejects early when Content-Length is over the cap', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-length': String(5000) });
      res.end('x'.repeat(5000));
    });
    const { http } = client({ maxBodyBytes: 1000 });
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_BODY_TOO_LARGE');
    expect(err.message).toContain('1000-byte limit');
  });

  it('stops a chunked body without Content-Length at the cap', async () => {
    let wrote = 0;
    const { base } = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(16 * 1024);
      const timer = setInterval(() => {
        if (wrote > 64 * 1024 * 1024 || res.destroyed) {
          clearInterval(timer);
          res.end();
          return;
        }
        wrote += chunk.length;
        res.write(chunk);
      }, 1);
    });
    const { http } = client({ maxBodyBytes: 100 * 1024 });
    const err = await caught(http.request({ url: base }));
    expect(err.code).toBe('FETCH_BODY_TOO_LARGE');
    // We hung up long before the server ran out of data.
    expect(wrote).toBeLessThan(64 * 1024 * 1024);
  });

  it('decompresses gzip, and stops a gzip bomb on decompressed bytes', async () => {
    const small = gzipSync(Buffer.from('compressed hello'));
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0));
    const { base } = await upstream((req, res) => {
      const body = req.url === '/bomb' ? bomb : small;
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(body.length) });
      res.end(body);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { http } = client({ maxBodyBytes: 1024 * 1024 });
    const ok = await http.request({ url: `${base}/small` });
    expect(Buffer.from(ok.body).toString()).toBe('compressed hello');
    const err = await caught(http.request({ url: `${base}/bomb` }));
    expect(err.code).toBe('FETCH_BODY_TOO_LARGE');
  });

  it('follows redirects and reports the final url', async () => {
    const { base } = await upstream((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/moved' });
        res.end();
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/final' });
        res.end();
      } else {
        res.end(`at ${req.url}`);
      }
    });
    const { http } = client();
    const res = await http.request({ url: `${base}/old` });
    expect(res.url).toBe(`${base}/final`);
    expect(Buffer.from(res.body).toString()).toBe('at /final');
  });

  it('raises FETCH_NETWORK when nothing listens, after retrying', async () => {
    const { base } = await upstream(() => undefined);
    const closed = servers.pop();
    closed?.closeAllConnections();
    await new Promise((resolve) => closed?.close(resolve));
    const { http, sleeps } = client({ maxRetries: 1 });
    const err = await caught(http.request({ url: `${base}/x` }));
    expect(err.code).toBe('FETCH_NETWORK');
    expect(err.message).toContain(`${base}/x`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(1);
  });

  it('redacts secrets from messages and logs, and never logs the Authorization header', async () => {
    const { base } = await upstream((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const { log, lines } = capturingLogger();
    const { http } = client({ log, maxRetries: 1 });
    const url = `${base}/api?q=acme&token=s3cr3t-t0k&api_key=k3y-value&X-Amz-Signature=sigval&page=2`;
    const err = await caught(http.request({ url, headers: { Authorization: 'Bearer very-secret-bearer' } }));
    const everything = [err.message, JSON.stringify(err.details), err.url, ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ['s3cr3t-t0k', 'k3y-value', 'sigval', 'very-secret-bearer']) {
      expect(everything).not.toContain(secret);
    }
    expect(err.message).toContain('q=acme');
    expect(err.message).toContain('page=2');
    expect(err.message).toContain('token=[redacted]');
  });

  it('text() decodes with the charset of the Content-Type, UTF-8 by default', async () => {
    const { base } = await upstream((req, res) => {
      if (req.url === '/latin1') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' });
        res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(Buffer.from('café', 'utf8'));
      }
    });
    const { http } = client();
    expect((await http.text({ url: `${base}/latin1` })).text).toBe('café');
    expect((await http.text({ url: `${base}/utf8` })).text).toBe('café');
  });

  it('json() parses, and raises FEED_MALFORMED naming the url on bad JSON', async () => {
    const { base, hits } = await upstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/good' ? '{"a":[1,2]}' : '{"a":[1,');
    });
    const { http } = client();
    const good = await http.json<{ a: number[] }>({ url: `${base}/good` });
    expect(good.data.a).toEqual([1, 2]);
    expect(hits[0]?.headers.accept).toBe('application/json');
    let err: unknown;
    try {
      await http.json({ url: `${base}/bad?access_token=zzz` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrustwatchError);
    expect((err as TrustwatchError).code).toBe('FEED_MALFORMED');
    expect((err as TrustwatchError).message).toContain(`${base}/bad`);
    expect((err as TrustwatchError).message).not.toContain('zzz');
  });

  it('keeps at most maxPerHost requests in flight per host, and hosts do not wait for each other', async () => {
    let inFlight = 0;
    let peak = 0;
    const held: ServerResponse[] = [];
    const slow = await upstream((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      held.push(res);
    });
    const other = await upstream((_req, res) => res.end('other'));
    const { http } = client({ maxPerHost: 2 });
    const pending = Array.from({ length: 5 }, (_, i) => http.text({ url: `${slow.base}/${i}` }));
    await vi.waitFor(() => expect(slow.hits).toHaveLength(2));
    // A different host (another port) is served while the first one is saturated.
    expect((await http.text({ url: other.base })).text).toBe('other');
    expect(slow.hits).toHaveLength(2);
    // Answer one request at a time: each answer lets exactly one waiter through.
    for (let served = 0; served < 5; served++) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
      const res = held.shift();
      inFlight--;
      res?.end('done');
    }
    const results = await Promise.all(pending);
    expect(results.map((r) => r.text)).toEqual(Array(5).fill('done'));
    expect(peak).toBe(2);
    expect(slow.hits).toHaveLength(5);
  });

  it('refuses URLs that are not http(s)', async () => {
    const { http } = client();
    const err = await caught(http.request({ url: 'file:///etc/passwd' }));
    expect(err.code).toBe('FETCH_NETWORK');
  });
});
