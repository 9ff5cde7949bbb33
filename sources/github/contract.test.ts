import { expect } from 'vitest';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { githubSource } from './adapter.ts';

const RECORDED = sharedFixture('github/octokit_search-issues.normalized.json');
const PAGE_2 = ownFixture('github/search-issues-sesame-page2.json');
const COMMENTS: Record<string, string> = {
  '1': ownFixture('github/issue-1-comments.json'),
  '2': ownFixture('github/issue-2-comments.json'),
};
const TOKEN = 'ghp_contractTestToken0000000000000000001';
const QUERY = 'sesame repo:octokit-fixture-org/search-issues';

describeSourceContract({
  adapter: githubSource,
  fixtures: [RECORDED, PAGE_2, ...Object.values(COMMENTS)],
  secrets: [TOKEN],
  config: (baseUrl) => ({ query: QUERY, token: TOKEN, baseUrl, perPage: 2, searchIntervalMs: 0 }),
  serve(req, base) {
    if (req.headers.authorization !== `token ${TOKEN}`)
      return { status: 401, body: { message: 'Bad credentials' } };
    if (req.path === '/search/issues') {
      if (!req.query.get('q')?.startsWith(QUERY) || req.query.get('sort') !== 'updated') return undefined;
      if (req.query.get('page') === '2') return { body: readJson(PAGE_2) };
      const [recorded] = readJson<{ response: unknown }[]>(RECORDED);
      // GitHub pages with a Link header; the recording had a single page, so the link is added.
      return { body: recorded?.response, headers: { link: `<${base}/search/issues?page=2>; rel="next"` } };
    }
    const m = /^\/repos\/octokit-fixture-org\/search-issues\/issues\/(\d+)\/comments$/.exec(req.path);
    const file = m?.[1] ? COMMENTS[m[1]] : undefined;
    return file ? { body: readJson(file) } : undefined;
  },
  incrementalRequest: (req) => /updated:>=2017-10-10T16:00:00Z$/.test(req.query.get('q') ?? ''),
  checkFirstPage(items) {
    const issues = items.filter((i) => !i.parentId);
    expect(issues.map((i) => i.url)).toEqual([
      'https://github.com/octokit-fixture-org/search-issues/issues/2',
      'https://github.com/octokit-fixture-org/search-issues/issues/1',
    ]);
    expect(items.filter((i) => i.parentId)).toHaveLength(4);
    // Issue 2 was opened by an outsider; a member answered 3.5 hours later.
    expect((issues[0]?.raw as { firstMaintainerReply: unknown }).firstMaintainerReply).toEqual({
      at: '2017-10-10T19:30:00Z',
      by: 'octokit-fixture-user-a',
      seconds: 12_600,
    });
    // Issue 1 was opened by a member: no reply time to measure.
    expect(issues[1]?.raw).not.toHaveProperty('firstMaintainerReply');
  },
});
