import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FetchContext, HttpClient } from '../../src/core/source.ts';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { fakeJsonHttp } from '../../test/helpers/fake-http.ts';
import { stackexchangeConfigSchema, stackexchangeSource } from './adapter.ts';
import { excerptToItem, parseWrapper, siteHost } from './parse.ts';

const PAGE_1 = readJson<Record<string, unknown>>(ownFixture('stackexchange/search-excerpts-acme-page1.json'));

/** An HttpClient answering every request with `body`, recording the URLs asked for. */
function fakeHttp(body: unknown, urls: string[]): HttpClient {
  return fakeJsonHttp(
    () => body,
    (req) => urls.push(req.url),
  );
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const config = stackexchangeConfigSchema.parse({ query: 'acme', baseUrl: 'http://127.0.0.1:9/2.3' });

describe('stackexchange adapter', () => {
  it('honours `backoff`: stops paging, and makes no call until it has passed', async () => {
    const urls: string[] = [];
    let now = new Date('2026-03-01T00:00:00Z');
    const ctx: FetchContext = {
      http: fakeHttp({ ...PAGE_1, backoff: 30 }, urls),
      log: silent,
      now: () => now,
    };
    const first = await stackexchangeSource.fetch(config, null, ctx);
    expect(first.items).toHaveLength(3);
    expect(first.more).toBe(false);
    expect(first.nextCursor?.notBefore).toBe('2026-03-01T00:00:30.000Z');
    // The walk was not finished: it resumes at page 2 once the backoff is over.
    expect(first.nextCursor?.pending?.page).toBe(2);

    now = new Date('2026-03-01T00:00:10Z');
    const early = await stackexchangeSource.fetch(config, first.nextCursor, ctx);
    expect(early.items).toEqual([]);
    expect(early.nextCursor).toEqual(first.nextCursor);
    expect(urls).toHaveLength(1);

    now = new Date('2026-03-01T00:00:31Z');
    await stackexchangeSource.fetch(config, first.nextCursor, ctx);
    expect(urls).toHaveLength(2);
    expect(new URL(urls[1] ?? '').searchParams.get('page')).toBe('2');
  });

  it('stops paging when the daily quota runs low', async () => {
    const ctx: FetchContext = {
      http: fakeHttp({ ...PAGE_1, quota_remaining: 3 }, []),
      log: silent,
      now: () => new Date(),
    };
    const r = await stackexchangeSource.fetch(config, null, ctx);
    expect(r.items).toHaveLength(3);
    expect(r.more).toBe(false);
  });

  it('maps sites to their hosts', () => {
    expect(siteHost('stackoverflow')).toBe('stackoverflow.com');
    expect(siteHost('math')).toBe('math.stackexchange.com');
    expect(siteHost('mathoverflow.net')).toBe('mathoverflow.net');
    const item = excerptToItem(
      {
        item_type: 'question',
        question_id: 5,
        creation_date: 1,
        title: 'A &amp; B',
        owner: { display_name: 'Ana P&eacute;rez' },
      },
      'ux',
    );
    expect(item).toMatchObject({
      externalId: 'q5',
      url: 'https://ux.stackexchange.com/q/5',
      title: 'A & B',
      author: { name: 'Ana Pérez' },
    });
  });

  const RECORDED = sharedFixture('stackexchange/stackapi_users-associated.json');
  it.skipIf(!existsSync(RECORDED) && !process.env.CI)('reads the envelope of a real recorded answer', () => {
    const wrapper = parseWrapper(JSON.parse(readFileSync(RECORDED, 'utf8')), 'http://x');
    expect(wrapper.items.length).toBeGreaterThan(0);
    expect(typeof wrapper.has_more).toBe('boolean');
    expect(wrapper.quota_remaining).toBeLessThanOrEqual(wrapper.quota_max ?? 0);
  });
});
