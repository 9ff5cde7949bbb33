import { Agent, type Dispatcher, fetch as undiciFetch } from 'undici';
import { configSchema } from '../../core/config.ts';
import type { HttpClient } from '../../core/source.ts';
import { BlockedAddressError, type Resolver, guardedConnector, systemResolver } from './guarded-connect.ts';
import {
  type PoliteOptions,
  type TransportResponse,
  createPoliteClient,
  literalAddressRefusal,
} from './polite.ts';

/**
 * The one place where trustwatch talks to upstreams from Node (think miniflux's fetcher): the polite
 * rules of ./polite.ts (User-Agent, conditional requests, compression, a total time limit, a body
 * size cap, retries that honour Retry-After) over undici, whose connector refuses private addresses
 * after DNS and on every redirect (SSRF). Adapters never call fetch themselves.
 */

export type FetchImpl = typeof undiciFetch;

/** The polite rules' options, plus how Node reaches the network (undici, the SSRF guard). */
export interface HttpClientOptions extends PoliteOptions {
  connectTimeoutMs: number;
  fetchImpl: FetchImpl | undefined;
  /**
   * Undici dispatcher to use; by default the client owns an Agent with `connectTimeoutMs` and the
   * SSRF guard in its connector. A dispatcher of your own only gets the check of literal IP hosts.
   */
  dispatcher: Dispatcher | undefined;
  /**
   * Let URLs reach private, loopback, link-local, unique-local, CGNAT and unspecified addresses.
   * Undefined: TRUSTWATCH_ALLOW_PRIVATE_URLS decides (off when unset).
   */
  allowPrivateUrls: boolean | undefined;
  /** Host names exempt from the address check, e.g. one intranet feed host. */
  allowHosts: readonly string[];
  /** DNS resolution used by the guard (injectable for tests). */
  resolve: Resolver;
}

export const DEFAULT_HTTP_OPTIONS: Readonly<HttpClientOptions> = Object.freeze({
  timeoutMs: 15_000,
  connectTimeoutMs: 5_000,
  maxBodyBytes: 10 * 1024 * 1024,
  userAgent: 'trustwatch/0.1 (+https://github.com/trustwatch/trustwatch)',
  maxRetries: 2,
  maxRetryAfterMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  log: undefined,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
  fetchImpl: undefined,
  dispatcher: undefined,
  maxPerHost: 4,
  allowPrivateUrls: undefined,
  allowHosts: [],
  resolve: systemResolver,
});

/** TRUSTWATCH_ALLOW_PRIVATE_URLS read with the same rules as the rest of the config. */
function privateUrlsAllowedByEnv(): boolean {
  const raw = process.env.TRUSTWATCH_ALLOW_PRIVATE_URLS;
  if (raw === undefined || raw === '') return false;
  const parsed = configSchema.shape.TRUSTWATCH_ALLOW_PRIVATE_URLS.safeParse(raw);
  return parsed.success && parsed.data === true;
}

/** The BlockedAddressError somewhere in a fetch failure's cause chain, if the guard refused it. */
function blockedCause(err: unknown): BlockedAddressError | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof BlockedAddressError) return current;
    current = current.cause;
  }
  return undefined;
}

/** The client plus `close()`, which releases the connection pool it owns (tests, shutdown). */
export interface PoliteHttpClient extends HttpClient {
  readonly options: Readonly<HttpClientOptions>;
  close(): Promise<void>;
}

export function createHttpClient(options: Partial<HttpClientOptions> = {}): PoliteHttpClient {
  const opts: HttpClientOptions = { ...DEFAULT_HTTP_OPTIONS, ...dropUndefined(options) };
  const allowPrivate = opts.allowPrivateUrls ?? privateUrlsAllowedByEnv();
  const allowHosts = new Set(opts.allowHosts.map((h) => h.toLowerCase()));
  const ownAgent = opts.dispatcher
    ? undefined
    : new Agent({
        connect: allowPrivate
          ? { timeout: opts.connectTimeoutMs }
          : guardedConnector({ connectTimeoutMs: opts.connectTimeoutMs, resolve: opts.resolve, allowHosts }),
        keepAliveTimeout: 10_000,
      });
  const dispatcher = opts.dispatcher ?? ownAgent;
  const fetchImpl = opts.fetchImpl ?? undiciFetch;

  const client = createPoliteClient(opts, {
    fetch: async (url, init) =>
      (await fetchImpl(url, {
        ...init,
        redirect: 'follow',
        ...(dispatcher ? { dispatcher } : {}),
      })) as unknown as TransportResponse,
    // A literal private IP is refused before any work; names are checked as they are resolved.
    refuse: (url) => (allowPrivate ? undefined : literalAddressRefusal(url, allowHosts)),
    blockedReason: (err) => blockedCause(err)?.message,
  });

  return {
    ...client,
    options: opts,
    async close() {
      await ownAgent?.close();
    },
  };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
