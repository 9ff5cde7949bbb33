import { existsSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import type { FetchContext, Logger, SourceAdapter } from '../../src/core/source.ts';
import { type PoliteHttpClient, createHttpClient } from '../../src/ingest/http/client.ts';
import { failure } from '../helpers/failure.ts';

/**
 * The contract every API source adapter passes, the same for all: a local HTTP server on 127.0.0.1
 * plays the upstream from recorded fixtures, the adapter is pointed at it through its base-URL
 * option and driven like src/ingest/poll.ts drives it (call again with `nextCursor` while `more`).
 *
 * The fake upstream ignores "only newer than" filters on purpose: an adapter must not return an
 * item twice even when the API returns it again.
 */

export interface UpstreamRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
}

export interface SourceContractSpec<Config, Cursor> {
  adapter: SourceAdapter<Config, Cursor>;
  /** Config (as a user writes it) pointing the adapter at `baseUrl`; validated by the adapter's schema. */
  config: (baseUrl: string) => unknown;
  /** The healthy upstream: answers every request of a poll (auth, pages, comments). Undefined is a 404. */
  serve: (req: UpstreamRequest, baseUrl: string) => Reply | undefined;
  /** Fixture files the spec reads at run time; the suite skips (outside CI) when one is missing. */
  fixtures?: string[];
  /** Secret values in the config that must never reach errors or logs. */
  secrets?: string[];
  /** True for a request that asks the upstream for only newer items (since_id, updated:>...). */
  incrementalRequest?: (req: UpstreamRequest) => boolean;
  /** Extra checks on the items of the first page. */
  checkFirstPage?: (items: SourceItem[]) => void;
}

const BODY_CAP = 512 * 1024;
const TIMEOUT_MS = 400;

function textOf(item: SourceItem): string {
  return `${item.title ?? ''} ${item.content ?? ''}`.trim();
}

export function describeSourceContract<Config, Cursor>(spec: SourceContractSpec<Config, Cursor>): void {
  const missing = (spec.fixtures ?? []).filter((f) => !existsSync(f));
  if (missing.length > 0 && process.env.CI) throw new Error(`fixtures missing in CI: ${missing.join(', ')}`);
  const suite = missing.length > 0 ? describe.skip : describe;

  suite(`source contract: ${spec.adapter.id}`, () => {
    let server: Server;
    let base = '';
    let requests: UpstreamRequest[] = [];
    /** Answers (or 'hang') used, in order, before the healthy upstream answers again. */
    let faults: (Reply | 'hang')[] = [];
    let always: Reply | 'hang' | undefined;
    let http: PoliteHttpClient;
    let sleeps: number[] = [];
    let logged: string[] = [];

    const log: Logger = {
      debug: (o, m) => logged.push(JSON.stringify([o, m])),
      info: (o, m) => logged.push(JSON.stringify([o, m])),
      warn: (o, m) => logged.push(JSON.stringify([o, m])),
      error: (o, m) => logged.push(JSON.stringify([o, m])),
    };
    const ctx = (): FetchContext => ({ http, log, now: () => new Date('2026-03-02T00:00:00Z') });
    // Validated like the poller does (src/ingest/poll.ts): defaults and transforms apply.
    const fetchPage = (cursor: Cursor | null) =>
      spec.adapter.fetch(spec.adapter.configSchema.parse(spec.config(base)), cursor, ctx());

    /** Drives the adapter like the poller: pages until `more` is false (bounded). */
    async function drain(cursor: Cursor | null) {
      const pages: SourceItem[][] = [];
      let c = cursor;
      for (let i = 0; i < 30; i++) {
        const r = await fetchPage(c);
        pages.push(r.items);
        c = r.nextCursor;
        if (!r.more) return { pages, cursor: c };
      }
      throw new Error('adapter never stopped paging');
    }

    function expectNoSecrets(...texts: string[]) {
      for (const secret of spec.secrets ?? []) for (const t of texts) expect(t).not.toContain(secret);
    }

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const url = new URL(req.url ?? '/', base);
          const r: UpstreamRequest = {
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          requests.push(r);
          const reply = faults.shift() ??
            always ??
            spec.serve(r, base) ?? { status: 404, body: { error: 'no fixture' } };
          if (reply === 'hang') return; // never answers: the client's timeout must fire
          const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, {
            'content-type': 'application/json; charset=utf-8',
            ...reply.headers,
          });
          res.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    });
    beforeEach(async () => {
      await http?.close();
      http = createHttpClient({
        timeoutMs: TIMEOUT_MS,
        maxBodyBytes: BODY_CAP,
        maxRetries: 1,
        maxRetryAfterMs: 10_000,
        backoffBaseMs: 1,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      requests = [];
      faults = [];
      always = undefined;
      sleeps = [];
      logged = [];
    });

    it('first page: items with ids, text and dates, over our User-Agent', async () => {
      const first = await fetchPage(null);
      expect(first.items.length).toBeGreaterThan(0);
      const ids = first.items.map((i) => i.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const item of first.items) {
        expect(typeof item.externalId).toBe('string');
        expect(item.externalId.length).toBeGreaterThan(0);
        expect(textOf(item).length, `item ${item.externalId} has no text`).toBeGreaterThan(0);
        if (item.publishedAt !== undefined) expect(new Date(item.publishedAt).getTime()).not.toBeNaN();
        expect(item.raw).toBeDefined();
      }
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) expect(r.headers['user-agent']).toMatch(/^trustwatch\//);
      spec.checkFirstPage?.(first.items);
      expectNoSecrets(...logged, JSON.stringify(first.nextCursor));
    });

    it('pagination: follows `more` to further pages of new items, then stops', async () => {
      const { pages } = await drain(null);
      expect(pages.length).toBeGreaterThan(1);
      const all = pages.flat().map((i) => i.externalId);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeGreaterThan(pages[0]?.length ?? 0);
    });

    it('incremental: a second poll adds nothing already returned', async () => {
      const first = await drain(null);
      const seen = new Set(first.pages.flat().map((i) => i.externalId));
      requests = [];
      const second = await drain(first.cursor);
      const repeated = second.pages.flat().filter((i) => seen.has(i.externalId));
      expect(repeated.map((i) => i.externalId)).toEqual([]);
      expect(second.pages.flat()).toHaveLength(0);
      if (spec.incrementalRequest) expect(requests.some(spec.incrementalRequest)).toBe(true);
      // And a third poll from that cursor is just as quiet: the cursor survived the empty poll.
      const third = await drain(second.cursor);
      expect(third.pages.flat()).toHaveLength(0);
    });

    it('429 with Retry-After: waits as asked, then gets the page', async () => {
      const healthy = await fetchPage(null);
      faults = [{ status: 429, headers: { 'retry-after': '2' }, body: { message: 'slow down' } }];
      sleeps = [];
      const after = await fetchPage(null);
      expect(sleeps).toContain(2000);
      expect(after.items.map((i) => i.externalId)).toEqual(healthy.items.map((i) => i.externalId));
    });

    it('429 with a long Retry-After: FETCH_RATE_LIMITED with the wait for the scheduler', async () => {
      always = { status: 429, headers: { 'retry-after': '3600' }, body: { message: 'rate limited' } };
      const err = await failure(fetchPage(null));
      expect(err.code).toBe('FETCH_RATE_LIMITED');
      expect(err.details.retryAfterMs).toBe(3_600_000);
      expect(sleeps.every((ms) => ms < 3_600_000)).toBe(true);
      expectNoSecrets(err.message, JSON.stringify(err.details), ...logged);
    });

    it('500: a clear error, then recovery with the same cursor', async () => {
      faults = [{ status: 500, body: 'boom' }];
      const retried = await fetchPage(null);
      expect(retried.items.length).toBeGreaterThan(0);

      always = { status: 500, body: { error: 'upstream exploded' } };
      const err = await failure(fetchPage(null));
      expect(err.code).toBe('FETCH_HTTP_STATUS');
      expect(err.message).toMatch(/500/);
      expect(err.message).toMatch(/127\.0\.0\.1/);
      expectNoSecrets(err.message, JSON.stringify(err.details), ...logged);

      always = undefined;
      const recovered = await fetchPage(null);
      expect(recovered.items.map((i) => i.externalId)).toEqual(retried.items.map((i) => i.externalId));
    });

    it('timeout: an upstream that never answers fails with FETCH_TIMEOUT', async () => {
      always = 'hang';
      const started = Date.now();
      const err = await failure(fetchPage(null));
      expect(err.code).toBe('FETCH_TIMEOUT');
      expect(err.message).toContain(`${TIMEOUT_MS} ms`);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 8);
      expectNoSecrets(err.message, JSON.stringify(err.details), ...logged);
    });

    it('malformed body: truncated JSON and JSON of the wrong shape fail with FEED_MALFORMED', async () => {
      always = { body: '{"data": {"children": [{"kind": "t3", "da' };
      const truncated = await failure(fetchPage(null));
      expect(truncated.code).toBe('FEED_MALFORMED');
      expect(truncated.message).toMatch(/JSON/);

      always = { body: { unexpected: ['an', 'other', 'api'] } };
      const wrong = await failure(fetchPage(null));
      expect(wrong.code).toBe('FEED_MALFORMED');
      expect(wrong.message).toMatch(/127\.0\.0\.1/);
      expectNoSecrets(truncated.message, wrong.message, ...logged);
    });

    it('oversized body: refused with FETCH_BODY_TOO_LARGE', async () => {
      always = { body: `{"padding": "${'x'.repeat(BODY_CAP + 1024)}"}` };
      const err = await failure(fetchPage(null));
      expect(err.code).toBe('FETCH_BODY_TOO_LARGE');
      expect(err.message).toContain(String(BODY_CAP));
      expectNoSecrets(err.message, ...logged);
    });
  });
}
