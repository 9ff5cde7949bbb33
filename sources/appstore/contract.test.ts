import { expect } from 'vitest';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { appstoreSource } from './adapter.ts';

const PAGE_1 = sharedFixture('appstore/sanderdekoning_customerreviews-nl.json');
const PAGE_2 = ownFixture('appstore/customerreviews-nl-page2.json');

describeSourceContract({
  adapter: appstoreSource,
  fixtures: [PAGE_1, PAGE_2],
  config: (baseUrl) => ({ appId: 'id474495017', country: 'NL', baseUrl }),
  serve(req) {
    const m = /^\/nl\/rss\/customerreviews\/page=(\d+)\/id=474495017\/sortby=mostrecent\/json$/.exec(
      req.path,
    );
    if (m?.[1] === '1') return { body: readJson(PAGE_1) };
    if (m?.[1] === '2') return { body: readJson(PAGE_2) };
    return undefined;
  },
  checkFirstPage(items) {
    expect(items).toHaveLength(50);
    for (const item of items) {
      expect(item.rating).toBeGreaterThanOrEqual(1);
      expect(item.rating).toBeLessThanOrEqual(5);
      expect(item.ratingScale).toBe(5);
    }
    expect(items[0]).toMatchObject({ externalId: '9571111689', rating: 1, author: { name: 'Tony18Jr' } });
    expect(items[0]?.publishedAt).toEqual(new Date('2023-02-01T12:06:45Z'));
  },
});
