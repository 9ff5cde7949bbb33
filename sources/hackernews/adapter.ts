import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { hitToItem, parseSearchResponse } from './parse.ts';

/**
 * Hacker News stories and comments matching a search, through the public Algolia HN API
 * (`search_by_date`, newest first). No account needed. Incremental by `created_at_i`: each poll asks
 * for `numericFilters=created_at_i>=MARK` and walks back page by page until it reaches known items.
 */

export const hackernewsConfigSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('Search words, as typed in hn.algolia.com (e.g. `acme`).'),
  tags: z
    .string()
    .default('(story,comment)')
    .describe(
      'Algolia tag filter: `story`, `comment`, `(story,comment)`, `ask_hn`, `show_hn`, `author_NAME`...',
    ),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://hn.algolia.com/api/v1')
    .describe('API root; change only for a mirror or a test server.'),
  hitsPerPage: z.number().int().min(1).max(1000).default(50).describe('Results per request (max 1000).'),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .describe('Most pages read per poll; on the first poll this bounds the backfill.'),
});

export type HackernewsConfig = z.infer<typeof hackernewsConfigSchema>;
export type HackernewsCursor = WalkCursor<number>;

export const hackernewsSource = defineSource<HackernewsConfig, HackernewsCursor>({
  id: 'hackernews',
  name: 'Hacker News',
  description: 'Stories and comments matching a search, via the Algolia HN search API (no account needed).',
  configSchema: hackernewsConfigSchema,
  secretFields: [],
  example: {
    query: 'acme',
    tags: '(story,comment)',
    baseUrl: 'https://hn.algolia.com/api/v1',
    hitsPerPage: 50,
    maxPages: 5,
  },
  defaultIntervalSeconds: 600,

  async fetch(config, cursor, ctx) {
    const page = pageToRead(cursor, 0);
    const url = apiUrl(config.baseUrl, 'search_by_date', {
      query: config.query,
      tags: config.tags,
      hitsPerPage: config.hitsPerPage,
      page,
      // Inclusive: items sharing the mark's second are told apart by id in walkStep.
      numericFilters: cursor?.mark ? `created_at_i>=${cursor.mark}` : undefined,
    });
    const res = await ctx.http.json({ url });
    const body = parseSearchResponse(res.data, res.url);
    const entries = body.hits.map((hit) => ({ item: hitToItem(hit), key: String(hit.created_at_i) }));
    const next = body.page + 1 < body.nbPages && body.hits.length > 0 ? body.page + 1 : undefined;
    return walkStep(cursor, { entries, next }, config.maxPages);
  },
});
