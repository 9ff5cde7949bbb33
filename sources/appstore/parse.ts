import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/**
 * Apple's customer reviews feed (`/{country}/rss/customerreviews/page=N/id=APP/sortby=mostrecent/json`):
 * an Atom feed turned into JSON, every value wrapped as `{ label }` and every attribute under
 * `attributes`. A single entry comes as an object, none as a missing key.
 */
const label = z.looseObject({ label: z.string() });

const entrySchema = z.looseObject({
  id: label,
  title: label.optional(),
  content: label.optional(),
  updated: label,
  author: z.looseObject({ name: label.optional(), uri: label.optional() }).optional(),
  'im:rating': label.optional(),
  'im:version': label.optional(),
  'im:voteSum': label.optional(),
  'im:voteCount': label.optional(),
});

const linkSchema = z.looseObject({
  attributes: z.looseObject({ rel: z.string().optional(), href: z.string() }),
});

export const reviewsFeedSchema = z.looseObject({
  feed: z.looseObject({
    entry: z.union([z.array(entrySchema), entrySchema]).optional(),
    link: z.union([z.array(linkSchema), linkSchema]).optional(),
  }),
});

export type AppReviewEntry = z.infer<typeof entrySchema>;

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function parseReviewsFeed(
  data: unknown,
  url: string,
): { entries: AppReviewEntry[]; lastPage: number } {
  const { feed } = checkShape(reviewsFeedSchema, data, { url, what: 'App Store customer reviews feed' });
  const last = asArray(feed.link).find((l) => l.attributes.rel === 'last')?.attributes.href;
  const lastPage = Number(/\/page=(\d+)\//.exec(last ?? '')?.[1] ?? 1);
  // Old feeds put the app itself first, as an entry without a rating: not a review.
  return { entries: asArray(feed.entry).filter((e) => e['im:rating'] !== undefined), lastPage };
}

export function reviewToItem(e: AppReviewEntry, appUrl: string): SourceItem {
  const rating = Number(e['im:rating']?.label);
  const votes = Number(e['im:voteCount']?.label);
  return {
    externalId: e.id.label,
    url: appUrl,
    title: e.title?.label || undefined,
    content: e.content?.label || undefined,
    contentType: 'text',
    author: e.author?.name?.label
      ? { name: e.author.name.label, url: e.author.uri?.label || undefined }
      : undefined,
    publishedAt: toDate(e.updated.label),
    rating: Number.isFinite(rating) && rating >= 1 && rating <= 5 ? rating : undefined,
    ratingScale: 5,
    // "Was this review helpful?" votes are the closest thing to likes a review has.
    engagement: Number.isFinite(votes) ? { likes: Number(e['im:voteSum']?.label) || 0 } : undefined,
    raw: e,
  };
}
