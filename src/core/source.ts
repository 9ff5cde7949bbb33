import type { z } from 'zod';
import type { SourceItem } from './mention.ts';

/**
 * The Source adapter contract. An adapter turns one upstream (a feed, an API, a file) into
 * `SourceItem`s. It knows nothing of the database: it gets its validated config, the cursor it
 * returned last time, and a context with the polite HTTP client and a logger.
 */

/** Minimal structured logger (pino-compatible subset) handed to adapters. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  /** Validators from the previous successful response; a 304 answer yields `notModified: true`. */
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
  /** Per-request overrides of the client defaults. */
  timeoutMs?: number | undefined;
  maxBodyBytes?: number | undefined;
}

export interface HttpResponse {
  url: string;
  status: number;
  notModified: boolean;
  headers: Headers;
  /** Raw body bytes (empty on 304). Decode with the charset your format requires. */
  body: Uint8Array;
  etag: string | null;
  lastModified: string | null;
}

/**
 * The polite HTTP client every adapter must use: total timeout, body size cap, conditional
 * requests, Retry-After handling, a clear User-Agent. Non-2xx (other than 304) raise FetchError.
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Convenience: GET and decode as UTF-8 text. */
  text(req: HttpRequest): Promise<HttpResponse & { text: string }>;
  /** Convenience: GET and parse JSON (malformed JSON raises FEED_MALFORMED naming the url). */
  json<T = unknown>(req: HttpRequest): Promise<HttpResponse & { data: T }>;
}

export interface FetchContext {
  http: HttpClient;
  log: Logger;
  /** Aborted when the poll is cancelled (shutdown); long adapters should check it. */
  signal?: AbortSignal | undefined;
  /** Now, injectable for tests. */
  now: () => Date;
}

export interface FetchResult<Cursor> {
  items: SourceItem[];
  /** Saved after the items are stored; passed back on the next call. */
  nextCursor: Cursor | null;
  /** True when the adapter has more pages right now; the poller calls again with nextCursor. */
  more?: boolean | undefined;
}

export interface SourceAdapter<Config = unknown, Cursor = unknown> {
  /** Stable id, used as `sources.type` (e.g. `rss`, `import`). */
  id: string;
  /** Human name and one-line description for docs and `--help`. */
  name: string;
  description: string;
  /** Validates the user's config. Field descriptions (`.describe()`) feed the docs. */
  configSchema: z.ZodType<Config>;
  /** Config keys that hold secrets (tokens, passwords): redacted in logs and API output. */
  secretFields: readonly string[];
  /** An example config, shown in docs and used by tests. */
  example: Config;
  /** Sensible default poll interval for this kind of source. */
  defaultIntervalSeconds: number;
  /**
   * Push-only source (the webhook): upstreams send items to the API, so the scheduler never polls
   * it and `fetch` returns nothing.
   */
  push?: boolean | undefined;
  fetch(config: Config, cursor: Cursor | null, ctx: FetchContext): Promise<FetchResult<Cursor>>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds adapters of any config and cursor type.
export type AnySourceAdapter = SourceAdapter<any, any>;

/** Identity helper that keeps the adapter's Config and Cursor types inferred. */
export function defineSource<Config, Cursor>(
  adapter: SourceAdapter<Config, Cursor>,
): SourceAdapter<Config, Cursor> {
  return adapter;
}
