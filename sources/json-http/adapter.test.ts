import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchContext, Logger } from '../../src/core/source.ts';
import { type PoliteHttpClient, createHttpClient } from '../../src/ingest/http/client.ts';
import { failure } from '../../test/helpers/failure.ts';
import { publicConfig } from '../index.ts';
import { type JsonHttpConfig, type JsonHttpCursor, jsonHttpConfigSchema, jsonHttpSource } from './adapter.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const servers: Server[] = [];
const clients: PoliteHttpClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function upstream(handler: (req: IncomingMessage, url: URL) => unknown) {
  const hits: URL[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.push(url);
    headers.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(handler(req, url)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, headers };
}

function ctx(): FetchContext {
  const http = createHttpClient({ maxRetries: 0 });
  clients.push(http);
  return { http, log: silent, now: () => new Date() };
}

const cfg = (input: unknown): JsonHttpConfig => jsonHttpConfigSchema.parse(input);

/** Drives the adapter like the poller: follows `more`, returns every page and the last cursor. */
async function poll(config: JsonHttpConfig, cursor: JsonHttpCursor | null, c = ctx()) {
  const pages = [];
  let cur = cursor;
  for (let i = 0; i < 10; i++) {
    const r = await jsonHttpSource.fetch(config, cur, c);
    pages.push(r);
    cur = r.nextCursor;
    if (!r.more) break;
  }
  return { pages, items: pages.flatMap((p) => p.items), cursor: cur };
}

const review = (id: number, at: string, extra: object = {}) => ({
  id,
  body: `review ${id}`,
  meta: { at, stars: '4,5' },
  who: { name: `User ${id}`, nick: `@u${id}` },
  link: `/r/${id}`,
  lang: 'en-US',
  ...extra,
});

describe('json-http', () => {
  it('maps fields, resolves relative links and follows a next URL until it runs out', async () => {
    const { base, hits } = await upstream((_req, url) =>
      url.pathname === '/v1/reviews'
        ? {
            data: { reviews: [review(2, '2026-01-02T00:00:00Z'), review(1, '2026-01-01T00:00:00Z')] },
            next: '/v1/reviews/p2',
          }
        : { data: { reviews: [review(0, '2025-12-31T00:00:00Z')] }, next: null },
    );
    const config = cfg({
      url: `${base}/v1/reviews`,
      itemsPath: 'data.reviews',
      fields: {
        id: 'id',
        text: 'body',
        url: 'link',
        authorName: 'who.name',
        authorHandle: 'who.nick',
        publishedAt: 'meta.at',
        rating: 'meta.stars',
        language: 'lang',
      },
      ratingScale: 5,
      pagination: { type: 'cursor', nextPath: 'next' },
    });
    const { items, pages } = await poll(config, null);
    expect(pages).toHaveLength(2);
    expect(hits.map((h) => h.pathname)).toEqual(['/v1/reviews', '/v1/reviews/p2']);
    expect(items.map((i) => i.externalId)).toEqual(['2', '1', '0']);
    expect(items[0]).toMatchObject({
      content: 'review 2',
      contentType: 'text',
      url: `${base}/r/2`,
      author: { name: 'User 2', handle: 'u2' },
      rating: 4.5,
      ratingScale: 5,
      language: 'en',
    });
    expect(items[0]?.publishedAt).toEqual(new Date('2026-01-02T00:00:00Z'));
  });

  it('sends the token as a cursor parameter and the newest date as `since` on the next poll', async () => {
    let served = [review(1, '2026-01-01T00:00:00Z'), review(2, '2026-01-02T00:00:00Z')];
    const { base, hits, headers } = await upstream((_req, url) =>
      url.searchParams.get('cursor') === 'abc'
        ? { items: [], cursor: null }
        : { items: served, cursor: 'abc' },
    );
    const config = cfg({
      url: `${base}/feed?kind=reviews`,
      headers: { 'X-Api-Key': 'k-secret-123' },
      itemsPath: 'items',
      fields: { id: 'id', text: 'body', publishedAt: 'meta.at' },
      pagination: { type: 'cursor', nextPath: 'cursor', param: 'cursor' },
      since: { param: 'after', format: 'epoch-seconds' },
    });
    const first = await poll(config, null);
    expect(first.items.map((i) => i.externalId)).toEqual(['1', '2']);
    expect(hits[0]?.searchParams.get('after')).toBeNull();
    expect(hits[1]?.searchParams.get('cursor')).toBe('abc');
    expect(headers.every((h) => h['x-api-key'] === 'k-secret-123')).toBe(true);
    expect(first.cursor).toMatchObject({ since: '2026-01-02T00:00:00.000Z' });
    expect(JSON.stringify(first.cursor)).not.toContain('k-secret-123');

    // The API ignores `after` and sends everything again plus one new item: only the new one is returned.
    served = [...served, review(3, '2026-01-03T00:00:00Z'), review(0, '2025-06-01T00:00:00Z')];
    hits.length = 0;
    const second = await poll(config, first.cursor);
    expect(hits[0]?.searchParams.get('after')).toBe(String(Date.parse('2026-01-02T00:00:00Z') / 1000));
    expect(hits[0]?.searchParams.get('kind')).toBe('reviews');
    expect(second.items.map((i) => i.externalId)).toEqual(['3']);
  });

  it('pages by number, stopping at a page with nothing new even if the API never runs out', async () => {
    const { base, hits } = await upstream((_req, url) => {
      const page = Number(url.searchParams.get('p'));
      // Pages past 2 repeat page 2, as some APIs do for out-of-range page numbers.
      return [{ id: `a${Math.min(page, 2)}`, t: 'x' }];
    });
    const config = cfg({
      url: base,
      fields: { id: 'id', text: 't' },
      pagination: { type: 'page', param: 'p' },
    });
    const { items } = await poll(config, null);
    expect(items.map((i) => i.externalId)).toEqual(['a1', 'a2']);
    expect(hits.map((h) => h.searchParams.get('p'))).toEqual(['1', '2', '3']);
    const again = await poll(config, (await poll(config, null)).cursor);
    expect(again.items).toEqual([]);
  });

  it('skips items without an id, with a warning naming the url', async () => {
    const { base } = await upstream(() => [{ id: 'a', t: 'x' }, { t: 'no id' }, { id: '', t: 'empty id' }]);
    const r = await jsonHttpSource.fetch(
      cfg({ url: `${base}/x?token=hush`, fields: { id: 'id', text: 't' } }),
      null,
      ctx(),
    );
    expect(r.items.map((i) => i.externalId)).toEqual(['a']);
    const warnings = (r as { warnings?: string[] }).warnings ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('2 item(s)');
    expect(warnings[0]).toContain(`${base}/x?token=[redacted]`);
    expect(warnings[0]).not.toContain('hush');
  });

  it('raises FEED_MALFORMED naming the path when the items are not where the mapping says', async () => {
    const { base } = await upstream(() => ({ data: { reviews: { id: 1 } } }));
    const err = await failure(
      jsonHttpSource.fetch(
        cfg({ url: `${base}/r?api_key=k3y`, itemsPath: 'data.reviews', fields: { id: 'id' } }),
        null,
        ctx(),
      ),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toContain('"data.reviews"');
    expect(err.message).toContain('found an object');
    expect(err.message).toContain(`${base}/r?api_key=[redacted]`);
    expect(err.message).not.toContain('k3y');
  });

  it('validates the config and masks the headers in public output', () => {
    expect(jsonHttpConfigSchema.safeParse(jsonHttpSource.example).success).toBe(true);
    expect(jsonHttpConfigSchema.safeParse({ url: 'ftp://x', fields: { id: 'id' } }).success).toBe(false);
    expect(jsonHttpConfigSchema.safeParse({ url: 'https://x.example' }).success).toBe(false);
    expect(
      jsonHttpConfigSchema.safeParse({
        url: 'https://x.example',
        fields: { id: 'id' },
        pagination: { type: 'page' },
      }).success,
    ).toBe(false);
    const noDate = jsonHttpConfigSchema.safeParse({
      url: 'https://x.example',
      fields: { id: 'id' },
      since: { param: 's' },
    });
    expect(noDate.success).toBe(false);
    expect(noDate.error?.issues[0]?.path).toEqual(['since']);
    const shown = publicConfig('json-http', jsonHttpSource.example as unknown as Record<string, unknown>);
    expect(shown.headers).toBe('[redacted]');
    expect(JSON.stringify(shown)).not.toContain('YOUR-API-TOKEN');
  });
});
