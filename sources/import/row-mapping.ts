import { createHash } from 'node:crypto';
import type { SourceItem } from '../../src/core/mention.ts';

/**
 * Turns one imported row (a JSON object or a CSV record keyed by header) into a SourceItem using
 * the user's mapping. Pure: the caller reads the file and collects the problems we report.
 */

export const MAPPABLE_FIELDS = [
  'externalId',
  'text',
  'title',
  'url',
  'authorName',
  'authorHandle',
  'publishedAt',
  'rating',
  'language',
  'parentId',
] as const;

export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** Which column (CSV) or field path (JSONL) holds each SourceItem field. */
export type FieldMapping = Partial<Record<MappableField, string>>;

/** Reads a mapped reference from the row; undefined when the row has no such column/field. */
export type RowGetter = (ref: string) => unknown;

export interface MappedRow {
  /** The item, or undefined when the row must be skipped (see `skip`). */
  item?: SourceItem | undefined;
  skip?: string | undefined;
  /** Problems that did not cost the row (a bad date, a rating out of range). */
  notes: string[];
}

/** `a.b.0.c` in a parsed JSON value; a key that itself contains dots wins over the path. */
export function getPath(obj: unknown, path: string): unknown {
  if (obj !== null && typeof obj === 'object' && path in obj) return (obj as Record<string, unknown>)[path];
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Epoch values above this are milliseconds (1e11 s is the year 5138). */
const EPOCH_MS_THRESHOLD = 1e11;

/**
 * Dates as exports write them: ISO 8601, epoch seconds or milliseconds (number or digits),
 * `YYYY-MM-DD`, `YYYY-MM-DD HH:mm[:ss]` and the same with slashes (no zone means UTC, so that
 * the result does not depend on the machine running the import), and RFC 2822.
 */
export function parseImportDate(value: unknown): Date | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return new Date(value >= EPOCH_MS_THRESHOLD ? value : value * 1000);
  }
  const raw = scalar(value);
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return parseImportDate(Number(raw));
  const local =
    /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3})\d*)?)?)?$/.exec(
      raw,
    );
  if (local) {
    const [, y, mo, d, h, mi, s, ms] = local;
    const time = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      Number((ms ?? '0').padEnd(3, '0')),
    );
    const date = new Date(time);
    // Date.UTC rolls 2024-02-31 over to March; a day that does not exist is an error, not a date.
    return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(mo) - 1 ? date : undefined;
  }
  // Date.parse accepts almost anything ("1", "May"); insist on a four-digit year first.
  if (!/\d{4}/.test(raw)) return undefined;
  const time = Date.parse(raw.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'));
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** A number from `4`, `"4"`, `"4.5"` or `"4,5"` (decimal comma in European exports). */
export function parseRating(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const raw = scalar(value);
  if (!raw || !/^-?\d+([.,]\d+)?$/.test(raw)) return undefined;
  return Number(raw.replace(',', '.'));
}

/** Id for rows without an id column: the same row content always gives the same id. */
export function rowHashId(content: string): string {
  return `row:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}

export function mapRow(
  get: RowGetter,
  mapping: FieldMapping,
  opts: { ratingScale: number; hashSource: string; raw: unknown },
): MappedRow {
  const notes: string[] = [];
  const read = (field: MappableField): unknown => {
    const ref = mapping[field];
    return ref === undefined ? undefined : get(ref);
  };

  const text = scalar(read('text'));
  if (!text) {
    return { skip: `missing text (column/field "${mapping.text ?? 'text'}" is empty or absent)`, notes };
  }

  const item: SourceItem = {
    externalId: scalar(read('externalId')) ?? rowHashId(opts.hashSource),
    content: text,
    contentType: 'text',
    raw: opts.raw,
  };

  const title = scalar(read('title'));
  if (title) item.title = title;

  const url = scalar(read('url'));
  if (url) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') item.url = parsed.href;
      else notes.push(`url "${url}" is not http(s), ignored`);
    } catch {
      notes.push(`url "${url}" is not a URL, ignored`);
    }
  }

  const name = scalar(read('authorName'));
  const handle = scalar(read('authorHandle'))?.replace(/^@/, '');
  if (name || handle) item.author = { ...(name ? { name } : {}), ...(handle ? { handle } : {}) };

  const dateValue = read('publishedAt');
  if (scalar(dateValue) !== undefined) {
    const date = parseImportDate(dateValue);
    if (date) item.publishedAt = date;
    else notes.push(`date "${scalar(dateValue)}" not understood, ignored`);
  }

  const ratingValue = read('rating');
  if (scalar(ratingValue) !== undefined) {
    const rating = parseRating(ratingValue);
    if (rating === undefined) notes.push(`rating "${scalar(ratingValue)}" is not a number, ignored`);
    else if (rating < 0 || rating > opts.ratingScale) {
      notes.push(`rating ${rating} is outside 0..${opts.ratingScale} (ratingScale), ignored`);
    } else {
      item.rating = rating;
      item.ratingScale = opts.ratingScale;
    }
  }

  const language = scalar(read('language'))?.toLowerCase();
  const code = language ? /^([a-z]{2})(?:[-_][a-z0-9]+)*$/.exec(language)?.[1] : undefined;
  if (code) item.language = code;
  else if (language) notes.push(`language "${language}" is not an ISO 639-1 code, ignored`);

  const parentId = scalar(read('parentId'));
  if (parentId) item.parentId = parentId;

  return { item, notes };
}
