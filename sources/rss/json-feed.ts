import type { SourceItem } from '../../src/core/mention.ts';
import { contentHashId, languageCode, parseFeedDate, resolveBase, resolveLink, str } from './item-fields.ts';
import { FeedSyntaxError, type ParsedFeed } from './parsed-feed.ts';

/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Small enough to parse by hand; lenient
 * about what does not matter to us (a missing or odd `version`, extension keys, the deprecated
 * singular `author`), strict about what does (it must be a JSON object with an `items` array).
 */

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** First author name: 1.1 `authors[]` wins over the deprecated 1.0 `author`. */
function firstAuthor(owner: Raw, base: string | undefined): { name?: string; url?: string } | undefined {
  const candidates = [...(Array.isArray(owner.authors) ? owner.authors : []), owner.author].filter(isRecord);
  for (const author of candidates) {
    const name = str(author.name);
    const url = resolveLink(author.url, base);
    if (name || url) return { ...(name ? { name } : {}), ...(url ? { url } : {}) };
  }
  return undefined;
}

function adaptItem(raw: Raw, feed: Raw, base: string | undefined): SourceItem {
  const url = resolveLink(raw.url, base) ?? resolveLink(raw.external_url, base);
  const title = str(raw.title);
  const dateRaw = str(raw.date_published) ?? str(raw.date_modified);
  const html = str(raw.content_html);
  const text = str(raw.content_text) ?? str(raw.summary);
  const externalId =
    str(raw.id) ?? url ?? contentHashId(title, dateRaw, title || dateRaw ? undefined : (html ?? text));

  const item: SourceItem = { externalId, raw };
  if (url) item.url = url;
  if (title) item.title = title;
  if (html) {
    item.content = html;
    item.contentType = 'html';
  } else if (text) {
    item.content = text;
    item.contentType = 'text';
  }
  const author = firstAuthor(raw, base) ?? firstAuthor(feed, base);
  if (author) item.author = author;
  const publishedAt = parseFeedDate(dateRaw);
  if (publishedAt) item.publishedAt = publishedAt;
  const language = languageCode(raw.language) ?? languageCode(feed.language);
  if (language) item.language = language;
  return item;
}

export function parseJsonFeed(text: string, baseUrl: string | undefined): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FeedSyntaxError(`invalid JSON (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
  if (!isRecord(doc)) throw new FeedSyntaxError('JSON document is not an object, so not a JSON Feed');
  const version = doc.version;
  if (version !== undefined && typeof version !== 'string') {
    throw new FeedSyntaxError('JSON Feed "version" is not a string');
  }
  if (!Array.isArray(doc.items))
    throw new FeedSyntaxError('JSON document has no "items" array, so not a JSON Feed');
  // Item URLs should be absolute; relative ones resolve against where we fetched the feed.
  const base = baseUrl ?? resolveBase(doc.feed_url, undefined);
  return {
    format: 'jsonfeed',
    title: str(doc.title),
    items: doc.items.filter(isRecord).map((raw) => adaptItem(raw, doc as Raw, base)),
  };
}
