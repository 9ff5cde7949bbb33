import { z } from 'zod';
import { ValidationError } from '../../src/core/errors.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { parseImportDate } from '../import/row-mapping.ts';

/**
 * What a pushing system sends: one item, an array of items, or `{ "items": [...] }`. Field names
 * follow trustwatch's own item model so that a sender maps once; unknown fields are kept in the
 * stored raw payload.
 */

export const MAX_ITEMS_PER_PUSH = 1000;

const text = (max: number) => z.string().trim().min(1).max(max);
const count = z.number().int().min(0);

const authorSchema = z.union([
  text(300).transform((name) => ({ name })),
  z.object({
    name: text(300).optional(),
    handle: text(300).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    followers: count.optional(),
  }),
]);

export const pushedItemSchema = z.looseObject({
  externalId: z
    .union([text(500), z.number().int().transform(String)])
    .describe('Stable id of the item in the sending system; pushing it again updates, never duplicates.'),
  text: z.string().max(100_000).optional(),
  title: z.string().max(2_000).optional(),
  contentType: z.enum(['text', 'html']).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  author: authorSchema.optional(),
  publishedAt: z
    .union([z.string(), z.number()])
    .optional()
    .refine(
      (v) => v === undefined || parseImportDate(v) !== undefined,
      'must be an ISO 8601 date or epoch time',
    ),
  rating: z.number().finite().optional(),
  ratingScale: z.number().positive().optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/i, 'must be an ISO 639 code such as "en"')
    .optional(),
  parentId: text(500).optional(),
  threadId: text(500).optional(),
  engagement: z
    .object({ likes: count.optional(), replies: count.optional(), shares: count.optional() })
    .optional(),
});

export type PushedItem = z.infer<typeof pushedItemSchema>;

const bodySchema = z.union([
  z.object({ items: z.array(z.unknown()) }),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

function toSourceItem(item: PushedItem, raw: unknown): SourceItem {
  const out: SourceItem = { externalId: item.externalId, raw };
  if (item.text !== undefined) {
    out.content = item.text;
    out.contentType = item.contentType ?? 'text';
  }
  if (item.title !== undefined) out.title = item.title;
  if (item.url !== undefined) out.url = item.url;
  if (item.author !== undefined) out.author = item.author;
  const date = item.publishedAt === undefined ? undefined : parseImportDate(item.publishedAt);
  if (date) out.publishedAt = date;
  if (item.rating !== undefined) out.rating = item.rating;
  if (item.ratingScale !== undefined) out.ratingScale = item.ratingScale;
  if (item.language !== undefined) out.language = item.language.toLowerCase();
  if (item.parentId !== undefined) out.parentId = item.parentId;
  if (item.threadId !== undefined) out.threadId = item.threadId;
  if (item.engagement !== undefined) out.engagement = item.engagement;
  return out;
}

/**
 * The pushed JSON as SourceItems. Invalid items refuse the whole push with every problem named by
 * its path (`items.3.externalId`), so a sender never has to guess which part was kept.
 */
export function parsePushBody(body: unknown): SourceItem[] {
  const shape = bodySchema.safeParse(body);
  if (!shape.success) {
    throw new ValidationError('Push body must be an item object, an array of items or {"items": [...]}', [
      { path: 'body', message: 'expected an object or an array' },
    ]);
  }
  const isBatch = Array.isArray(shape.data) || Array.isArray((shape.data as { items?: unknown }).items);
  const list: unknown[] = Array.isArray(shape.data)
    ? shape.data
    : isBatch
      ? ((shape.data as { items: unknown[] }).items ?? [])
      : [shape.data];
  const prefix = Array.isArray(shape.data) ? '' : 'items.';
  if (list.length > MAX_ITEMS_PER_PUSH) {
    throw new ValidationError(`A push may carry at most ${MAX_ITEMS_PER_PUSH} items (got ${list.length})`, [
      { path: 'items', message: `at most ${MAX_ITEMS_PER_PUSH} items` },
    ]);
  }
  const issues: { path: string; message: string }[] = [];
  const items: SourceItem[] = [];
  list.forEach((raw, i) => {
    const parsed = pushedItemSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) {
        const path = isBatch ? `${prefix}${i}` : '';
        issues.push({
          path: [path, ...issue.path.map(String)].filter(Boolean).join('.') || 'body',
          message: issue.message,
        });
      }
      return;
    }
    items.push(toSourceItem(parsed.data, raw));
  });
  if (issues.length > 0) {
    const shown = issues.slice(0, 20);
    throw new ValidationError(
      `Invalid pushed item(s): ${shown.map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > shown.length ? '; ...' : ''}`,
      shown,
    );
  }
  return items;
}
