import { TrustwatchError } from '../../src/core/errors.ts';
import { redactUrl } from '../../src/core/redact-url.ts';
import { type CharsetSource, decodeFeedBytes } from './charset.ts';
import { parseJsonFeed } from './json-feed.ts';
import { FeedSyntaxError, type ParsedFeed } from './parsed-feed.ts';
import { parseXmlFeed } from './xml-feed.ts';

/**
 * The feed pipeline, as in miniflux: bytes -> format detection -> charset decoding -> parsing ->
 * SourceItems. Pure apart from the parser; every refusal is a FEED_MALFORMED naming the url.
 */

export interface FeedParseResult extends ParsedFeed {
  encoding: string;
  encodingSource: CharsetSource;
}

/** JSON or XML, from the first meaningful byte (Content-Type headers are too often wrong). */
export function detectFormat(bytes: Uint8Array): 'json' | 'xml' | 'unknown' {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  // UTF-16 documents (BOM or not) are XML in practice; JSON Feed must be UTF-8.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'xml';
  if (bytes[0] === 0x00 || bytes[1] === 0x00) return 'xml';
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  if (bytes[i] === 0x7b) return 'json';
  if (bytes[i] === 0x3c) return 'xml';
  return 'unknown';
}

export async function parseFeed(
  bytes: Uint8Array,
  meta: { url: string; contentType?: string | null | undefined },
): Promise<FeedParseResult> {
  const safeUrl = redactUrl(meta.url);
  const malformed = (reason: string, cause?: unknown) =>
    new TrustwatchError('FEED_MALFORMED', `${safeUrl}: not a usable feed: ${reason}`, {
      cause,
      details: { url: safeUrl },
    });

  if (bytes.byteLength === 0) throw malformed('empty document');
  const format = detectFormat(bytes);
  if (format === 'unknown') throw malformed('neither XML nor JSON (does not start with "<" or "{")');
  const decoded = decodeFeedBytes(bytes, meta.contentType);
  try {
    const parsed =
      format === 'json' ? parseJsonFeed(decoded.text, meta.url) : await parseXmlFeed(decoded.text, meta.url);
    return { ...parsed, encoding: decoded.encoding, encodingSource: decoded.source };
  } catch (err) {
    if (err instanceof FeedSyntaxError) throw malformed(err.message, err);
    // rss-parser can also fail with a TypeError on structurally odd documents.
    throw malformed(err instanceof Error ? err.message : String(err), err);
  }
}
