import type { LookupAddress } from 'node:dns';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchError } from '../../core/errors.ts';
import { type HttpClientOptions, type PoliteHttpClient, createHttpClient } from './client.ts';

/**
 * SSRF: user-supplied URLs must not reach internal addresses, whether written literally, behind a
 * DNS name, or behind a redirect from a harmless host. vitest.config.ts allows private URLs for the
 * other suites (their fake upstreams are on 127.0.0.1); every client here runs with it off.
 */

const servers: Server[] = [];
const clients: PoliteHttpClient[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A local upstream; `/to?u=<url>` redirects to the given URL, anything else answers 200. */
async function upstream() {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    const target = new URL(req.url ?? '/', 'http://x').searchParams.get('u');
    if (req.url?.startsWith('/to') && target) {
      res.writeHead(302, { location: target });
      res.end();
      return;
    }
    res.end('inside');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits };
}

/** Fake DNS: names under .test resolve to what the test says; the rest do not exist. */
const DNS: Record<string, LookupAddress[]> = {
  'feeds.test': [{ address: '127.0.0.1', family: 4 }],
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'internal.test': [{ address: '10.0.0.1', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'v6-loopback.test': [{ address: '::1', family: 6 }],
  'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  // A rebinding-style answer: one public address, one internal.
  'mixed.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
};
const resolved: string[] = [];
async function fakeResolve(hostname: string): Promise<LookupAddress[]> {
  resolved.push(hostname);
  const answer = DNS[hostname];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answer;
}

function guarded(overrides: Partial<HttpClientOptions> = {}) {
  const c = createHttpClient({
    allowPrivateUrls: false,
    resolve: fakeResolve,
    // feeds.test stands for an ordinary public feed host; it is really our local server.
    allowHosts: ['feeds.test'],
    maxRetries: 2,
    sleep: async () => {},
    timeoutMs: 3000,
    ...overrides,
  });
  clients.push(c);
  return c;
}

async function refusal(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error('expected the request to be refused');
}

describe('SSRF guard', () => {
  it('reaches the fake public host (the control for the cases below)', async () => {
    const { port, hits } = await upstream();
    const res = await guarded().text({ url: `http://feeds.test:${port}/feed` });
    expect(res.text).toBe('inside');
    expect(hits).toHaveLength(1);
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/feed`, 'loopback'],
    ['10.0.0.1', () => 'http://10.0.0.1/feed', 'private'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['[::1]', (port: number) => `http://[::1]:${port}/feed`, 'loopback'],
    ['[::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`, 'loopback'],
    ['0.0.0.0', (port: number) => `http://0.0.0.0:${port}/`, 'unspecified'],
  ])('refuses a literal %s without connecting', async (_name, url, range) => {
    const { port, hits } = await upstream();
    const target = url(port);
    const err = await refusal(guarded().request({ url: target }));
    expect(err.code).toBe('FETCH_BLOCKED');
    expect(err.message).toContain(target);
    expect(err.message).toContain(`${range} address`);
    expect(err.message).toContain('TRUSTWATCH_ALLOW_PRIVATE_URLS=1');
    expect(hits).toHaveLength(0);
  });

  it.each([
    ['loopback.test', '127.0.0.1', 'loopback'],
    ['internal.test', '10.0.0.1', 'private'],
    ['metadata.test', '169.254.169.254', 'link-local'],
    ['v6-loopback.test', '::1', 'loopback'],
    ['mapped.test', '::ffff:127.0.0.1', 'loopback'],
    ['mixed.test', '127.0.0.1', 'loopback'],
  ])('refuses %s, which resolves to %s, after resolution and without retrying', async (name, ip, range) => {
    const { port, hits } = await upstream();
    resolved.length = 0;
    const err = await refusal(guarded().request({ url: `http://${name}:${port}/feed?token=sekrit` }));
    expect(err.code).toBe('FETCH_BLOCKED');
    expect(err.message).toContain(`http://${name}:${port}/feed?token=[redacted]`);
    expect(err.message).not.toContain('sekrit');
    expect(err.message).toContain(`${name} (${ip}) is a ${range} address`);
    expect(hits).toHaveLength(0);
    // Refusals are final: no retry asks DNS again.
    expect(resolved).toEqual([name]);
  });

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/secret`],
    ['10.0.0.1', () => 'http://10.0.0.1/admin'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/iam/'],
    ['[::1]', (port: number) => `http://[::1]:${port}/`],
    ['a name resolving to 127.0.0.1', (port: number) => `http://loopback.test:${port}/secret`],
    ['a name resolving to 169.254.169.254', () => 'http://metadata.test/latest/meta-data/'],
  ])('refuses a redirect from an allowed host to %s', async (_name, target) => {
    const { port, hits } = await upstream();
    const url = `http://feeds.test:${port}/to?u=${encodeURIComponent(target(port))}`;
    const err = await refusal(guarded().request({ url }));
    expect(err.code).toBe('FETCH_BLOCKED');
    expect(err.message).toContain(`http://feeds.test:${port}/to`);
    expect(err.message).toMatch(/is a (loopback|private|link-local) address/);
    // Only the redirecting request reached a server; the internal target never did.
    expect(hits.map((h) => h.url?.split('?')[0])).toEqual(['/to']);
  });

  it('follows a redirect between allowed hosts', async () => {
    const { port, hits } = await upstream();
    const url = `http://feeds.test:${port}/to?u=${encodeURIComponent(`http://feeds.test:${port}/final`)}`;
    const res = await guarded().request({ url });
    expect(res.url).toBe(`http://feeds.test:${port}/final`);
    expect(hits).toHaveLength(2);
  });

  it('is on by default and off with TRUSTWATCH_ALLOW_PRIVATE_URLS=1', async () => {
    const { port, hits } = await upstream();
    const url = `http://127.0.0.1:${port}/feed`;

    vi.stubEnv('TRUSTWATCH_ALLOW_PRIVATE_URLS', '');
    const byDefault = createHttpClient({ maxRetries: 0 });
    clients.push(byDefault);
    expect((await refusal(byDefault.request({ url }))).code).toBe('FETCH_BLOCKED');

    vi.stubEnv('TRUSTWATCH_ALLOW_PRIVATE_URLS', '0');
    const off = createHttpClient({ maxRetries: 0 });
    clients.push(off);
    expect((await refusal(off.request({ url }))).code).toBe('FETCH_BLOCKED');
    expect(hits).toHaveLength(0);

    vi.stubEnv('TRUSTWATCH_ALLOW_PRIVATE_URLS', '1');
    const on = createHttpClient({ maxRetries: 0 });
    clients.push(on);
    expect((await on.text({ url })).text).toBe('inside');
    expect(hits).toHaveLength(1);
  });
});
