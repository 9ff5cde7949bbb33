import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { Author, Engagement, SourceItem } from '../core/mention.ts';

/**
 * Step 1 of the pipeline: turn an adapter's SourceItem into plain, comparable fields.
 * Pure functions; no I/O.
 */

export interface NormalizedItem {
  externalId: string;
  url: string | null;
  canonicalUrl: string | null;
  title: string | null;
  text: string;
  textHash: string;
  author: Author;
  publishedAt: Date;
  /** True when the item had no usable date and `publishedAt` is when we first saw it. */
  publishedAtEstimated: boolean;
  engagement: Engagement;
  rating: number | null;
  ratingScale: number | null;
  parentId: string | null;
  threadId: string | null;
  language: string | null;
  raw: unknown;
}

/** Longest text we keep per mention; the raw payload still has everything. */
export const MAX_TEXT_CHARS = 20_000;

const BLOCK_TAGS =
  /<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|section|article|header|footer|hr)\b[^>]*>/gi;

/** HTML to plain text: drops script/style/comments, keeps block breaks, decodes entities. */
export function htmlToText(html: string): string {
  const withoutHidden = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  const withBreaks = withoutHidden.replace(BLOCK_TAGS, '\n').replace(/<[^>]*>/g, '');
  return cleanText(decodeHTML(withBreaks));
}

/** Collapses runs of spaces, trims lines, removes control characters. */
export function cleanText(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // Control characters (other than tab and newline) break terminals, CSV exports and some parsers.
      .replace(/[^\P{Cc}\t\n]/gu, '')
      .replace(/[ \t\u00A0]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|igshid|ref_src|ref|cmpid|s_cid)$/i;

/**
 * A URL reduced to what identifies the page: lower-case host without `www.`, no fragment, no tracking
 * parameters, sorted query, no trailing slash. Two crossposts of one article share it.
 */
export function canonicalizeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.hostname = u.hostname.toLowerCase().replace(/^www\./, '');
  const kept = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAMS.test(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = new URLSearchParams(kept).toString();
  const path = u.pathname.length > 1 ? u.pathname.replace(/\/+$/, '') : '';
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${path}${u.search}`;
}

/** Text reduced for duplicate detection: lower case, no URLs, no punctuation, single spaces. */
export function textFingerprint(text: string): string {
  const reduced = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{N}#@]+/gu, ' ')
    .trim();
  return createHash('sha256').update(reduced).digest('hex').slice(0, 32);
}

function toDate(value: Date | string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d;
}

function finiteOrUndefined(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Normalizes one item. Returns null when there is nothing to store (no text and no title). */
export function normalizeItem(item: SourceItem, fetchedAt: Date): NormalizedItem | null {
  const rawText = item.content ?? '';
  const text = (item.contentType === 'html' ? htmlToText(rawText) : cleanText(rawText)).slice(
    0,
    MAX_TEXT_CHARS,
  );
  const title = item.title ? htmlToText(item.title).slice(0, 1000) || null : null;
  if (!text && !title) return null;
  const body = text || title || '';
  const publishedAt = toDate(item.publishedAt, fetchedAt);
  const publishedAtEstimated = publishedAt === fetchedAt;
  const handle = cleanText(item.author?.handle ?? '').replace(/^@/, '') || undefined;
  return {
    externalId: String(item.externalId).slice(0, 512),
    url: item.url?.trim() || null,
    canonicalUrl: canonicalizeUrl(item.url),
    title,
    text: body,
    textHash: textFingerprint(`${title ?? ''} ${body}`),
    author: {
      name: cleanText(item.author?.name ?? '').slice(0, 500) || undefined,
      handle,
      followers: finiteOrUndefined(item.author?.followers),
      url: item.author?.url,
    },
    // A post dated in the future (bad clock upstream) is clamped to when we saw it.
    publishedAt: publishedAt.getTime() > fetchedAt.getTime() + 5 * 60_000 ? fetchedAt : publishedAt,
    publishedAtEstimated,
    engagement: {
      likes: finiteOrUndefined(item.engagement?.likes),
      replies: finiteOrUndefined(item.engagement?.replies),
      shares: finiteOrUndefined(item.engagement?.shares),
    },
    rating: finiteOrUndefined(item.rating) ?? null,
    ratingScale:
      finiteOrUndefined(item.rating) === undefined ? null : (finiteOrUndefined(item.ratingScale) ?? 5),
    parentId: item.parentId ?? null,
    threadId: item.threadId ?? null,
    language: item.language?.toLowerCase().slice(0, 2) || null,
    raw: item.raw ?? null,
  };
}
