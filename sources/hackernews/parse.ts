import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/** The fields of an Algolia HN search hit we read (stories and comments share one shape). */
const hitSchema = z.looseObject({
  objectID: z.string().min(1),
  created_at: z.string().nullish(),
  created_at_i: z.number(),
  author: z.string().nullish(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  story_text: z.string().nullish(),
  comment_text: z.string().nullish(),
  points: z.number().nullish(),
  num_comments: z.number().nullish(),
  story_id: z.number().nullish(),
  story_title: z.string().nullish(),
  parent_id: z.number().nullish(),
  _tags: z.array(z.string()).optional(),
});

export const searchResponseSchema = z.looseObject({
  hits: z.array(hitSchema),
  page: z.number(),
  nbPages: z.number(),
});

export type HnHit = z.infer<typeof hitSchema>;
export type HnSearchResponse = z.infer<typeof searchResponseSchema>;

export const HN_ITEM_URL = 'https://news.ycombinator.com/item?id=';

export function parseSearchResponse(data: unknown, url: string): HnSearchResponse {
  return checkShape(searchResponseSchema, data, { url, what: 'Hacker News (Algolia) search response' });
}

/** One hit as a SourceItem: a story (title, optional text) or a comment (text, parent and story ids). */
export function hitToItem(hit: HnHit): SourceItem {
  const { _highlightResult: _h, ...raw } = hit as HnHit & { _highlightResult?: unknown };
  const isComment = hit._tags?.includes('comment') ?? Boolean(hit.comment_text);
  const text = (isComment ? hit.comment_text : hit.story_text) || undefined;
  const item: SourceItem = {
    externalId: hit.objectID,
    url: `${HN_ITEM_URL}${hit.objectID}`,
    title: isComment ? undefined : hit.title || undefined,
    content: text,
    contentType: 'html',
    author: hit.author
      ? { handle: hit.author, url: `https://news.ycombinator.com/user?id=${hit.author}` }
      : undefined,
    publishedAt: toDate(hit.created_at) ?? toDate(hit.created_at_i),
    engagement: {
      likes: hit.points ?? undefined,
      replies: hit.num_comments ?? undefined,
    },
    parentId: hit.parent_id != null ? String(hit.parent_id) : undefined,
    threadId: hit.story_id != null ? String(hit.story_id) : isComment ? undefined : hit.objectID,
    raw,
  };
  // A link story without text: the title is the text, and the linked page is worth keeping.
  if (!isComment && !item.content && hit.url) item.raw = { ...raw, linkedUrl: hit.url };
  return item;
}
