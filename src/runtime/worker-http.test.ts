import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchError } from '../core/errors.ts';
import { type WorkerHttpOptions, createWorkerHttpClient } from './worker-http.ts';

/**
 * The fetch-based client the worker uses, run here over Node's global fetch (the same WHATWG API as
 * the Workers runtime; test/edge/worker.test.ts runs it in workerd). The polite rules themselves are
 * covered by src/ingest/http/client.test.ts; this checks the transport: redirects by hand, the
 * address check on every hop, and that the shared rules are wired in.
 */

const servers: Server[] = [];

async function upstream(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void) {
  let hits = 0;
  const server = createServer((req, res) => handler(req, res, ++hits));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port, hits: () => hits };
}

function client(overrides: WorkerHttpOptions = {}) {
  const sleeps: number[] = [];
  const http = createWorkerHttpClient({
    allowPrivateUrls: true,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { http, sleeps };
}

async function caught(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    return err as FetchError;
  }
  throw new Error('expected the request to fail');
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe('worker HTTP client (fetch transport)', () => {
  it('fetches with the User-Agent and validators, and turns a 304 into notModified', async () => {
    const seen: IncomingMessage[] = [];
    const up = await upstream((req, res) => {
      seen.push(req);
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'content-type': 'text/plain; charset=utf-8' }).end('hello');
    });
    const { http } = client();
    const first = await http.text({ url: `${up.base}/feed` });
    expect(first.text).toBe('hello');
    expect(first.etag).toBe('"v1"');
    expect(seen[0]?.headers['user-agent']).toMatch(/^trustwatch\//);
    const second = await http.request({ url: `${up.base}/feed`, etag: first.etag });
    expect(second.notModified).toBe(true);
  });

  it('waits out a short Retry-After and hands a long one to the caller as FETCH_RATE_LIMITED', async () => {
    const up = await upstream((req, res, hit) => {
      if (req.url === '/short' && hit === 1) res.writeHead(429, { 'retry-after': '2' }).end();
      else if (req.url === '/long') res.writeHead(429, { 'retry-after': '3600' }).end();
      else res.writeHead(200).end('ok');
    });
    const { http, sleeps } = client();
    expect((await http.text({ url: `${up.base}/short` })).text).toBe('ok');
    expect(sleeps).toEqual([2000]);
    const err = await caught(http.request({ url: `${up.base}/long` }));
    expect(err.code).toBe('FETCH_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(3_600_000);
  });

  it('stops a body at the size cap and a stalled upstream at the time limit', async () => {
    const up = await upstream((req, res) => {
      if (req.url === '/big') res.writeHead(200).end('x'.repeat(5000));
      // /slow never answers
    });
    const { http } = client({ maxBodyBytes: 1000, timeoutMs: 300, maxRetries: 0 });
    expect((await caught(http.request({ url: `${up.base}/big` }))).code).toBe('FETCH_BODY_TOO_LARGE');
    const slow = await caught(http.request({ url: `${up.base}/slow` }));
    expect(slow.code).toBe('FETCH_TIMEOUT');
    expect(slow.message).toContain('300 ms');
  });

  it('follows redirects by hand and reports the final URL; a 303 after a POST continues as a GET', async () => {
    const methods: string[] = [];
    const up = await upstream((req, res) => {
      methods.push(`${req.method} ${req.url}`);
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/form') res.writeHead(303, { location: '/new' }).end();
      else res.writeHead(200).end('moved here');
    });
    const { http } = client();
    const res = await http.text({ url: `${up.base}/old` });
    expect(res.text).toBe('moved here');
    expect(res.url).toBe(`${up.base}/new`);
    await http.request({ url: `${up.base}/form`, method: 'POST', body: 'a=1' });
    expect(methods).toEqual(['GET /old', 'GET /new', 'POST /form', 'GET /new']);
  });

  it('refuses loopback URLs and redirects to them unless private URLs are allowed', async () => {
    const up = await upstream((req, res) => {
      res.writeHead(200).end('secret admin page');
    });
    const guarded = createWorkerHttpClient({ maxRetries: 0 });
    for (const url of [`${up.base}/admin`, `http://localhost:${up.port}/admin`, 'http://[::1]/x']) {
      const err = await caught(guarded.request({ url }));
      expect(err.code).toBe('FETCH_BLOCKED');
    }
    expect(up.hits()).toBe(0);

    // A public-looking first hop that redirects inside is refused at the hop (the fake first hop is
    // served by an injected fetch, as nothing public is reachable from a test).
    const redirecting = createWorkerHttpClient({
      maxRetries: 0,
      fetchImpl: (async (input: string | URL | Request) =>
        String(input).startsWith('https://feeds.example.com/')
          ? new Response(null, { status: 302, headers: { location: `${up.base}/admin` } })
          : fetch(input)) as typeof fetch,
    });
    const err = await caught(redirecting.request({ url: 'https://feeds.example.com/rss' }));
    expect(err.code).toBe('FETCH_BLOCKED');
    expect(err.message).toContain('loopback');
    expect(up.hits()).toBe(0);
  });
});
