import type { SourceItem } from '../../src/core/mention.ts';
import { getPath, parseImportDate, parseRating } from '../import/row-mapping.ts';

/**
 * Field mapping for JSON over HTTP: where in each upstream item the id, text, date... live. A path
 * is dot-separated (`user.screen_name`, `media.0.url`); a list of paths takes the first that has a
 * value, for APIs whose items come in several shapes (a comment has `comment_text`, a story `title`).
 */

export type PathRef = string | string[];

export const MAPPED_FIELDS = [
  'id',
  'text',
  'title',
  'url',
  'authorName',
  'authorHandle',
  'authorUrl',
  'publishedAt',
  'rating',
  'language',
  'parentId',
  'threadId',
  'likes',
  'replies',
  'shares',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export type FieldPaths = { id: PathRef } & Partial<Record<Exclude<MappedField, 'id'>, PathRef>>;

/** The first value the paths lead to that is not null, undefined or an empty string. */
export function pick(obj: unknown, ref: PathRef | undefined): unknown {
  if (ref === undefined) return undefined;
  for (const path of Array.isArray(ref) ? ref : [ref]) {
    const v = path === '' || path === '$' ? obj : getPath(obj, path);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** An http(s) link, resolved against the API URL when relative; anything else is dropped. */
function link(value: unknown, base: string): string | undefined {
  const raw = scalarText(value);
  if (!raw) return undefined;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export interface MapOptions {
  baseUrl: string;
  textFormat: 'text' | 'html';
  ratingScale: number | undefined;
}

/** One upstream item as a SourceItem; undefined when it has no id (the caller reports it). */
export function mapItem(raw: unknown, fields: FieldPaths, opts: MapOptions): SourceItem | undefined {
  const externalId = scalarText(pick(raw, fields.id));
  if (!externalId) return undefined;
  const item: SourceItem = { externalId, raw };
  const text = scalarText(pick(raw, fields.text));
  if (text) {
    item.content = text;
    item.contentType = opts.textFormat;
  }
  const title = scalarText(pick(raw, fields.title));
  if (title) item.title = title;
  const url = link(pick(raw, fields.url), opts.baseUrl);
  if (url) item.url = url;
  const name = scalarText(pick(raw, fields.authorName));
  const handle = scalarText(pick(raw, fields.authorHandle))?.replace(/^@/, '');
  const authorUrl = link(pick(raw, fields.authorUrl), opts.baseUrl);
  if (name || handle || authorUrl) {
    item.author = {
      ...(name ? { name } : {}),
      ...(handle ? { handle } : {}),
      ...(authorUrl ? { url: authorUrl } : {}),
    };
  }
  const date = parseImportDate(pick(raw, fields.publishedAt));
  if (date) item.publishedAt = date;
  const rating = parseRating(pick(raw, fields.rating));
  if (rating !== undefined) {
    item.rating = rating;
    if (opts.ratingScale !== undefined) item.ratingScale = opts.ratingScale;
  }
  const language = scalarText(pick(raw, fields.language))?.toLowerCase();
  // `en-US` -> `en`: the pipeline keys on ISO 639-1.
  if (language && /^[a-z]{2,3}(-|_|$)/.test(language)) item.language = language.split(/[-_]/)[0];
  const parentId = scalarText(pick(raw, fields.parentId));
  if (parentId) item.parentId = parentId;
  const threadId = scalarText(pick(raw, fields.threadId));
  if (threadId) item.threadId = threadId;
  const likes = count(pick(raw, fields.likes));
  const replies = count(pick(raw, fields.replies));
  const shares = count(pick(raw, fields.shares));
  if (likes !== undefined || replies !== undefined || shares !== undefined) {
    item.engagement = {
      ...(likes !== undefined ? { likes } : {}),
      ...(replies !== undefined ? { replies } : {}),
      ...(shares !== undefined ? { shares } : {}),
    };
  }
  return item;
}
