import { isIP } from 'node:net';
import { FetchError, TrustwatchError } from '../../core/errors.ts';
import { redactUrl, scrubUrl } from '../../core/redact-url.ts';
import type { HttpClient, HttpRequest, HttpResponse, Logger } from '../../core/source.ts';
import { blockedRange } from './address-policy.ts';
import { readCappedBody } from './body.ts';
import { charsetFromContentType, decodeBytes } from './charset.ts';
import { HostLimiter, hostKey } from './host-limiter.ts';
import { backoffDelay, retryAfterFromHeaders } from './retry.ts';

/**
 * The runtime-independent half of the polite HTTP client: User-Agent, conditional requests, a total
 * time limit, a body size cap, per-host concurrency and retries that honour Retry-After. It only needs
 * a fetch-shaped transport, so Node (undici with the SSRF guard in its connector, ./client.ts) and
 * Cloudflare Workers (the runtime's fetch, src/runtime/worker-http.ts) share every rule.
 */

export interface PoliteOptions {
  /** Limit for one attempt, from connect to the last body byte. Timeouts are not retried in-process. */
  timeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  maxBodyBytes: number;
  userAgent: string;
  /** Extra attempts after a 429, 5xx or network error, within one `request` call. */
  maxRetries: number;
  /** Longest Retry-After we sleep through; a longer one is raised to the scheduler as FETCH_RATE_LIMITED. */
  maxRetryAfterMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  log: Logger | undefined;
  /** Injectable for tests, so retries do not really wait. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  /** Requests in flight at once to one host (name and port), across every source using this client. */
  maxPerHost: number;
}

/** The parts of a fetch Response the client reads. */
export interface TransportResponse {
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

/** How one runtime reaches upstreams. Redirects are the transport's to follow (and to guard). */
export interface HttpTransport {
  fetch(url: string, init: TransportRequest): Promise<TransportResponse>;
  /** Why `url` must not be fetched at all (checked before any work), or undefined. */
  refuse?(url: URL): string | undefined;
  /** Why a fetch failure was the address guard's refusal (it becomes FETCH_BLOCKED), or undefined. */
  blockedReason?(err: unknown): string | undefined;
}

type Outcome =
  | { kind: 'done'; response: HttpResponse }
  | { kind: 'status'; status: number; statusText: string; headers: Headers; finalUrl: string }
  | { kind: 'network'; error: FetchError };

/** Lower-cased header names we set ourselves, so a caller's `user-agent` replaces ours, not adds to it. */
function mergeHeaders(defaults: Record<string, string>, extra: Record<string, string> | undefined) {
  const out = new Map<string, [string, string]>();
  for (const [k, v] of Object.entries(defaults)) out.set(k.toLowerCase(), [k, v]);
  for (const [k, v] of Object.entries(extra ?? {})) out.set(k.toLowerCase(), [k, v]);
  return Object.fromEntries([...out.values()]);
}

/** A short description of a network failure: the system error code and message of the root cause. */
function describeCause(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    const text =
      typeof code === 'string' && !current.message.includes(code)
        ? `${code} ${current.message}`
        : current.message;
    if (text && text !== 'fetch failed') parts.push(text);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(err);
}

function isRetryableStatus(status: number, method: string): boolean {
  if (status === 429 || status === 503) return true;
  // A POST that reached the server may have done something; only repeat it when the server said "not now".
  return method === 'GET' && status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * GitHub (and a few others) answer rate limits with 403 rather than 429: the primary limit sets
 * `x-ratelimit-remaining: 0`, the secondary one sends Retry-After. A plain 403 (forbidden) is not one.
 */
function isRateLimited403(status: number, headers: Headers): boolean {
  if (status !== 403) return false;
  return headers.get('retry-after') !== null || headers.get('x-ratelimit-remaining') === '0';
}

/** FETCH_BLOCKED: names the source URL (redacted) and why, and how to allow it on purpose. */
export function blockedError(method: string, safeUrl: string, reason: string, cause?: unknown): FetchError {
  return new FetchError(
    'FETCH_BLOCKED',
    `${method} ${safeUrl}: refused to connect: ${reason} (internal addresses are blocked against SSRF; set TRUSTWATCH_ALLOW_PRIVATE_URLS=1 to allow them)`,
    { url: safeUrl, cause },
  );
}

export function createPoliteClient(opts: PoliteOptions, transport: HttpTransport): HttpClient {
  const limiter = new HostLimiter(opts.maxPerHost);

  async function attempt(req: HttpRequest, method: 'GET' | 'POST', safeUrl: string): Promise<Outcome> {
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs;
    const maxBodyBytes = req.maxBodyBytes ?? opts.maxBodyBytes;
    const defaults: Record<string, string> = {
      'User-Agent': opts.userAgent,
      'Accept-Encoding': 'gzip, br, deflate',
      Accept: '*/*',
    };
    if (req.etag) defaults['If-None-Match'] = req.etag;
    if (req.lastModified) defaults['If-Modified-Since'] = req.lastModified;
    const headers = mergeHeaders(defaults, req.headers);

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const timeoutError = (cause?: unknown) =>
      new FetchError('FETCH_TIMEOUT', `${method} ${safeUrl}: no complete response within ${timeoutMs} ms`, {
        url: safeUrl,
        cause,
      });
    const networkError = (cause: unknown) =>
      new FetchError('FETCH_NETWORK', `${method} ${safeUrl}: ${scrubUrl(describeCause(cause), req.url)}`, {
        url: safeUrl,
        cause,
      });
    const tooLarge = (received: number, status: number) =>
      new FetchError(
        'FETCH_BODY_TOO_LARGE',
        `${method} ${safeUrl}: response body exceeds the ${maxBodyBytes}-byte limit (${received} bytes or more)`,
        { url: safeUrl, status },
      );

    try {
      let res: TransportResponse;
      try {
        res = await transport.fetch(req.url, { method, headers, body: req.body, signal: controller.signal });
      } catch (err) {
        if (timedOut) throw timeoutError(err);
        if (err instanceof FetchError) throw err;
        const blocked = transport.blockedReason?.(err);
        if (blocked) throw blockedError(method, safeUrl, blocked, err);
        return { kind: 'network', error: networkError(err) };
      }
      const finalUrl = res.url || req.url;
      const resHeaders = res.headers;

      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined);
        return {
          kind: 'done',
          response: {
            url: finalUrl,
            status: 304,
            notModified: true,
            headers: resHeaders,
            body: new Uint8Array(0),
            // A 304 may omit the validators; the ones we sent are still the current ones.
            etag: resHeaders.get('etag') ?? req.etag ?? null,
            lastModified: resHeaders.get('last-modified') ?? req.lastModified ?? null,
          },
        };
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => undefined);
        return {
          kind: 'status',
          status: res.status,
          statusText: res.statusText,
          headers: resHeaders,
          finalUrl,
        };
      }

      const declared = Number(resHeaders.get('content-length'));
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        controller.abort();
        throw tooLarge(declared, res.status);
      }
      let body: Uint8Array;
      try {
        body = await readCappedBody(res.body, maxBodyBytes, (n) => tooLarge(n, res.status));
      } catch (err) {
        if (err instanceof FetchError) {
          controller.abort();
          throw err;
        }
        if (timedOut) throw timeoutError(err);
        throw networkError(err);
      }
      return {
        kind: 'done',
        response: {
          url: finalUrl,
          status: res.status,
          notModified: false,
          headers: resHeaders,
          body,
          etag: resHeaders.get('etag'),
          lastModified: resHeaders.get('last-modified'),
        },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const safeUrl = redactUrl(req.url);
    let parsed: URL;
    try {
      parsed = new URL(req.url);
    } catch (err) {
      throw new FetchError('FETCH_NETWORK', `${method} ${safeUrl}: not a valid URL`, {
        url: safeUrl,
        cause: err,
      });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new FetchError('FETCH_NETWORK', `${method} ${safeUrl}: only http and https URLs can be fetched`, {
        url: safeUrl,
      });
    }
    const refused = transport.refuse?.(parsed);
    if (refused) throw blockedError(method, safeUrl, refused);
    const host = hostKey(parsed);

    for (let attemptNo = 0; ; attemptNo++) {
      const started = opts.now();
      const outcome = await limiter.run(host, () => attempt(req, method, safeUrl));
      const ms = opts.now() - started;
      const retriesLeft = attemptNo < opts.maxRetries;

      if (outcome.kind === 'done') {
        const r = outcome.response;
        opts.log?.debug(
          { url: safeUrl, method, status: r.status, ms, bytes: r.body.byteLength, attempt: attemptNo },
          'http request',
        );
        return r;
      }

      if (outcome.kind === 'network') {
        if (!retriesLeft) throw outcome.error;
        const delay = backoffDelay(attemptNo, opts.backoffBaseMs, opts.backoffMaxMs, opts.random);
        opts.log?.warn(
          { url: safeUrl, method, attempt: attemptNo, delayMs: delay, err: outcome.error.message },
          'http network error, retrying',
        );
        await opts.sleep(delay);
        continue;
      }

      const { status, statusText, headers } = outcome;
      const retryAfterMs = retryAfterFromHeaders(headers, opts.now());
      const rateLimited =
        status === 429 || (status === 503 && retryAfterMs !== undefined) || isRateLimited403(status, headers);
      const what = `${method} ${safeUrl}: HTTP ${status}${statusText ? ` ${statusText}` : ''}`;

      if (rateLimited && retryAfterMs !== undefined && retryAfterMs > opts.maxRetryAfterMs) {
        // Too long to hold a worker: hand the wait to the scheduler.
        throw new FetchError(
          'FETCH_RATE_LIMITED',
          `${what}, asked to retry in ${Math.ceil(retryAfterMs / 1000)} s`,
          {
            url: safeUrl,
            status,
            retryAfterMs,
          },
        );
      }
      if (retriesLeft && (isRetryableStatus(status, method) || rateLimited)) {
        const delay =
          retryAfterMs ?? backoffDelay(attemptNo, opts.backoffBaseMs, opts.backoffMaxMs, opts.random);
        opts.log?.warn({ url: safeUrl, method, status, attempt: attemptNo, delayMs: delay }, 'http retrying');
        await opts.sleep(delay);
        continue;
      }
      if (rateLimited) {
        throw new FetchError(
          'FETCH_RATE_LIMITED',
          `${what}, still rate limited after ${attemptNo + 1} attempt(s)`,
          retryAfterMs === undefined ? { url: safeUrl, status } : { url: safeUrl, status, retryAfterMs },
        );
      }
      const tries = attemptNo > 0 ? ` after ${attemptNo + 1} attempts` : '';
      throw new FetchError('FETCH_HTTP_STATUS', `${what}${tries}`, { url: safeUrl, status });
    }
  }

  async function text(req: HttpRequest): Promise<HttpResponse & { text: string }> {
    const res = await request(req);
    return { ...res, text: decodeBytes(res.body, charsetFromContentType(res.headers.get('content-type'))) };
  }

  async function json<T = unknown>(req: HttpRequest): Promise<HttpResponse & { data: T }> {
    const res = await request({
      ...req,
      headers: mergeHeaders({ Accept: 'application/json' }, req.headers),
    });
    // A 304 has no body: the caller keeps what it parsed last time.
    if (res.notModified) return { ...res, data: undefined as T };
    const body = decodeBytes(res.body, charsetFromContentType(res.headers.get('content-type')));
    try {
      return { ...res, data: JSON.parse(body) as T };
    } catch (err) {
      const safeUrl = redactUrl(res.url);
      throw new TrustwatchError(
        'FEED_MALFORMED',
        `${safeUrl}: response is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
        { cause: err, details: { url: safeUrl, status: res.status } },
      );
    }
  }

  return { request, text, json };
}

/**
 * Why a URL whose host is a literal IP must not be fetched (private, loopback, link-local...), or
 * undefined. Host names are the transport's to check as they resolve; `allowHosts` are exempt.
 */
export function literalAddressRefusal(url: URL, allowHosts: ReadonlySet<string>): string | undefined {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) === 0 || allowHosts.has(literal.toLowerCase())) return undefined;
  const range = blockedRange(literal);
  return range ? `${literal} is a ${range} address` : undefined;
}
