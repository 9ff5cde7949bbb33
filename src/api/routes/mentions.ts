import { Hono } from 'hono';
import { z } from 'zod';
import { SIGNAL_KINDS, type SignalKind } from '../../core/mention.ts';
import { getMention, listMentions } from '../../store/repositories/mentions.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

const LABELS = ['positive', 'neutral', 'negative'] as const;

/** A repeatable parameter that also takes comma lists: `?signal=a&signal=b,c` -> [a, b, c]. */
function listOf<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .array(z.string())
    .transform((parts) =>
      [...new Set(parts.flatMap((p) => p.split(',')).map((p) => p.trim()))].filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length));
}

const score = z.coerce.number().min(-1).max(1);

export const mentionQuerySchema = z
  .object({
    watch: z.uuid().optional(),
    source: z.uuid().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sentiment: z.enum(LABELS).optional(),
    label: listOf(LABELS).optional(),
    signal: listOf(SIGNAL_KINDS as [SignalKind, ...SignalKind[]]).optional(),
    sentimentMin: score.optional(),
    sentimentMax: score.optional(),
    include_duplicates: z.enum(['true', 'false']).default('false'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: '"from" must be before "to"',
    path: ['from'],
  })
  .refine(
    (q) => q.sentimentMin === undefined || q.sentimentMax === undefined || q.sentimentMin <= q.sentimentMax,
    {
      message: '"sentimentMin" must not be above "sentimentMax"',
      path: ['sentimentMin'],
    },
  );

/** The query string as the schema reads it: repeatable parameters as arrays, the rest as strings. */
function readQuery(req: { query(): Record<string, string>; queries(key: string): string[] | undefined }) {
  const input: Record<string, unknown> = { ...req.query() };
  for (const key of ['signal', 'label']) {
    const all = req.queries(key);
    if (all) input[key] = all;
  }
  return input;
}

export function mentionRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseInput(mentionQuerySchema, readQuery(c.req), 'query');
    const page = await listMentions(deps.db, {
      workspaceId: c.get('principal').workspaceId,
      watchId: q.watch,
      sourceId: q.source,
      from: q.from,
      to: q.to,
      sentiment: q.sentiment,
      labels: q.label,
      signals: q.signal,
      sentimentMin: q.sentimentMin,
      sentimentMax: q.sentimentMax,
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
