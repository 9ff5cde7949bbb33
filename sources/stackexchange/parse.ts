import { decodeHTML } from 'entities';
import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/**
 * Stack Exchange API 2.3 answers: every method wraps its items in the same envelope with
 * `has_more`, `quota_remaining` and, when the API wants us to slow down, `backoff` (seconds).
 */
export const wrapperSchema = z.looseObject({
  items: z.array(z.unknown()),
  has_more: z.boolean(),
  quota_max: z.number().optional(),
  quota_remaining: z.number().optional(),
  backoff: z.number().optional(),
});

const ownerSchema = z
  .looseObject({
    display_name: z.string().optional(),
    user_id: z.number().optional(),
    reputation: z.number().optional(),
    link: z.string().optional(),
  })
  .optional();

/** A `/search/excerpts` item: a question or an answer, with an HTML excerpt and its full body. */
export const excerptSchema = z.looseObject({
  item_type: z.enum(['question', 'answer']),
  question_id: z.number(),
  answer_id: z.number().optional(),
  title: z.string().optional(),
  body: z.string().optional(),
  excerpt: z.string().optional(),
  creation_date: z.number(),
  score: z.number().optional(),
  answer_count: z.number().optional(),
  is_accepted: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  owner: ownerSchema,
});

export type SeWrapper = z.infer<typeof wrapperSchema>;
export type SeExcerpt = z.infer<typeof excerptSchema>;

export function parseWrapper(data: unknown, url: string): SeWrapper {
  return checkShape(wrapperSchema, data, { url, what: 'Stack Exchange API response' });
}

export function parseExcerpts(data: unknown, url: string): { wrapper: SeWrapper; items: SeExcerpt[] } {
  const wrapper = parseWrapper(data, url);
  const items = checkShape(z.array(excerptSchema), wrapper.items, {
    url,
    what: 'Stack Exchange search result',
  });
  return { wrapper, items };
}

/** Sites on their own domain; every other site id lives under stackexchange.com (`math`, `ux`...). */
const OWN_DOMAIN = new Set(['stackoverflow', 'serverfault', 'superuser', 'askubuntu', 'stackapps']);

export function siteHost(site: string): string {
  if (site.includes('.')) return site;
  return OWN_DOMAIN.has(site) ? `${site}.com` : `${site}.stackexchange.com`;
}

export function excerptToItem(e: SeExcerpt, site: string): SourceItem {
  const host = siteHost(site);
  const questionId = `q${e.question_id}`;
  const isAnswer = e.item_type === 'answer' && e.answer_id !== undefined;
  const owner = e.owner;
  return {
    externalId: isAnswer ? `a${e.answer_id}` : questionId,
    url: isAnswer ? `https://${host}/a/${e.answer_id}` : `https://${host}/q/${e.question_id}`,
    // Titles come HTML-escaped (`&amp;`); the body is HTML and the pipeline strips it.
    title: isAnswer ? undefined : e.title ? decodeHTML(e.title) : undefined,
    content: e.body ?? e.excerpt,
    contentType: 'html',
    author: owner?.display_name
      ? {
          name: decodeHTML(owner.display_name),
          handle: owner.user_id !== undefined ? String(owner.user_id) : undefined,
          url: owner.link,
        }
      : undefined,
    publishedAt: toDate(e.creation_date),
    engagement: { likes: e.score, replies: isAnswer ? undefined : e.answer_count },
    parentId: isAnswer ? questionId : undefined,
    threadId: questionId,
    raw: e,
  };
}
