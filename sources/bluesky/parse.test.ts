import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/core/errors.ts';
import type { FetchContext } from '../../src/core/source.ts';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { fakeJsonHttp } from '../../test/helpers/fake-http.ts';
import { blueskyConfigSchema, blueskySource } from './adapter.ts';
import { type PostView, parseAtDate, postToItem } from './parse.ts';

const NAIVE = sharedFixture('bluesky/atproto_post-record-unknown-field-naive-date.json');
const GENERATOR = sharedFixture('bluesky/atproto_feed-generator-record.json');
const haveShared = (existsSync(NAIVE) && existsSync(GENERATOR)) || Boolean(process.env.CI);
const author = { did: 'did:plc:x', handle: 'x.bsky.social' };

describe('bluesky parse', () => {
  it.skipIf(!haveShared)(
    'reads a recorded post record with an unknown field and a zone-less date (as UTC)',
    () => {
      const rec = readJson<{ uri: string; value: Record<string, unknown> }>(NAIVE);
      const item = postToItem({
        uri: rec.uri,
        author,
        record: rec.value,
        indexedAt: '2023-07-21T01:33:52Z',
      } as PostView);
      expect(item).toMatchObject({ content: 'regress test', language: 'en', externalId: rec.uri });
      expect(item?.publishedAt).toEqual(new Date('2023-07-21T01:33:51.481Z'));
      expect(item?.url).toBe('https://bsky.app/profile/x.bsky.social/post/3k2yinh52ne2x');
    },
  );

  it.skipIf(!haveShared)('skips a record that is not a post (a recorded feed generator)', () => {
    const rec = readJson<{ uri?: string; value?: Record<string, unknown> } & Record<string, unknown>>(
      GENERATOR,
    );
    const record = (rec.value ?? rec) as Record<string, unknown>;
    expect(
      postToItem({
        uri: 'at://did:plc:x/app.bsky.feed.generator/a',
        author,
        record,
        indexedAt: '2024-01-01T00:00:00Z',
      } as PostView),
    ).toBeUndefined();
  });

  it('keeps zones that are given', () => {
    expect(parseAtDate('2024-01-01T02:00:00+02:00')).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(parseAtDate('not a date')).toBeUndefined();
  });
});

describe('bluesky session', () => {
  it('starts a new session once when the search answers 401', async () => {
    const calls: string[] = [];
    let searches = 0;
    const page = readJson(ownFixture('bluesky/searchPosts-acme-page2.json'));
    const http = fakeJsonHttp((req) => {
      const path = new URL(req.url).pathname;
      calls.push(`${path} ${req.headers?.Authorization ?? ''}`);
      if (path.endsWith('createSession')) return { did: 'd', accessJwt: `jwt${calls.length}` };
      if (searches++ === 0)
        throw new FetchError('FETCH_HTTP_STATUS', 'HTTP 401', { url: req.url, status: 401 });
      return page;
    });
    const ctx: FetchContext = {
      http,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      now: () => new Date(),
    };
    const config = blueskyConfigSchema.parse({
      query: 'q',
      identifier: 'me.example.com',
      appPassword: 'pw-1',
      baseUrl: 'http://127.0.0.1:9',
    });
    const r = await blueskySource.fetch(config, null, ctx);
    expect(r.items).toHaveLength(2);
    expect(calls).toEqual([
      '/xrpc/com.atproto.server.createSession ',
      '/xrpc/app.bsky.feed.searchPosts Bearer jwt1',
      '/xrpc/com.atproto.server.createSession ',
      '/xrpc/app.bsky.feed.searchPosts Bearer jwt3',
    ]);
  });
});
