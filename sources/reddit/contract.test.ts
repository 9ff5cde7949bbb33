import { expect } from 'vitest';
import { ownFixture, readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { redditSource } from './adapter.ts';

const NEW = sharedFixture('reddit/praw_askreddit-new.betamax.json');
const COMMENTS = sharedFixture('reddit/praw_askreddit-comments.betamax.json');
const NEW_2 = ownFixture('reddit/askreddit-new-page2.json');
const COMMENTS_2 = ownFixture('reddit/askreddit-comments-page2.json');
const SECRET = 'reddit-app-secret-9f2a';

interface Cassette {
  interactions: { request: { uri: string }; response: { body: { string: string } } }[];
}

/** The recorded body of the cassette's interaction whose URI contains `part`. */
function recorded(file: string, part: string): string {
  const hit = readJson<Cassette>(file).interactions.find((i) => i.request.uri.includes(part));
  if (!hit) throw new Error(`${file}: no interaction for ${part}`);
  return hit.response.body.string;
}

describeSourceContract({
  adapter: redditSource,
  fixtures: [NEW, COMMENTS, NEW_2, COMMENTS_2],
  secrets: [SECRET],
  config: (baseUrl) => ({
    subreddit: 'askreddit',
    comments: true,
    commentThreads: 5,
    clientId: 'app-id',
    clientSecret: SECRET,
    baseUrl,
    oauthBaseUrl: `${baseUrl}/oauth`,
    limit: 100,
    maxPages: 3,
  }),
  serve(req) {
    if (req.method === 'POST' && req.path === '/api/v1/access_token') {
      const basic = `Basic ${Buffer.from(`app-id:${SECRET}`).toString('base64')}`;
      if (req.headers.authorization !== basic || req.body !== 'grant_type=client_credentials') {
        return { status: 401, body: { error: 401 } };
      }
      return { body: recorded(NEW, 'access_token') };
    }
    if (req.headers.authorization !== 'Bearer <ACCESS_TOKEN>') return { status: 401, body: { error: 401 } };
    const after = req.query.get('after');
    if (req.path === '/oauth/r/askreddit/new') {
      if (after === 't3_48f6io') return { body: readJson(NEW_2) };
      return after ? undefined : { body: recorded(NEW, '/r/askreddit/new') };
    }
    if (req.path === '/oauth/r/askreddit/comments') {
      if (after === 't1_d4y8a9e') return { body: readJson(COMMENTS_2) };
      return after ? undefined : { body: recorded(COMMENTS, '/r/askreddit/comments') };
    }
    return undefined;
  },
  checkFirstPage(items) {
    expect(items).toHaveLength(100);
    expect(items.every((i) => i.externalId.startsWith('t3_') && i.threadId === i.externalId)).toBe(true);
    expect(items[0]?.url).toMatch(/^https:\/\/www\.reddit\.com\/r\/AskReddit\/comments\//);
  },
});
