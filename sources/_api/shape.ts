import type { z } from 'zod';
import { TrustwatchError } from '../../src/core/errors.ts';
import { redactUrl } from '../../src/core/redact-url.ts';

/**
 * API answers are checked against a zod schema of the fields we read before they are mapped, so
 * that a changed or wrong upstream (an HTML error page with a 200, a different API version) fails
 * with FEED_MALFORMED naming the url and the first bad fields, not with a TypeError deep in a mapper.
 */
export function checkShape<T>(schema: z.ZodType<T>, data: unknown, where: { url: string; what: string }): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const safeUrl = redactUrl(where.url);
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  throw new TrustwatchError('FEED_MALFORMED', `${safeUrl}: not a ${where.what} (${issues})`, {
    details: { url: safeUrl },
  });
}

/** Seconds or milliseconds since the epoch, or an ISO string, as a Date; undefined when unusable. */
export function toDate(value: number | string | null | undefined, unit: 's' | 'ms' = 's'): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const d = typeof value === 'number' ? new Date(unit === 's' ? value * 1000 : value) : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Joins a base URL (an API root the user may have given with or without a trailing slash) and a path. */
export function apiUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}) {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
