import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FetchContext, HttpClient, HttpRequest } from '../../src/core/source.ts';
import { findExchange, readVcrCassette } from '../../test/contract/cassettes.ts';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { fakeJsonHttp } from '../../test/helpers/fake-http.ts';
import { mastodonConfigSchema, mastodonSource } from './adapter.ts';
import { type MastodonStatus, nextMaxId, parseStatuses, statusToItem } from './parse.ts';

const SEARCH = sharedFixture('mastodon/mastodonpy_v2-search.vcr.yaml');
const PUBLIC = sharedFixture('mastodon/mastodonpy_public-timeline-anon.vcr.yaml');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function fakeHttp(data: unknown, seen: HttpRequest[]): HttpClient {
  return fakeJsonHttp(
    () => data,
    (req) => seen.push(req),
  );
}

describe('mastodon', () => {
  it('needs exactly one of hashtag and query, and a token to search', () => {
    const instance = 'https://mastodon.example';
    expect(mastodonConfigSchema.safeParse({ instance }).success).toBe(false);
    expect(
      mastodonConfigSchema.safeParse({ instance, hashtag: 'a', query: 'b', accessToken: 't' }).success,
    ).toBe(false);
    expect(mastodonConfigSchema.safeParse({ instance, query: 'acme' }).success).toBe(false);
    expect(mastodonConfigSchema.parse({ instance, hashtag: '#Acme' }).hashtag).toBe('Acme');
  });

  it('reads max_id from the Link header', () => {
    const link =
      '<https://m.example/api/v1/timelines/tag/x?max_id=42>; rel="next", <https://m.example/x?min_id=50>; rel="prev"';
    expect(nextMaxId(link)).toBe('42');
    expect(nextMaxId('<https://m.example/x?min_id=50>; rel="prev"')).toBeUndefined();
    expect(nextMaxId(null)).toBeUndefined();
  });

  it('maps a boost to the boosted post, and a content warning to the title', () => {
    const [post] = readJson<MastodonStatus[]>(ownFixture('mastodon/tag-hoot-page2.json')).slice(1);
    const boost = { ...post, id: '999999999999999999', content: '', reblog: post } as MastodonStatus;
    const item = statusToItem(boost);
    expect(item).toMatchObject({ externalId: post?.id, title: 'app review', language: 'en' });
    expect(item.author).toEqual({
      name: 'owl_fan',
      handle: 'owl_fan@example.social',
      followers: 5,
      url: 'http://localhost:3000/@owl_fan',
    });
  });

  it.skipIf(!existsSync(PUBLIC) && !process.env.CI)(
    'parses every status of a recorded public timeline',
    () => {
      const recorded = findExchange(readVcrCassette(PUBLIC), 'GET', '/api/v1/timelines/public');
      const items = parseStatuses(JSON.parse(recorded.body), 'u').map(statusToItem);
      expect(items).toHaveLength(8);
      for (const i of items) expect(i.content?.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!existsSync(SEARCH) && !process.env.CI)(
    'search: bearer token, type=statuses; a recorded answer without statuses',
    async () => {
      const recorded = findExchange(readVcrCassette(SEARCH), 'GET', 'type=statuses');
      const seen: HttpRequest[] = [];
      const ctx: FetchContext = {
        http: fakeHttp(JSON.parse(recorded.body), seen),
        log: silent,
        now: () => new Date(),
      };
      const config = mastodonConfigSchema.parse({
        instance: 'http://127.0.0.1:9',
        query: 'acme',
        accessToken: 'tok',
      });
      const r = await mastodonSource.fetch(config, null, ctx);
      expect(r).toMatchObject({ items: [], more: false, nextCursor: { mark: null } });
      const url = new URL(seen[0]?.url ?? '');
      expect(url.pathname).toBe('/api/v2/search');
      expect(url.searchParams.get('type')).toBe('statuses');
      expect(seen[0]?.headers).toEqual({ Authorization: 'Bearer tok' });
    },
  );
});
