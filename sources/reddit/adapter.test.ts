import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FetchContext, HttpClient, HttpRequest } from '../../src/core/source.ts';
import { sharedFixture } from '../../test/contract/fixtures.ts';
import { fakeJsonHttp } from '../../test/helpers/fake-http.ts';
import { redditConfigSchema, redditSource } from './adapter.ts';
import { flattenComments, parseThread, postToItem } from './parse.ts';

const THREAD = sharedFixture('reddit/praw_submission-comments.betamax.json');
const haveThread = existsSync(THREAD) || Boolean(process.env.CI);

function threadBody(): unknown {
  const cassette = JSON.parse(readFileSync(THREAD, 'utf8'));
  return JSON.parse(cassette.interactions[1].response.body.string);
}

function fakeHttp(answer: (req: HttpRequest) => unknown, seen: HttpRequest[]): HttpClient {
  return fakeJsonHttp(answer, (req) => seen.push(req));
}
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('reddit', () => {
  it('rejects a config with neither query nor subreddit, or half the app credentials', () => {
    expect(redditConfigSchema.safeParse({}).success).toBe(false);
    expect(redditConfigSchema.safeParse({ query: 'acme', clientId: 'x' }).success).toBe(false);
    expect(redditConfigSchema.safeParse({ query: 'acme' }).success).toBe(true);
  });

  it.skipIf(!haveThread)('flattens a recorded comment thread (nested replies, `more` stubs skipped)', () => {
    const { post, comments } = parseThread(threadBody(), 'http://x');
    const items = flattenComments(comments, 'http://x');
    expect(items.length).toBeGreaterThan(1);
    const ids = new Set(items.map((i) => i.externalId));
    expect(ids.size).toBe(items.length);
    for (const c of items) {
      expect(c.externalId).toMatch(/^t1_/);
      expect(c.threadId).toBe(post.data.children[0]?.data.name);
      expect(c.parentId).toMatch(/^t[13]_/);
    }
    // At least one reply to a comment: the tree was walked, not just its top level.
    expect(items.some((c) => c.parentId?.startsWith('t1_') && ids.has(c.parentId))).toBe(true);
  });

  it.skipIf(!haveThread)(
    'search mode, public JSON: .json pages, no auth, comment threads of new posts',
    async () => {
      const seen: HttpRequest[] = [];
      const thread = threadBody() as { data: { children: { data: Record<string, unknown> }[] } }[];
      const postData = thread[0]?.data.children[0]?.data ?? {};
      const http = fakeHttp((req) => {
        if (new URL(req.url).pathname.startsWith('/comments/')) return thread;
        return { kind: 'Listing', data: { after: null, children: [{ kind: 't3', data: postData }] } };
      }, seen);
      const ctx: FetchContext = { http, log: silent, now: () => new Date() };
      const config = redditConfigSchema.parse({
        query: 'praw',
        baseUrl: 'http://127.0.0.1:9',
        userAgent: 'linux:tw:1.0 (by /u/me)',
      });
      const r = await redditSource.fetch(config, null, ctx);
      expect(seen.map((s) => new URL(s.url).pathname)).toEqual([
        '/search.json',
        `/comments/${postData.id}.json`,
      ]);
      expect(new URL(seen[0]?.url ?? '').searchParams.get('q')).toBe('praw');
      expect(seen[0]?.headers).toEqual({ 'User-Agent': 'linux:tw:1.0 (by /u/me)' });
      expect(r.items[0]).toEqual(postToItem(postData, 'x'));
      expect(r.items.slice(1).every((i) => i.externalId.startsWith('t1_'))).toBe(true);
      expect(r.items.length).toBeGreaterThan(2);
      expect(r.more).toBe(false);
    },
  );
});
