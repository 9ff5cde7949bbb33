import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { excerptToItem, parseExcerpts } from './parse.ts';

/**
 * Questions and answers matching a search on one Stack Exchange site (`/2.3/search/excerpts`,
 * newest first), incremental by `creation_date` (sent as `fromdate`). The API's `backoff` field is
 * a promise we must keep: no call to the same method before it has passed, even across polls.
 */

export const stackexchangeConfigSchema = z.object({
  query: z.string().trim().min(1).max(500).describe('Free-text search (`q`), e.g. `acme api`.'),
  site: z
    .string()
    .regex(/^[a-z0-9.-]+$/)
    .default('stackoverflow')
    .describe('Site id as in the API (`stackoverflow`, `superuser`, `math`...) or its domain.'),
  tagged: z
    .string()
    .optional()
    .describe('Only items tagged with these tags, separated by `;` (e.g. `acme;api`).'),
  key: z
    .string()
    .optional()
    .describe('Stack Apps key: raises the daily quota from 300 to 10,000 requests per IP. Secret.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.stackexchange.com/2.3')
    .describe('API root; change only for a test server.'),
  pageSize: z.number().int().min(1).max(100).default(50).describe('Items per request (max 100).'),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(25)
    .default(3)
    .describe('Most pages read per poll (each costs quota).'),
});

export type StackexchangeConfig = z.infer<typeof stackexchangeConfigSchema>;
export interface StackexchangeCursor extends WalkCursor<number> {
  /** ISO time before which the API asked us (with `backoff`) not to call again. */
  notBefore?: string | undefined;
}

/** Below this many requests left today we stop paging: keep some quota for the next polls. */
const QUOTA_RESERVE = 10;

export const stackexchangeSource = defineSource<StackexchangeConfig, StackexchangeCursor>({
  id: 'stackexchange',
  name: 'Stack Exchange',
  description:
    'Questions and answers matching a search on a Stack Exchange site; honours the API `backoff` and quota.',
  configSchema: stackexchangeConfigSchema,
  secretFields: ['key'],
  example: {
    query: 'acme',
    site: 'stackoverflow',
    baseUrl: 'https://api.stackexchange.com/2.3',
    pageSize: 50,
    maxPages: 3,
  },
  defaultIntervalSeconds: 1800,

  async fetch(config, cursor, ctx) {
    const now = ctx.now();
    if (cursor?.notBefore && now.getTime() < Date.parse(cursor.notBefore)) {
      ctx.log.info({ site: config.site, notBefore: cursor.notBefore }, 'stackexchange: backing off as asked');
      return { items: [], nextCursor: cursor, more: false };
    }
    const page = pageToRead(cursor, 1);
    const url = apiUrl(config.baseUrl, 'search/excerpts', {
      q: config.query,
      tagged: config.tagged,
      site: config.site,
      sort: 'creation',
      order: 'desc',
      filter: 'withbody',
      page,
      pagesize: config.pageSize,
      // fromdate is inclusive; items sharing the mark's second are told apart by id in walkStep.
      fromdate: cursor?.mark ?? undefined,
      key: config.key,
    });
    const res = await ctx.http.json({ url });
    const { wrapper, items } = parseExcerpts(res.data, res.url);
    const entries = items.map((e) => ({ item: excerptToItem(e, config.site), key: String(e.creation_date) }));
    const next = wrapper.has_more ? page + 1 : undefined;
    const step = walkStep(cursor, { entries, next }, config.maxPages);
    const result = { ...step, nextCursor: { ...step.nextCursor } as StackexchangeCursor };
    if (wrapper.backoff !== undefined) {
      result.nextCursor.notBefore = new Date(now.getTime() + wrapper.backoff * 1000).toISOString();
      // Finish this poll here; a pending walk resumes on the next poll, after the backoff.
      result.more = false;
      ctx.log.info(
        { site: config.site, backoffSeconds: wrapper.backoff },
        'stackexchange: API asked to back off',
      );
    }
    if (wrapper.quota_remaining !== undefined && wrapper.quota_remaining < QUOTA_RESERVE && result.more) {
      result.more = false;
      ctx.log.warn(
        { site: config.site, quotaRemaining: wrapper.quota_remaining },
        'stackexchange: quota low',
      );
    }
    return result;
  },
});
