import { z } from 'zod';
import { redactUrl } from '../../src/core/redact-url.ts';
import { defineSource } from '../../src/core/source.ts';
import { parseFeed } from './parse-feed.ts';

/**
 * RSS / Atom / JSON Feed source: one feed URL, polled with conditional requests. Covers Google
 * Alerts, news searches, blogs, forums, and every "RSS bridge" for platforms without one.
 */

export const rssConfigSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .describe('Feed URL: RSS 0.9x/1.0/2.0, Atom or JSON Feed (e.g. a Google Alerts feed).'),
  name: z.string().trim().min(1).max(200).optional().describe('Display name; defaults to the feed title.'),
});

export type RssConfig = z.infer<typeof rssConfigSchema>;

/** HTTP validators of the last full response, sent back so an unchanged feed costs a 304. */
export interface RssCursor {
  etag: string | null;
  lastModified: string | null;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

export const rssSource = defineSource<RssConfig, RssCursor>({
  id: 'rss',
  name: 'RSS / Atom / JSON Feed',
  description:
    'Polls one RSS, Atom or JSON Feed URL (Google Alerts, news searches, blogs) with conditional requests.',
  configSchema: rssConfigSchema,
  secretFields: [],
  example: {
    url: 'https://www.google.com/alerts/feeds/00000000000000000000/1234567890',
    name: 'Google Alert: Acme',
  },
  defaultIntervalSeconds: 900,

  async fetch(config, cursor, ctx) {
    const res = await ctx.http.request({
      url: config.url,
      headers: { Accept: ACCEPT },
      etag: cursor?.etag,
      lastModified: cursor?.lastModified,
    });
    const nextCursor: RssCursor = { etag: res.etag, lastModified: res.lastModified };
    if (res.notModified) {
      ctx.log.debug({ url: redactUrl(config.url) }, 'feed not modified');
      return { items: [], nextCursor };
    }
    const feed = await parseFeed(res.body, { url: res.url, contentType: res.headers.get('content-type') });
    ctx.log.debug(
      { url: redactUrl(config.url), format: feed.format, encoding: feed.encoding, items: feed.items.length },
      'feed parsed',
    );
    return { items: feed.items, nextCursor };
  },
});
