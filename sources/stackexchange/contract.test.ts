import { expect } from 'vitest';
import { ownFixture, readJson } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { stackexchangeSource } from './adapter.ts';

const PAGES = [1, 2].map((n) => ownFixture(`stackexchange/search-excerpts-acme-page${n}.json`));
const KEY = 'se-app-key-Zq81((';

describeSourceContract({
  adapter: stackexchangeSource,
  fixtures: PAGES,
  secrets: [KEY],
  config: (baseUrl) => ({
    query: 'acme',
    site: 'stackoverflow',
    key: KEY,
    baseUrl,
    pageSize: 3,
    maxPages: 3,
  }),
  serve(req) {
    if (req.path !== '/search/excerpts' || req.query.get('key') !== KEY) return undefined;
    const page = PAGES[Number(req.query.get('page') ?? '1') - 1];
    return page ? { body: readJson(page) } : undefined;
  },
  incrementalRequest: (req) => /^\d+$/.test(req.query.get('fromdate') ?? ''),
  checkFirstPage(items) {
    expect(items.map((i) => i.externalId)).toEqual(['a77010003', 'q77010002', 'q77010001']);
    expect(items[0]).toMatchObject({ parentId: 'q77010001', url: 'https://stackoverflow.com/a/77010003' });
    expect(items[1]?.title).toBe('Acme SDK login fails with "invalid grant"');
  },
});
