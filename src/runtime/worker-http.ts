import type { HttpClient, Logger } from '../core/source.ts';
import {
  type HttpTransport,
  type PoliteOptions,
  type TransportResponse,
  createPoliteClient,
  literalAddressRefusal,
} from '../ingest/http/polite.ts';

/**
 * The polite HTTP client on Cloudflare Workers: the same rules as on Node (src/ingest/http/polite.ts:
 * timeouts, body size cap, conditional requests, Retry-After) over the runtime's `fetch`. There is no
 * DNS or socket hook here, so the SSRF guard checks each URL instead, the first and every redirect
 * hop (redirects are followed by hand): literal private/loopback/link-local IPs and `localhost` names
 * are refused unless private URLs are allowed. On Cloudflare's network private addresses are not
 * routable anyway; the check matters for `wrangler dev`, which runs on the developer's machine.
 */

export interface WorkerHttpOptions extends Partial<PoliteOptions> {
  /** Let URLs reach private and loopback addresses (TRUSTWATCH_ALLOW_PRIVATE_URLS; tests on loopback). */
  allowPrivateUrls?: boolean;
  /** Host names exempt from the address check. */
  allowHosts?: readonly string[];
  /** Redirect hops followed before giving up (fetch's own limit is 20). */
  maxRedirects?: number;
  /** The runtime's fetch, injectable for tests. */
  fetchImpl?: typeof fetch;
  log?: Logger | undefined;
}

const WORKER_DEFAULTS: PoliteOptions = {
  timeoutMs: 15_000,
  maxBodyBytes: 10 * 1024 * 1024,
  userAgent: 'trustwatch/0.1 (+https://github.com/trustwatch/trustwatch)',
  maxRetries: 2,
  // A queue consumer should not sleep long: a longer wait goes back to the queue as a delayed retry.
  maxRetryAfterMs: 10_000,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  log: undefined,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
  maxPerHost: 4,
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** `localhost` and its subdomains resolve to loopback by convention (RFC 6761). */
function isLocalhostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

export function createWorkerHttpClient(options: WorkerHttpOptions = {}): HttpClient {
  const { allowPrivateUrls = false, allowHosts = [], maxRedirects = 5, fetchImpl, ...polite } = options;
  const opts: PoliteOptions = {
    ...WORKER_DEFAULTS,
    ...(Object.fromEntries(
      Object.entries(polite).filter(([, v]) => v !== undefined),
    ) as Partial<PoliteOptions>),
  };
  const allowed = new Set(allowHosts.map((h) => h.toLowerCase()));
  const doFetch = fetchImpl ?? ((input: string, init?: RequestInit) => fetch(input, init));

  const refuse = (url: URL): string | undefined => {
    if (allowPrivateUrls || allowed.has(url.hostname.toLowerCase())) return undefined;
    if (isLocalhostName(url.hostname)) return `${url.hostname} is a loopback name`;
    return literalAddressRefusal(url, allowed);
  };

  const transport: HttpTransport = {
    refuse,
    async fetch(url, init): Promise<TransportResponse> {
      let current = url;
      let method = init.method;
      let body = init.body;
      for (let hop = 0; ; hop++) {
        const res = await doFetch(current, {
          method,
          headers: init.headers,
          body,
          redirect: 'manual',
          signal: init.signal,
        });
        const location = res.headers.get('location');
        if (!REDIRECT_STATUSES.has(res.status) || location === null) {
          return {
            url: current,
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
            body: res.body,
          };
        }
        await res.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
        const next = new URL(location, current);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new Error(`redirect to a ${next.protocol} URL`);
        }
        const refused = refuse(next);
        if (refused) throw new RedirectRefused(`redirect to ${refused}`);
        // 303, and 301/302 after a POST, continue as a GET without a body (as browsers and undici do).
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        current = next.href;
      }
    },
    blockedReason: (err) => (err instanceof RedirectRefused ? err.message : undefined),
  };
  return createPoliteClient(opts, transport);
}

/** A redirect hop the address check refused (reported as FETCH_BLOCKED by the polite client). */
class RedirectRefused extends Error {}
