import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { parseReviewsFeed, reviewToItem } from './parse.ts';

/**
 * Apple App Store customer reviews of one app in one country's store, with star ratings, from the
 * public reviews feed (no account). Newest first, up to 10 pages of 50; incremental by the review's
 * `updated` time (an edited review comes back as new content under the same id).
 */

export const appstoreConfigSchema = z.object({
  appId: z
    .string()
    .regex(/^(id)?\d+$/, 'the numeric App Store id (from the app URL: .../id284882215)')
    .transform((id) => id.replace(/^id/, ''))
    .describe('App Store id of the app, e.g. `284882215` (the digits after `id` in its URL).'),
  country: z
    .string()
    .regex(/^[a-zA-Z]{2}$/, 'a two-letter storefront code')
    .transform((c) => c.toLowerCase())
    .default('us')
    .describe('Storefront (ISO 3166 two-letter country code): reviews are per country.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://itunes.apple.com')
    .describe('Feed host; change only for a test server.'),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(10)
    .describe('Most pages (50 reviews each) read per poll.'),
});

export type AppstoreConfig = z.infer<typeof appstoreConfigSchema>;
export type AppstoreCursor = WalkCursor<number>;

export const appstoreSource = defineSource<AppstoreConfig, AppstoreCursor>({
  id: 'appstore',
  name: 'App Store reviews',
  description:
    "Customer reviews and star ratings of an iOS/macOS app in one country's App Store (public feed).",
  configSchema: appstoreConfigSchema,
  secretFields: [],
  example: { appId: '284882215', country: 'us', baseUrl: 'https://itunes.apple.com', maxPages: 10 },
  defaultIntervalSeconds: 3600,

  async fetch(config, cursor, ctx) {
    const page = pageToRead(cursor, 1);
    const url = apiUrl(
      config.baseUrl,
      `${config.country}/rss/customerreviews/page=${page}/id=${config.appId}/sortby=mostrecent/json`,
    );
    const res = await ctx.http.json({ url });
    const { entries, lastPage } = parseReviewsFeed(res.data, res.url);
    const appUrl = `https://apps.apple.com/${config.country}/app/id${config.appId}?see-all=reviews`;
    const items = entries.map((e) => {
      const item = reviewToItem(e, appUrl);
      // ISO in UTC, so that reviews stamped in different offsets compare as text.
      const at = item.publishedAt instanceof Date ? item.publishedAt.toISOString() : e.updated.label;
      return { item, key: at };
    });
    return walkStep(
      cursor,
      { entries: items, next: page < lastPage ? page + 1 : undefined },
      config.maxPages,
    );
  },
});
