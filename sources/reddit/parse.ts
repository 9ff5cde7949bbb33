import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/** Reddit "things": posts are kind t3, comments t1; `name` is the fullname (`t3_48fbm9`). */
const thingData = z.looseObject({
  id: z.string(),
  name: z.string(),
  author: z.string().nullish(),
  created_utc: z.number(),
  permalink: z.string().optional(),
  score: z.number().nullish(),
});

const postSchema = thingData.extend({
  title: z.string(),
  selftext: z.string().nullish(),
  selftext_html: z.string().nullish(),
  num_comments: z.number().nullish(),
  url: z.string().nullish(),
  subreddit: z.string().optional(),
});

const commentSchema = thingData.extend({
  body: z.string().nullish(),
  body_html: z.string().nullish(),
  parent_id: z.string().nullish(),
  link_id: z.string().nullish(),
  link_title: z.string().optional(),
  link_permalink: z.string().optional(),
  replies: z.unknown().optional(),
});

const childSchema = z.looseObject({ kind: z.string(), data: z.looseObject({}) });

export const listingSchema = z.looseObject({
  kind: z.literal('Listing'),
  data: z.looseObject({ after: z.string().nullish(), children: z.array(childSchema) }),
});

export type RedditListing = z.infer<typeof listingSchema>;
export type RedditChild = z.infer<typeof childSchema>;

const WWW = 'https://www.reddit.com';

export function parseListing(data: unknown, url: string): RedditListing {
  return checkShape(listingSchema, data, { url, what: 'Reddit listing' });
}

/** `/comments/ID` answers `[postListing, commentListing]`. */
export function parseThread(data: unknown, url: string): { post: RedditListing; comments: RedditListing } {
  const [post, comments] = checkShape(z.tuple([listingSchema, listingSchema]), data, {
    url,
    what: 'Reddit comment thread',
  });
  return { post, comments };
}

function author(name: string | null | undefined) {
  // Deleted accounts show as "[deleted]": no handle to link.
  if (!name || name === '[deleted]') return undefined;
  return { handle: name, url: `${WWW}/user/${name}` };
}

export function postToItem(raw: Record<string, unknown>, url: string): SourceItem {
  const p = checkShape(postSchema, raw, { url, what: 'Reddit post' });
  const html = p.selftext_html || undefined;
  return {
    externalId: p.name,
    url: p.permalink ? `${WWW}${p.permalink}` : (p.url ?? undefined),
    title: p.title,
    content: html ?? (p.selftext || undefined),
    contentType: html ? 'html' : 'text',
    author: author(p.author),
    publishedAt: toDate(p.created_utc),
    engagement: { likes: p.score ?? undefined, replies: p.num_comments ?? undefined },
    threadId: p.name,
    raw: p,
  };
}

export function commentToItem(raw: Record<string, unknown>, url: string): SourceItem {
  const { replies: _replies, ...c } = checkShape(commentSchema, raw, { url, what: 'Reddit comment' });
  const html = c.body_html || undefined;
  const permalink =
    c.permalink ?? (c.link_permalink ? `${c.link_permalink.replace(WWW, '')}${c.id}/` : undefined);
  return {
    externalId: c.name,
    url: permalink ? `${WWW}${permalink}` : undefined,
    content: html ?? (c.body || undefined),
    contentType: html ? 'html' : 'text',
    author: author(c.author),
    publishedAt: toDate(c.created_utc),
    engagement: { likes: c.score ?? undefined },
    parentId: c.parent_id ?? undefined,
    threadId: c.link_id ?? undefined,
    raw: c,
  };
}

/** Every comment of a thread, depth first; `more` stubs (unloaded replies) are skipped. */
export function flattenComments(listing: RedditListing, url: string): SourceItem[] {
  const out: SourceItem[] = [];
  const visit = (children: RedditChild[]) => {
    for (const child of children) {
      if (child.kind !== 't1') continue;
      out.push(commentToItem(child.data, url));
      const replies = listingSchema.safeParse(child.data.replies);
      if (replies.success) visit(replies.data.data.children);
    }
  };
  visit(listing.data.children);
  return out;
}

export function childToItem(child: RedditChild, url: string): SourceItem | undefined {
  if (child.kind === 't3') return postToItem(child.data, url);
  if (child.kind === 't1') return commentToItem(child.data, url);
  return undefined;
}
