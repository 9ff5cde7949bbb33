import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { SIGNAL_KINDS, type SignalKind } from '../../core/mention.ts';
import { getMention, listMentions } from '../../store/repositories/mentions.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonContent, pageOf, resource } from '../openapi/schemas.ts';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

const LABELS = ['positive', 'neutral', 'negative'] as const;

/**
 * A repeatable parameter that also takes comma lists: `?signal=a&signal=b,c` -> [a, b, c]. The
 * validator hands over a string for one occurrence and an array for several.
 */
function listOf<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .transform((parts) =>
      [...new Set(parts.flatMap((p) => p.split(',')).map((p) => p.trim()))].filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length))
    .openapi({ type: 'array', items: { type: 'string', enum: [...values] }, example: [values[0]] });
}

// Scores are stored as `real`; PostgreSQL refuses a parameter float4 cannot hold (5e-324 underflows), so
// thresholds keep six decimals, far finer than any score differs.
const score = z.coerce
  .number()
  .min(-1)
  .max(1)
  .transform((x) => Math.round(x * 1e6) / 1e6 || 0)
  .openapi({ type: 'number' });

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

const MentionSchema = resource('Mention', {
  id: z.number().int(),
  sourceId: z.string(),
  externalId: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  author: z.object({
    name: z.string().nullable(),
    handle: z.string().nullable(),
    followers: z.number().nullable(),
  }),
  language: z.string().nullable(),
  publishedAt: dateTime,
  fetchedAt: dateTime,
  engagement: z.record(z.string(), z.number()),
  rating: z.number().nullable(),
  ratingScale: z.number().nullable(),
  parentId: z.string().nullable(),
  threadId: z.string().nullable(),
  sentiment: z.object({ score: z.number(), label: z.enum(LABELS) }),
  signals: z.array(z.unknown()),
  duplicateOf: z.number().int().nullable(),
});

const MentionDetailSchema = resource('MentionDetail', {
  ...MentionSchema.shape,
  raw: z.unknown().openapi({ description: 'The upstream payload as fetched' }),
  watches: z.array(
    z.object({
      watchId: z.string(),
      owned: z.boolean(),
      duplicate: z.boolean(),
      matchedTerms: z.array(z.string()),
    }),
  ),
});

const mentionIdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'id', in: 'path' }, type: 'integer', example: 42 }),
});

export function mentionRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['mentions'],
      operationId: 'listMentions',
      summary: 'List mentions, newest first',
      description:
        'Filters combine with AND. `signal` and `label` repeat or take comma lists. Pass `nextCursor` ' +
        'back as `cursor` for the next page.',
      request: { query: mentionQuerySchema },
      responses: { 200: jsonContent(pageOf(MentionSchema), 'A page of mentions') },
    }),
    async (c) => {
      const q = c.req.valid('query');
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
      return c.json(page, 200);
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['mentions'],
      operationId: 'getMention',
      summary: 'One mention in full: raw payload and the watches it matched',
      request: { params: mentionIdParams },
      responses: { 200: jsonContent(MentionDetailSchema, 'The mention') },
    }),
    async (c) =>
      c.json(await getMention(deps.db, c.get('principal').workspaceId, c.req.valid('param').id), 200),
  );
  return app;
}
