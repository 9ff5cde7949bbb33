import { z } from 'zod';
import { TrustwatchError } from '../../src/core/errors.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { redactUrl } from '../../src/core/redact-url.ts';
import { type FetchResult, defineSource } from '../../src/core/source.ts';
import { type FieldPaths, mapItem, pick } from './mapping.ts';

/**
 * Generic JSON over HTTP: any API or export endpoint that returns a JSON list of things people
 * said, mapped to mentions with a field mapping. Covers in-house APIs, review platforms without a
 * dedicated adapter, and "JSON bridges". Pagination by next-page token/URL or page number;
 * incremental by the newest date seen (sent upstream with `since` when the API takes it) and by the
 * ids of recent items, so a poll never returns an item twice.
 */

const path = z.union([z.string().trim(), z.array(z.string().trim()).min(1)]);
const optionalPath = (what: string) =>
  path.optional().describe(`Path to ${what} in each item (dots; a list takes the first present).`);

export const jsonHttpConfigSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .describe(
        'Endpoint URL, with its fixed query parameters (e.g. `https://api.example.com/reviews?product=42`).',
      ),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'not a header name'), z.string())
      .optional()
      .describe(
        'Extra request headers, e.g. `{"Authorization": "Bearer ..."}`. Secret: masked in the API and logs.',
      ),
    itemsPath: z
      .string()
      .trim()
      .default('')
      .describe(
        'Path to the items array in the response (`data.items`); empty when the response is the array.',
      ),
    fields: z
      .object({
        id: path.describe(
          'Path to a stable item id (required; items without one are skipped with a warning).',
        ),
        text: optionalPath('the body text'),
        title: optionalPath('the title'),
        url: optionalPath('the item link (relative links resolve against the endpoint)'),
        authorName: optionalPath('the author display name'),
        authorHandle: optionalPath('the author handle'),
        authorUrl: optionalPath('the author profile link'),
        publishedAt: optionalPath('the date (ISO 8601 or epoch seconds/ms)'),
        rating: optionalPath('a star rating or score'),
        language: optionalPath('an ISO 639-1 language code'),
        parentId: optionalPath('the id of the item this one replies to'),
        threadId: optionalPath('the id of the thread root'),
        likes: optionalPath('a like count'),
        replies: optionalPath('a reply count'),
        shares: optionalPath('a share count'),
      })
      .describe('Where each mention field is found in an item.'),
    textFormat: z
      .enum(['text', 'html'])
      .default('text')
      .describe('Whether the text field is plain text or HTML (HTML is stripped in the pipeline).'),
    ratingScale: z.number().positive().optional().describe('Scale of the rating field (default 5).'),
    pagination: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('none') }),
        z.object({
          type: z.literal('cursor'),
          nextPath: z.string().trim().min(1).describe('Path to the next-page token or URL in the response.'),
          param: z
            .string()
            .trim()
            .min(1)
            .optional()
            .describe(
              'Query parameter that takes the token; without it the value at nextPath is the next URL.',
            ),
        }),
        z.object({
          type: z.literal('page'),
          param: z.string().trim().min(1).describe('Query parameter holding the page number.'),
          start: z.number().int().min(0).default(1).describe('Number of the first page (0 or 1).'),
        }),
      ])
      .default({ type: 'none' })
      .describe(
        'How to reach further pages: `none`, `cursor` (next token or URL from the response) or `page` (page numbers). Paging stops at an empty page, a page with nothing new, or no next token.',
      ),
    since: z
      .object({
        param: z.string().trim().min(1).describe('Query parameter that takes the newest date seen so far.'),
        format: z
          .enum(['iso', 'epoch-seconds', 'epoch-ms'])
          .default('iso')
          .describe('How the date is written.'),
      })
      .optional()
      .describe('Ask the API for items newer than the last poll (needs fields.publishedAt).'),
  })
  .refine((c) => !c.since || c.fields.publishedAt !== undefined, {
    message: 'since needs fields.publishedAt: the newest date seen is what is sent',
    path: ['since'],
  });

export type JsonHttpConfig = z.infer<typeof jsonHttpConfigSchema>;

/** Ids remembered to recognise items already returned. */
const RECENT_IDS = 1000;

export interface JsonHttpCursor {
  /** Newest item date of the last finished poll (ISO), and the ids carrying exactly that date. */
  since: string | null;
  /** Ids of recently returned items, newest last (bounded). */
  recentIds: string[];
  /** Set while paging: the next page's URL, and the newest date seen so far in this pass. */
  nextUrl?: string | undefined;
  pendingSince?: string | null | undefined;
}

function sinceValue(iso: string, format: 'iso' | 'epoch-seconds' | 'epoch-ms'): string {
  const ms = Date.parse(iso);
  if (format === 'epoch-ms') return String(ms);
  if (format === 'epoch-seconds') return String(Math.floor(ms / 1000));
  return new Date(ms).toISOString();
}

function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.href;
}

function describeType(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function newest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The first page's URL for a new pass: the endpoint, plus the `since` and first-page parameters. */
function firstPageUrl(config: JsonHttpConfig, since: string | null): string {
  let url = config.url;
  if (config.since && since) url = withParam(url, config.since.param, sinceValue(since, config.since.format));
  if (config.pagination.type === 'page') {
    url = withParam(url, config.pagination.param, String(config.pagination.start));
  }
  return url;
}

/** The URL after `current`, or undefined when the response says there is none. */
function nextPageUrl(
  config: JsonHttpConfig,
  current: string,
  body: unknown,
  finalUrl: string,
): string | undefined {
  const p = config.pagination;
  if (p.type === 'page') {
    const n = Number(new URL(current).searchParams.get(p.param) ?? p.start);
    return withParam(current, p.param, String(n + 1));
  }
  if (p.type === 'cursor') {
    const token = pick(body, p.nextPath);
    if (typeof token !== 'string' && typeof token !== 'number') return undefined;
    if (p.param) return withParam(current, p.param, String(token));
    try {
      const next = new URL(String(token), finalUrl);
      return next.protocol === 'http:' || next.protocol === 'https:' ? next.href : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const jsonHttpSource = defineSource<JsonHttpConfig, JsonHttpCursor>({
  id: 'json-http',
  name: 'JSON over HTTP',
  description:
    'Polls any JSON API or export URL and maps its items to mentions with a field mapping; optional secret headers, pagination and incremental `since`.',
  configSchema: jsonHttpConfigSchema,
  secretFields: ['headers'],
  example: {
    url: 'https://reviews.example.com/api/v2/reviews?product=acme-router',
    headers: { Authorization: 'Bearer YOUR-API-TOKEN' },
    itemsPath: 'data.reviews',
    fields: {
      id: 'id',
      text: 'body',
      title: 'headline',
      url: 'links.self',
      authorName: 'reviewer.name',
      publishedAt: 'created_at',
      rating: 'stars',
    },
    textFormat: 'text',
    pagination: { type: 'cursor', nextPath: 'meta.next_cursor', param: 'cursor' },
    since: { param: 'created_after', format: 'iso' },
  },
  defaultIntervalSeconds: 900,
  async fetch(config, cursor, ctx): Promise<FetchResult<JsonHttpCursor>> {
    const since = cursor?.since ?? null;
    const recent = new Set(cursor?.recentIds ?? []);
    const url = cursor?.nextUrl ?? firstPageUrl(config, since);
    const res = await ctx.http.json<unknown>({
      url,
      ...(config.headers ? { headers: config.headers } : {}),
    });
    const safeUrl = redactUrl(url);
    const list = config.itemsPath === '' ? res.data : pick(res.data, config.itemsPath);
    if (!Array.isArray(list)) {
      throw new TrustwatchError(
        'FEED_MALFORMED',
        `${safeUrl}: expected an array of items at ${config.itemsPath ? `"${config.itemsPath}"` : 'the top level'} of the JSON response, found ${describeType(list)}`,
        { details: { url: safeUrl, itemsPath: config.itemsPath } },
      );
    }

    const items: SourceItem[] = [];
    const warnings: string[] = [];
    let pageNewest = cursor?.pendingSince ?? null;
    let withoutId = 0;
    for (const raw of list) {
      const item = mapItem(raw, config.fields as FieldPaths, {
        baseUrl: res.url,
        textFormat: config.textFormat,
        ratingScale: config.ratingScale,
      });
      if (!item) {
        withoutId++;
        continue;
      }
      const date = item.publishedAt instanceof Date ? item.publishedAt.toISOString() : undefined;
      // Older than the last pass's newest item, or an id we returned recently: already seen.
      if (recent.has(item.externalId)) continue;
      if (date && since && Date.parse(date) < Date.parse(since)) continue;
      recent.add(item.externalId);
      items.push(item);
      pageNewest = newest(pageNewest, date);
    }
    if (withoutId > 0) {
      warnings.push(`${withoutId} item(s) at ${safeUrl} had no value at fields.id and were skipped`);
    }

    // Another page only while this one brought something new: a newest-first API reaching items we
    // already have, an empty page, or an API that ignores the page parameter all end the pass.
    const next =
      list.length > 0 && items.length > 0 ? nextPageUrl(config, url, res.data, res.url) : undefined;
    const more = next !== undefined && next !== url;
    const recentIds = [...recent].slice(-RECENT_IDS);
    const nextCursor: JsonHttpCursor = more
      ? { since, recentIds, nextUrl: next, pendingSince: pageNewest }
      : { since: newest(since, pageNewest), recentIds };
    ctx.log.debug({ url: safeUrl, items: items.length, listed: list.length, more }, 'json-http page');
    return Object.assign({ items, nextCursor, more }, warnings.length > 0 ? { warnings } : {});
  },
});
