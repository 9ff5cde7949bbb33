import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { type FetchContext, defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { appToken } from './oauth.ts';
import { childToItem, flattenComments, parseListing, parseThread } from './parse.ts';

/**
 * Reddit posts (a search, a subreddit's new posts, or a search inside a subreddit) and comments
 * (the subreddit's comment stream, or the threads of new posts found by a search). Public JSON by
 * default; app-only OAuth when a client id and secret are set. Incremental by fullname: listings
 * are newest first and ids grow, so each listing keeps the newest id seen.
 */

export const redditConfigSchema = z
  .object({
    query: z.string().trim().min(1).max(512).optional().describe('Search words (Reddit search syntax).'),
    subreddit: z
      .string()
      .regex(/^[A-Za-z0-9_]{2,21}$/, 'a subreddit name without r/')
      .optional()
      .describe('Subreddit name without `r/`: its new posts, or with `query` a search restricted to it.'),
    comments: z
      .boolean()
      .default(true)
      .describe(
        'Include comments: the subreddit comment stream, or the threads of new posts a search finds.',
      ),
    commentThreads: z
      .number()
      .int()
      .min(0)
      .max(25)
      .default(5)
      .describe('Search only: most new posts per page whose comment threads are read.'),
    clientId: z
      .string()
      .optional()
      .describe('OAuth app id (a "script" or "web" app at reddit.com/prefs/apps).'),
    clientSecret: z
      .string()
      .optional()
      .describe('OAuth app secret; with `clientId`, uses oauth.reddit.com. Secret.'),
    userAgent: z
      .string()
      .optional()
      .describe('User-Agent Reddit asks for: `<platform>:<app id>:<version> (by /u/<username>)`.'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://www.reddit.com')
      .describe('Public site root.'),
    oauthBaseUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://oauth.reddit.com')
      .describe('OAuth API root, used with app credentials.'),
    limit: z.number().int().min(1).max(100).default(100).describe('Items per request (max 100).'),
    maxPages: z.number().int().min(1).max(10).default(3).describe('Most pages read per listing per poll.'),
  })
  .refine((c) => c.query || c.subreddit, { message: 'set `query`, `subreddit` or both', path: ['query'] })
  .refine((c) => Boolean(c.clientId) === Boolean(c.clientSecret), {
    message: '`clientId` and `clientSecret` go together',
    path: ['clientSecret'],
  });

export type RedditConfig = z.infer<typeof redditConfigSchema>;
type Listing = 'posts' | 'comments';
export interface RedditCursor {
  walks: Partial<Record<Listing, WalkCursor<string>>>;
  /** The listing being read when a poll spans several calls. */
  stage: Listing;
}

function listings(config: RedditConfig): Listing[] {
  return config.comments && config.subreddit && !config.query ? ['posts', 'comments'] : ['posts'];
}

function listingPath(config: RedditConfig, which: Listing): { path: string; query: Record<string, string> } {
  if (which === 'comments') return { path: `r/${config.subreddit}/comments`, query: {} };
  if (config.query && config.subreddit) {
    return {
      path: `r/${config.subreddit}/search`,
      query: { q: config.query, restrict_sr: '1', sort: 'new' },
    };
  }
  if (config.query) return { path: 'search', query: { q: config.query, sort: 'new', type: 'link' } };
  return { path: `r/${config.subreddit}/new`, query: {} };
}

/** GET a Reddit path: public `.json` page, or the OAuth API with a bearer token. */
async function get(
  config: RedditConfig,
  ctx: FetchContext,
  path: string,
  query: Record<string, string | number>,
) {
  const headers: Record<string, string> = config.userAgent ? { 'User-Agent': config.userAgent } : {};
  let url: string;
  if (config.clientId && config.clientSecret) {
    const token = await appToken(
      ctx.http,
      config.baseUrl,
      config.clientId,
      config.clientSecret,
      ctx.now().getTime(),
    );
    headers.Authorization = `Bearer ${token}`;
    url = apiUrl(config.oauthBaseUrl, path, { ...query, raw_json: 1 });
  } else {
    url = apiUrl(config.baseUrl, `${path}.json`, { ...query, raw_json: 1 });
  }
  return ctx.http.json({ url, headers });
}

export const redditSource = defineSource<RedditConfig, RedditCursor>({
  id: 'reddit',
  name: 'Reddit',
  description:
    'Posts and comments from a Reddit search or subreddit (public JSON, or app-only OAuth with client credentials).',
  configSchema: redditConfigSchema,
  secretFields: ['clientSecret'],
  example: {
    query: 'acme',
    subreddit: 'sysadmin',
    comments: true,
    commentThreads: 5,
    baseUrl: 'https://www.reddit.com',
    oauthBaseUrl: 'https://oauth.reddit.com',
    limit: 100,
    maxPages: 3,
  },
  defaultIntervalSeconds: 900,

  async fetch(config, cursor, ctx) {
    const order = listings(config);
    const stage = cursor && order.includes(cursor.stage) ? cursor.stage : (order[0] as Listing);
    const walk = cursor?.walks[stage] ?? null;
    const after = pageToRead(walk, '');
    const { path, query } = listingPath(config, stage);
    const res = await get(config, ctx, path, { ...query, limit: config.limit, ...(after ? { after } : {}) });
    const listing = parseListing(res.data, res.url);
    const entries = listing.data.children.flatMap((child) => {
      const item = childToItem(child, res.url);
      // Fullname without its kind prefix: base-36 ids that grow with time.
      return item ? [{ item, key: item.externalId.replace(/^t\d_/, '') }] : [];
    });
    const step = walkStep(walk, { entries, next: listing.data.after ?? undefined }, config.maxPages);
    const items: SourceItem[] = [...step.items];

    if (stage === 'posts' && config.comments && config.query) {
      // A search finds posts; their discussions are where customers answer each other.
      const threads = step.items.filter((i) => ((i.engagement?.replies ?? 0) as number) > 0);
      for (const post of threads.slice(0, config.commentThreads)) {
        const id = post.externalId.replace(/^t3_/, '');
        const thread = await get(config, ctx, `comments/${id}`, { sort: 'new', limit: 200 });
        items.push(...flattenComments(parseThread(thread.data, thread.url).comments, thread.url));
      }
    }

    const walks = { ...cursor?.walks, [stage]: step.nextCursor ?? undefined };
    if (step.more) return { items, nextCursor: { walks, stage }, more: true };
    const nextStage = order[order.indexOf(stage) + 1];
    if (nextStage) return { items, nextCursor: { walks, stage: nextStage }, more: true };
    return { items, nextCursor: { walks, stage: order[0] as Listing }, more: false };
  },
});
