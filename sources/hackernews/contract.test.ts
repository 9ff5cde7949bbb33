import { expect } from 'vitest';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { hackernewsSource } from './adapter.ts';

const RECORDED = sharedFixture('hackernews/hn-api_algolia-26-responses-full-pages.json');
const PAGE_1 = ownFixture('hackernews/search_by_date-apple-comment-page1.json');

describeSourceContract({
  adapter: hackernewsSource,
  fixtures: [RECORDED, PAGE_1],
  config: (baseUrl) => ({ query: 'apple', tags: 'comment', baseUrl, hitsPerPage: 20, maxPages: 5 }),
  serve(req) {
    if (req.path !== '/search_by_date' || req.query.get('query') !== 'apple') return undefined;
    if (req.query.get('page') === '1') return { body: readJson(PAGE_1) };
    const pairs = readJson<{ url: string; reply: unknown }[]>(RECORDED);
    const page0 = pairs.find((p) => p.url === '/api/v1/search_by_date?query=apple&tags=comment');
    return page0 && { body: page0.reply };
  },
  incrementalRequest: (req) => /^created_at_i>=\d+$/.test(req.query.get('numericFilters') ?? ''),
  checkFirstPage(items) {
    expect(items).toHaveLength(20);
    for (const item of items) expect(item.url).toMatch(/^https:\/\/news\.ycombinator\.com\/item\?id=\d+$/);
    expect(items.every((i) => i.parentId && i.threadId)).toBe(true);
  },
});
