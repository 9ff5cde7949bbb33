import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape } from '../_api/shape.ts';

/** `app.bsky.feed.searchPosts` output: post views, each with the author and the raw record. */
const authorSchema = z.looseObject({
  did: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
  followersCount: z.number().optional(),
});

const postViewSchema = z.looseObject({
  uri: z.string().startsWith('at://'),
  cid: z.string().optional(),
  author: authorSchema,
  // Records are open unions: validated loosely here, read field by field below.
  record: z.looseObject({ $type: z.string().optional() }),
  indexedAt: z.string(),
  replyCount: z.number().optional(),
  repostCount: z.number().optional(),
  likeCount: z.number().optional(),
  quoteCount: z.number().optional(),
});

export const searchPostsSchema = z.looseObject({
  cursor: z.string().optional(),
  hitsTotal: z.number().optional(),
  posts: z.array(postViewSchema),
});

const postRecordSchema = z.looseObject({
  $type: z.literal('app.bsky.feed.post'),
  text: z.string(),
  createdAt: z.string(),
  langs: z.array(z.string()).optional(),
  reply: z
    .looseObject({ parent: z.looseObject({ uri: z.string() }), root: z.looseObject({ uri: z.string() }) })
    .optional(),
});

export const sessionSchema = z.looseObject({
  accessJwt: z.string().min(1),
  did: z.string(),
  handle: z.string().optional(),
});

export type PostView = z.infer<typeof postViewSchema>;
export type SearchPostsOutput = z.infer<typeof searchPostsSchema>;

export function parseSearchPosts(data: unknown, url: string): SearchPostsOutput {
  return checkShape(searchPostsSchema, data, { url, what: 'Bluesky searchPosts response' });
}

/** atproto datetimes should carry a zone; some clients wrote none. Read those as UTC. */
export function parseAtDate(value: string): Date | undefined {
  const withZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `at://did/app.bsky.feed.post/rkey` -> `https://bsky.app/profile/handle/post/rkey`. */
export function postWebUrl(uri: string, handle: string): string | undefined {
  const m = /^at:\/\/[^/]+\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  return m ? `https://bsky.app/profile/${handle}/post/${m[1]}` : undefined;
}

/** A post view as a SourceItem; undefined when the record is not a post (feed generators, lists...). */
export function postToItem(view: PostView): SourceItem | undefined {
  const parsed = postRecordSchema.safeParse(view.record);
  if (!parsed.success) return undefined;
  const record = parsed.data;
  return {
    externalId: view.uri,
    url: postWebUrl(view.uri, view.author.handle),
    content: record.text,
    contentType: 'text',
    author: {
      name: view.author.displayName || undefined,
      handle: view.author.handle,
      followers: view.author.followersCount,
      url: `https://bsky.app/profile/${view.author.handle}`,
    },
    publishedAt: parseAtDate(record.createdAt) ?? parseAtDate(view.indexedAt),
    engagement: {
      likes: view.likeCount,
      replies: view.replyCount,
      shares: (view.repostCount ?? 0) + (view.quoteCount ?? 0),
    },
    parentId: record.reply?.parent.uri,
    threadId: record.reply?.root.uri ?? view.uri,
    language: record.langs?.[0]?.slice(0, 2),
    raw: view,
  };
}
