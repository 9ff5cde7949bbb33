import type { SourceItem } from '../../src/core/mention.ts';
import type { FetchResult } from '../../src/core/source.ts';

/**
 * Incremental polling of a newest-first API, shared by the API adapters.
 *
 * The cursor keeps a high-water `mark` (a timestamp or an ordered id) of the newest item already
 * returned. A poll reads page after page (each page is one `fetch` call answering `more: true`, so
 * the poller stores every page before asking for the next) until a page reaches items at or below
 * the mark, the API has no next page, or `maxPages` pages were read; only then is the new mark
 * committed. Items at or below the mark are dropped here even when the API was asked to filter
 * them (`since_id`, `updated:>`...), so an API that ignores the filter still adds nothing twice.
 */
export interface WalkCursor<Page> {
  /** Key of the newest item returned so far (null before the first poll). */
  mark: string | null;
  /** Ids of items whose key equals the mark: APIs with second-precision keys can hold several. */
  atMark: string[];
  /** While a poll walks back through pages: the next page and the mark to commit at the end. */
  pending?: { page: Page; mark: string | null; atMark: string[]; pages: number } | undefined;
}

/** Orders keys that are ISO timestamps, decimal ids or base-36 ids: shorter is older, then by text. */
export function compareKeys(a: string, b: string): number {
  if (a.length !== b.length && /^[0-9a-z]+$/.test(a) && /^[0-9a-z]+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface WalkPage<Page> {
  /** Items of this page, any order, each with the key the API sorts by. */
  entries: { item: SourceItem; key: string }[];
  /** The page after this one, if the API has one. */
  next: Page | undefined;
}

/** The page to request now: the pending one of an unfinished walk, else the first. */
export function pageToRead<Page>(cursor: WalkCursor<Page> | null, first: Page): Page {
  return cursor?.pending?.page ?? first;
}

export function walkStep<Page>(
  cursor: WalkCursor<Page> | null,
  page: WalkPage<Page>,
  maxPages: number,
  compare: (a: string, b: string) => number = compareKeys,
): FetchResult<WalkCursor<Page>> {
  const mark = cursor?.mark ?? null;
  const atMark = new Set(cursor?.atMark ?? []);
  const isNew = (key: string, id: string) => {
    if (mark === null) return true;
    const c = compare(key, mark);
    return c > 0 || (c === 0 && !atMark.has(id));
  };
  const fresh = page.entries.filter((e) => isNew(e.key, e.item.externalId));
  // The newest key seen during this walk, and the ids sharing it.
  let newMark = cursor?.pending?.mark ?? mark;
  let newAtMark = new Set(cursor?.pending?.atMark ?? cursor?.atMark ?? []);
  for (const e of fresh) {
    const c = newMark === null ? 1 : compare(e.key, newMark);
    if (c > 0) {
      newMark = e.key;
      newAtMark = new Set([e.item.externalId]);
    } else if (c === 0) newAtMark.add(e.item.externalId);
  }
  const pages = (cursor?.pending?.pages ?? 0) + 1;
  const reachedKnown = fresh.length < page.entries.length;
  const seenIds = new Set<string>();
  const items = fresh
    .map((e) => e.item)
    .filter((i) => !seenIds.has(i.externalId) && seenIds.add(i.externalId));
  if (page.next !== undefined && !reachedKnown && pages < maxPages && page.entries.length > 0) {
    return {
      items,
      nextCursor: {
        mark,
        atMark: [...atMark],
        pending: { page: page.next, mark: newMark, atMark: [...newAtMark], pages },
      },
      more: true,
    };
  }
  return { items, nextCursor: { mark: newMark, atMark: [...newAtMark] }, more: false };
}
