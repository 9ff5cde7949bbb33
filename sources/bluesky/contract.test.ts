import { expect } from 'vitest';
import { ownFixture, readJson } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { blueskySource } from './adapter.ts';

const PAGE_1 = ownFixture('bluesky/searchPosts-acme-page1.json');
const PAGE_2 = ownFixture('bluesky/searchPosts-acme-page2.json');
const SESSION = ownFixture('bluesky/createSession.json');
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

describeSourceContract({
  adapter: blueskySource,
  fixtures: [PAGE_1, PAGE_2, SESSION],
  secrets: [APP_PASSWORD],
  config: (baseUrl) => ({
    query: 'acme bank',
    identifier: 'watcher.bsky.social',
    appPassword: APP_PASSWORD,
    baseUrl,
  }),
  serve(req) {
    const session = readJson<{ accessJwt: string }>(SESSION);
    if (req.method === 'POST' && req.path === '/xrpc/com.atproto.server.createSession') {
      const body = JSON.parse(req.body || '{}');
      if (body.identifier !== 'watcher.bsky.social' || body.password !== APP_PASSWORD) {
        return {
          status: 401,
          body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' },
        };
      }
      return { body: session };
    }
    if (req.path !== '/xrpc/app.bsky.feed.searchPosts' || req.query.get('q') !== 'acme bank')
      return undefined;
    if (req.headers.authorization !== `Bearer ${session.accessJwt}`) {
      return { status: 401, body: { error: 'AuthMissing' } };
    }
    return { body: readJson(req.query.get('cursor') === '3' ? PAGE_2 : PAGE_1) };
  },
  incrementalRequest: (req) => req.query.get('since') === '2026-02-28T18:01:13.002Z',
  checkFirstPage(items) {
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({
      url: 'https://bsky.app/profile/mara.bsky.social/post/3lbq3aaaa2k2a',
      author: { handle: 'mara.bsky.social', name: 'Mara' },
      engagement: { likes: 12, replies: 3, shares: 2 },
    });
    expect(items[1]?.parentId).toMatch(/^at:\/\//);
    expect(items[2]?.language).toBe('fr');
  },
});
