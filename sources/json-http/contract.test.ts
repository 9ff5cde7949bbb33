import { expect } from 'vitest';
import { readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { jsonHttpSource } from './adapter.ts';

/**
 * json-http against real recorded JSON: three Algolia HN search responses from the shared
 * fixtures, served as pages 0, 1 and 2 of one endpoint (then an empty page), the way a user would
 * point json-http at any paginated JSON API.
 */

const RECORDED = sharedFixture('hackernews/hn-api_algolia-26-responses-full-pages.json');
const PAGES = [
  '/api/v1/search_by_date?tags=comment',
  '/api/v1/search_by_date?tags=comment%2Cauthor_pg',
  '/api/v1/search_by_date?tags=story%2Cauthor_pg',
];
const TOKEN = 'json-http-contract-token-zz9';

describeSourceContract({
  adapter: jsonHttpSource,
  fixtures: [RECORDED],
  secrets: [TOKEN],
  config: (baseUrl) => ({
    url: `${baseUrl}/search_by_date?tags=comment`,
    headers: { Authorization: `Bearer ${TOKEN}` },
    itemsPath: 'hits',
    fields: {
      id: 'objectID',
      text: ['comment_text', 'story_text', 'title'],
      title: ['story_title', 'title'],
      url: ['story_url', 'url'],
      authorHandle: 'author',
      publishedAt: 'created_at',
      parentId: 'parent_id',
      threadId: 'story_id',
      likes: 'points',
    },
    textFormat: 'html',
    pagination: { type: 'page', param: 'page', start: 0 },
  }),
  serve(req) {
    if (req.path !== '/search_by_date' || req.headers.authorization !== `Bearer ${TOKEN}`) return undefined;
    const page = Number(req.query.get('page') ?? 0);
    if (page >= PAGES.length) return { body: { hits: [], page, nbPages: PAGES.length } };
    const pairs = readJson<{ url: string; reply: unknown }[]>(RECORDED);
    return { body: pairs.find((p) => p.url === PAGES[page])?.reply };
  },
  checkFirstPage(items) {
    expect(items).toHaveLength(20);
    expect(items[0]).toMatchObject({
      externalId: expect.stringMatching(/^\d+$/),
      contentType: 'html',
      author: { handle: 'aagha' },
    });
    expect(items[0]?.publishedAt).toEqual(new Date('2014-06-05T03:30:03.000Z'));
    expect(items.every((i) => i.threadId && i.parentId)).toBe(true);
  },
});
