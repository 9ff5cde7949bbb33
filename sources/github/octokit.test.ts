import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/core/errors.ts';
import type { FetchContext, HttpClient, HttpRequest, HttpResponse } from '../../src/core/source.ts';
import { failure } from '../../test/helpers/failure.ts';
import { githubConfigSchema, githubSource } from './adapter.ts';

const EMPTY_SEARCH = JSON.stringify({ total_count: 0, incomplete_results: false, items: [] });

/** A client that answers each request with the next scripted outcome. */
function scripted(outcomes: (FetchError | string)[], seen: HttpRequest[]): HttpClient {
  const request = async (req: HttpRequest): Promise<HttpResponse> => {
    seen.push(req);
    const next = outcomes.shift() ?? EMPTY_SEARCH;
    if (next instanceof FetchError) throw next;
    const headers = new Headers({ 'content-type': 'application/json' });
    return {
      url: req.url,
      status: 200,
      notModified: false,
      headers,
      body: new TextEncoder().encode(next),
      etag: null,
      lastModified: null,
    };
  };
  return {
    request,
    text: () => Promise.reject(new Error('unused')),
    json: () => Promise.reject(new Error('unused')),
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const config = githubConfigSchema.parse({
  query: 'acme',
  baseUrl: 'http://127.0.0.1:9',
  searchIntervalMs: 0,
});
const rateLimited = (ms: number) =>
  new FetchError('FETCH_HTTP_STATUS', 'GET x: HTTP 403', { url: 'x', status: 403, retryAfterMs: ms });

describe('github through Octokit', () => {
  it("sends our User-Agent, not Octokit's, with the token in the Authorization header", async () => {
    const seen: HttpRequest[] = [];
    const ctx: FetchContext = { http: scripted([], seen), log: silent, now: () => new Date() };
    await githubSource.fetch({ ...config, token: 'ghp_secret' }, null, ctx);
    expect(seen).toHaveLength(1);
    const headers = Object.fromEntries(
      Object.entries(seen[0]?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(headers['user-agent']).toBeUndefined();
    expect(headers.authorization).toBe('token ghp_secret');
    const url = new URL(seen[0]?.url ?? '');
    expect(url.pathname).toBe('/search/issues');
    expect(url.searchParams.get('q')).toBe('acme');
    expect(url.searchParams.get('sort')).toBe('updated');
  });

  it('a long GitHub rate limit ends the poll with FETCH_RATE_LIMITED and the wait', async () => {
    const ctx: FetchContext = {
      http: scripted([rateLimited(3_600_000)], []),
      log: silent,
      now: () => new Date(),
    };
    const err = await failure(githubSource.fetch(config, null, ctx));
    expect(err.code).toBe('FETCH_RATE_LIMITED');
    expect(Number(err.details.retryAfterMs)).toBeGreaterThan(3_500_000);
  });

  it('a short one is waited out and retried once', async () => {
    const seen: HttpRequest[] = [];
    const ctx: FetchContext = {
      http: scripted([rateLimited(500)], seen),
      log: silent,
      now: () => new Date(),
    };
    const r = await githubSource.fetch(config, null, ctx);
    expect(r.items).toEqual([]);
    expect(seen).toHaveLength(2);
  });

  it('errors of the polite client come out unchanged (code, status)', async () => {
    const timeout = new FetchError('FETCH_TIMEOUT', 'GET x: no complete response within 5 ms', { url: 'x' });
    const ctx: FetchContext = { http: scripted([timeout], []), log: silent, now: () => new Date() };
    expect(await failure(githubSource.fetch(config, null, ctx))).toBe(timeout);
  });
});
