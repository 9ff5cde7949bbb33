import { expect } from 'vitest';
import { findExchange, readVcrCassette } from '../../test/contract/cassettes.ts';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { mastodonSource } from './adapter.ts';

const CASSETTE = sharedFixture('mastodon/mastodonpy_hashtag-timeline.vcr.yaml');
const PAGE_2 = ownFixture('mastodon/tag-hoot-page2.json');
const TOKEN = 'masto-token-5ce8b1';

describeSourceContract({
  adapter: mastodonSource,
  fixtures: [CASSETTE, PAGE_2],
  secrets: [TOKEN],
  config: (instance) => ({
    instance,
    hashtag: '#hoot',
    accessToken: TOKEN,
    localOnly: false,
    limit: 40,
    maxPages: 5,
  }),
  serve(req) {
    if (req.path !== '/api/v1/timelines/tag/hoot') return undefined;
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'token' } };
    if (req.query.get('max_id') === '117020593741189701') return { body: readJson(PAGE_2) };
    const recorded = findExchange(readVcrCassette(CASSETTE), 'GET', '/api/v1/timelines/tag/hoot');
    return { body: recorded.body, headers: { link: recorded.headers.link ?? '' } };
  },
  incrementalRequest: (req) => req.query.get('since_id') === '117020593741189701',
  checkFirstPage(items) {
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      externalId: '117020593741189701',
      contentType: 'html',
      author: { handle: 'mastodonpy_test_2' },
    });
    expect(items[0]?.content).toContain('#<span>hoot</span>');
  },
});
