import { Hono } from 'hono';
import { z } from 'zod';
import { getMention, listMentions } from '../../store/repositories/mentions.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

export const mentionQuerySchema = z
  .object({
    watch: z.uuid().optional(),
    source: z.uuid().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
    include_duplicates: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: '"from" must be before "to"',
    path: ['from'],
  });

export function mentionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseInput(mentionQuerySchema, c.req.query(), 'query');
    const page = await listMentions(deps.db, {
      workspaceId: c.get('principal').workspaceId,
      watchId: q.watch,
      sourceId: q.source,
      from: q.from,
      to: q.to,
      sentiment: q.sentiment,
      includeDuplicates: q.include_duplicates === 'true',
      limit: q.limit,
      cursor: q.cursor,
    });
    return c.json(page);
  });
  app.get('/:id', async (c) => {
    const id = parseInput(
      z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      c.req.param('id'),
      'id',
    );
    return c.json(await getMention(deps.db, c.get('principal').workspaceId, id));
  });
  return app;
}
