import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { FetchError, TrustwatchError } from '../../src/core/errors.ts';
import { redactUrl } from '../../src/core/redact-url.ts';
import type { FetchContext } from '../../src/core/source.ts';

/**
 * Octokit wired to trustwatch's polite HTTP client: every request goes through `ctx.http` (our
 * User-Agent, timeouts, body cap, SSRF guard, and the retries of 429/5xx that honour Retry-After
 * and X-RateLimit-Reset). The plugins add what GitHub asks of clients on top:
 * - throttling queues requests (one search at a time, spaced `searchIntervalMs` apart, across all
 *   GitHub sources of the process) and handles 403 rate-limit answers: a short wait is retried
 *   once, a long one becomes FETCH_RATE_LIMITED so the scheduler comes back after the reset;
 * - retry is kept for errors our client passes through untouched (it never retries 4xx), but its
 *   own retries of 429/5xx are off: the polite client already made them, and stacking both would
 *   multiply the attempts GitHub sees.
 */

const RetryingOctokit = Octokit.plugin(throttling, retry);

/** Longest GitHub rate-limit wait we sleep through inside a poll. */
const MAX_INLINE_WAIT_S = 20;

/** Spacing of search requests per API root, shared by every GitHub source in the process. */
const lastSearchAt = new Map<string, number>();

function searchGroup(baseUrl: string, intervalMs: number) {
  let chain: Promise<unknown> = Promise.resolve();
  const limiter = {
    schedule: (...args: unknown[]) => {
      const fn = args.find((a) => typeof a === 'function') as (...a: unknown[]) => Promise<unknown>;
      const fnArgs = args.slice(args.indexOf(fn) + 1);
      const run = async () => {
        const wait = (lastSearchAt.get(baseUrl) ?? 0) + intervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastSearchAt.set(baseUrl, Date.now());
        return fn(...fnArgs);
      };
      const result = chain.then(run, run);
      chain = result.catch(() => undefined);
      return result;
    },
  };
  return { key: () => limiter };
}

/** Headers Octokit sets that our client sets itself (ours must win: one clear User-Agent). */
const DROP_HEADERS = new Set(['user-agent', 'content-length']);

export function createOctokit(
  ctx: FetchContext,
  opts: { baseUrl: string; token?: string | undefined; searchIntervalMs: number },
) {
  /** Errors of our client, kept so the adapter rethrows them unchanged (codes, retryAfterMs). */
  let lastClientError: TrustwatchError | undefined;

  const fetchThroughClient = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const headers: Record<string, string> = {};
    for (const [k, v] of new Headers(init?.headers).entries()) if (!DROP_HEADERS.has(k)) headers[k] = v;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new Error(`github adapter: ${method} not supported`);
    try {
      const res = await ctx.http.request({
        url,
        method,
        headers,
        body: typeof init?.body === 'string' ? init.body : undefined,
      });
      const body = res.body.byteLength === 0 ? null : (res.body as unknown as BodyInit);
      return new Response(body, { status: res.status, headers: res.headers });
    } catch (err) {
      if (err instanceof FetchError && err.status === 403) {
        // GitHub's rate limits answer 403; hand Octokit a 403 so the throttling plugin sees it.
        const reset =
          err.retryAfterMs !== undefined ? Math.ceil((Date.now() + err.retryAfterMs) / 1000) : undefined;
        lastClientError = err;
        return new Response(JSON.stringify({ message: 'API rate limit exceeded (403)' }), {
          status: 403,
          headers: {
            'content-type': 'application/json',
            ...(reset !== undefined
              ? { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }
              : {}),
          },
        });
      }
      if (err instanceof TrustwatchError) lastClientError = err;
      throw err;
    }
  };

  const onLimit = (
    retryAfter: number,
    options: { method: string; url: string },
    _o: unknown,
    retryCount: number,
  ) => {
    const wait = retryAfter <= MAX_INLINE_WAIT_S && retryCount < 1;
    ctx.log.warn(
      { url: redactUrl(options.url), retryAfterSeconds: retryAfter, retry: wait },
      'github: rate limited',
    );
    if (!wait) {
      lastClientError = new FetchError(
        'FETCH_RATE_LIMITED',
        `${options.method} ${redactUrl(`${opts.baseUrl}${options.url}`)}: GitHub rate limit, retry in ${retryAfter} s`,
        { url: redactUrl(opts.baseUrl), status: 403, retryAfterMs: retryAfter * 1000 },
      );
    }
    return wait;
  };

  const octokit = new RetryingOctokit({
    baseUrl: opts.baseUrl,
    ...(opts.token ? { auth: opts.token } : {}),
    request: { fetch: fetchThroughClient, signal: ctx.signal },
    // The polite client already retried 429/5xx: only statuses it leaves alone may be retried here.
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451, 429, 500, 502, 503, 504] },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      // A duck-typed Bottleneck group: only `key().schedule()` is used by the plugin.
      search: searchGroup(opts.baseUrl, opts.searchIntervalMs) as never,
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (msg: string) => ctx.log.warn({ octokit: msg }, 'github: octokit warning'),
      error: (msg: string) => ctx.log.error({ octokit: msg }, 'github: octokit error'),
    },
  });

  /** Runs an Octokit call; failures come out as trustwatch errors (client errors unchanged). */
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    lastClientError = undefined;
    try {
      return await fn();
    } catch (err) {
      if (lastClientError) throw lastClientError;
      if (err instanceof TrustwatchError) throw err;
      const status = (err as { status?: number }).status;
      const message = err instanceof Error ? err.message : String(err);
      throw new FetchError(
        'FETCH_HTTP_STATUS',
        `${what} ${redactUrl(opts.baseUrl)}: GitHub answered ${status ?? 'an error'}: ${message.slice(0, 200)}`,
        status !== undefined
          ? { url: redactUrl(opts.baseUrl), status, cause: err }
          : { url: redactUrl(opts.baseUrl), cause: err },
      );
    }
  }

  return { octokit, call };
}
