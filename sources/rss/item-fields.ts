import { createHash } from 'node:crypto';

/**
 * Small, format-independent helpers for turning feed entries into SourceItems: ids, links, dates,
 * author names. Parsed feed values are untyped (xml2js objects, arbitrary JSON), so every helper
 * accepts `unknown` and returns a clean value or undefined.
 */

/** A trimmed non-empty string, from a string or an xml2js `{ _: text }` node. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value !== null && typeof value === 'object' && '_' in value) return str((value as { _: unknown })._);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Stable id for entries that have neither guid nor link: the same entry always hashes the same. */
export function contentHashId(...parts: Array<string | undefined>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part ?? ''}\u0000`);
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

/**
 * Google Alerts wraps every link in a redirect (`https://www.google.com/url?...&url=REAL`); the
 * mention is about REAL, and canonical URLs and duplicate detection need it.
 */
export function unwrapRedirect(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!/(^|\.)google\.[a-z.]{2,6}$/i.test(parsed.hostname) || parsed.pathname !== '/url') return url;
  const target = parsed.searchParams.get('url') ?? parsed.searchParams.get('q');
  if (!target) return url;
  try {
    const real = new URL(target);
    return real.protocol === 'http:' || real.protocol === 'https:' ? real.href : url;
  } catch {
    return url;
  }
}

/**
 * A link from a feed as an absolute http(s) URL: trimmed (feeds ship `href=" http://..."`),
 * resolved against the nearest xml:base / feed URL, redirect-unwrapped. Anything else (a
 * `javascript:` link, garbage) gives undefined.
 */
export function resolveLink(link: unknown, base: string | undefined): string | undefined {
  const raw = str(link);
  if (!raw) return undefined;
  let resolved: URL;
  try {
    resolved = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return undefined;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
  return unwrapRedirect(resolved.href);
}

/** Resolves a (possibly relative) xml:base against its parent base; keeps the parent when unusable. */
export function resolveBase(xmlBase: unknown, parent: string | undefined): string | undefined {
  const raw = str(xmlBase);
  if (!raw) return parent;
  try {
    return parent ? new URL(raw, parent).href : new URL(raw).href;
  } catch {
    return parent;
  }
}

/** Feed dates: RFC 822 (RSS), RFC 3339 (Atom, JSON Feed) and the sloppy variants in between. */
export function parseFeedDate(value: unknown): Date | undefined {
  const raw = str(value);
  if (!raw) return undefined;
  const attempts = [
    raw,
    // "Tue, 5 Mar 2024 10:00:00 +0100" with a localized or wrong weekday.
    raw.replace(/^[^\d,]+,\s*/, ''),
    // "2024-03-05 10:00:00" without a zone: read as UTC, not as the server's local time.
    /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw) ? `${raw.replace(' ', 'T')}Z` : '',
  ];
  for (const attempt of attempts) {
    if (!attempt) continue;
    const time = Date.parse(attempt);
    if (!Number.isNaN(time)) return new Date(time);
  }
  return undefined;
}

/** RSS `<author>` is "email (Name)" by spec and "Name" in practice; return the name part. */
export function authorName(value: unknown): string | undefined {
  const raw = str(value);
  if (!raw) return undefined;
  const inParens = /^\S+@\S+\s*\(([^)]+)\)$/.exec(raw);
  return str(inParens?.[1]) ?? raw;
}

/** ISO 639-1 primary subtag of a language tag (`en-US` -> `en`), if it looks like one. */
export function languageCode(value: unknown): string | undefined {
  const raw = str(value)?.toLowerCase();
  const match = raw ? /^([a-z]{2})(?:[-_][a-z0-9]+)*$/.exec(raw) : null;
  return match?.[1];
}
