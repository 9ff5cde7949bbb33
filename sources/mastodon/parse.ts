import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/** The fields of a Mastodon Status entity we read (https://docs.joinmastodon.org/entities/Status/). */
const accountSchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  acct: z.string(),
  display_name: z.string().nullish(),
  url: z.string().nullish(),
  followers_count: z.number().nullish(),
});

const baseStatus = z.looseObject({
  id: z.string(),
  uri: z.string(),
  url: z.string().nullish(),
  created_at: z.string(),
  content: z.string(),
  spoiler_text: z.string().nullish(),
  language: z.string().nullish(),
  in_reply_to_id: z.string().nullish(),
  replies_count: z.number().nullish(),
  reblogs_count: z.number().nullish(),
  favourites_count: z.number().nullish(),
  account: accountSchema,
});

export const statusSchema = baseStatus.extend({ reblog: baseStatus.nullish() });
export type MastodonStatus = z.infer<typeof statusSchema>;

export function parseStatuses(data: unknown, url: string): MastodonStatus[] {
  return checkShape(z.array(statusSchema), data, { url, what: 'Mastodon status list' });
}

/** `/api/v2/search` answers accounts, statuses and hashtags; we read the statuses. */
export function parseSearch(data: unknown, url: string): MastodonStatus[] {
  return checkShape(z.looseObject({ statuses: z.array(statusSchema) }), data, {
    url,
    what: 'Mastodon search result',
  }).statuses;
}

/** The `max_id` of the Link header's rel="next" (how Mastodon pages timelines), if any. */
export function nextMaxId(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m?.[1]) return new URL(m[1]).searchParams.get('max_id') ?? undefined;
  }
  return undefined;
}

export function statusToItem(status: MastodonStatus): SourceItem {
  // A boost carries someone else's post: the post is the mention, under its own id.
  const s = status.reblog ?? status;
  const a = s.account;
  return {
    externalId: s.id,
    url: s.url ?? s.uri,
    // A content warning is the closest thing to a title; the text stays in content.
    title: s.spoiler_text || undefined,
    content: s.content,
    contentType: 'html',
    author: {
      name: a.display_name || a.username,
      handle: a.acct,
      followers: a.followers_count ?? undefined,
      url: a.url ?? undefined,
    },
    publishedAt: toDate(s.created_at),
    engagement: {
      likes: s.favourites_count ?? undefined,
      replies: s.replies_count ?? undefined,
      shares: s.reblogs_count ?? undefined,
    },
    parentId: s.in_reply_to_id ?? undefined,
    language: s.language ?? undefined,
    raw: status,
  };
}
