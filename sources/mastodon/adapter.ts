import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { nextMaxId, parseSearch, parseStatuses, statusToItem } from './parse.ts';

/**
 * Mastodon posts on one instance: a hashtag timeline (public, no token) or a full-text status
 * search (needs an access token; most instances only index opted-in posts). Incremental by status
 * id: ids are time-ordered snowflakes, so the newest id seen is the mark (`since_id`).
 */

export const mastodonConfigSchema = z
  .object({
    instance: z
      .url({ protocol: /^https?$/ })
      .describe('Instance root URL, e.g. `https://mastodon.social` (or a self-hosted one).'),
    hashtag: z
      .string()
      .regex(/^#?[\p{L}\p{N}_]+$/u, 'a hashtag without spaces')
      .transform((t) => t.replace(/^#/, ''))
      .optional()
      .describe('Hashtag to follow, with or without `#`.'),
    query: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('Status search words (needs `accessToken`).'),
    accessToken: z
      .string()
      .optional()
      .describe('Access token of an app on the instance (scope `read:search`, or `read`). Secret.'),
    localOnly: z.boolean().default(false).describe('Hashtag only: posts of this instance only.'),
    limit: z.number().int().min(1).max(40).default(40).describe('Statuses per request (max 40).'),
    maxPages: z.number().int().min(1).max(20).default(5).describe('Most pages read per poll.'),
  })
  .refine((c) => Boolean(c.hashtag) !== Boolean(c.query), {
    message: 'set exactly one of `hashtag` and `query`',
    path: ['hashtag'],
  })
  .refine((c) => !c.query || c.accessToken, { message: 'search needs `accessToken`', path: ['accessToken'] });

export type MastodonConfig = z.infer<typeof mastodonConfigSchema>;
export type MastodonCursor = WalkCursor<string>;

export const mastodonSource = defineSource<MastodonConfig, MastodonCursor>({
  id: 'mastodon',
  name: 'Mastodon',
  description: 'Posts of a hashtag timeline, or (with a token) a status search, on a Mastodon instance.',
  configSchema: mastodonConfigSchema,
  secretFields: ['accessToken'],
  example: { instance: 'https://mastodon.social', hashtag: 'acme', localOnly: false, limit: 40, maxPages: 5 },
  defaultIntervalSeconds: 600,

  async fetch(config, cursor, ctx) {
    const maxId = pageToRead(cursor, '');
    const paging = {
      limit: config.limit,
      max_id: maxId || undefined,
      // The API drops what we already have; walkStep drops it again if an old server does not.
      since_id: maxId ? undefined : (cursor?.mark ?? undefined),
    };
    const headers: Record<string, string> = config.accessToken
      ? { Authorization: `Bearer ${config.accessToken}` }
      : {};
    let statuses: ReturnType<typeof parseStatuses>;
    let next: string | undefined;
    if (config.hashtag) {
      const url = apiUrl(config.instance, `api/v1/timelines/tag/${encodeURIComponent(config.hashtag)}`, {
        ...paging,
        local: config.localOnly ? 'true' : undefined,
      });
      const res = await ctx.http.json({ url, headers });
      statuses = parseStatuses(res.data, res.url);
      next = nextMaxId(res.headers.get('link'));
    } else {
      const url = apiUrl(config.instance, 'api/v2/search', {
        q: config.query,
        type: 'statuses',
        resolve: 'false',
        ...paging,
      });
      const res = await ctx.http.json({ url, headers });
      statuses = parseSearch(res.data, res.url);
      // Search has no Link header: a full page means there may be older results.
      next = statuses.length >= config.limit ? statuses.at(-1)?.id : undefined;
    }
    // Keyed by the timeline entry's own id (a boost's id is newer than the boosted post's).
    const entries = statuses.map((s) => ({ item: statusToItem(s), key: s.id }));
    return walkStep(cursor, { entries, next }, config.maxPages);
  },
});
