import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { SIGNAL_KINDS, type SignalKind } from '../../core/mention.ts';
import {
  MAX_SEARCH_WORDS,
  MENTION_SORTS,
  type MentionFilter,
  getMention,
  listMentions,
  streamMentions,
} from '../../store/repositories/mentions.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, type ExportFormat, exportStream } from '../export/stream.ts';
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

/** Ratings are compared as stars out of 5 (a 8/10 review is 4), like the trends' rating figures. */
const stars = z.coerce
  .number()
  .min(0)
  .max(5)
  .transform((x) => Math.round(x * 1e6) / 1e6 || 0)
  .openapi({ type: 'number' });

/** Free text reaches SQL only as a parameter; NUL is refused because PostgreSQL text cannot hold it. */
const noNul = (s: string) => !s.includes('\u0000');

/**
 * Language codes as stored (ISO 639-1, lower case), repeatable or comma lists; `und` asks for the
 * mentions whose language is unknown.
 */
const languages = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .transform((parts) =>
    [...new Set(parts.flatMap((p) => p.split(',')).map((p) => p.trim().toLowerCase()))].filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-z]{2,3}$/, 'a language code like en, de or und'))
      .min(1)
      .max(20),
  )
  .openapi({ type: 'array', items: { type: 'string', example: 'en' }, example: ['en', 'de'] });

/** The filters shared by the list and the export. */
const filterShape = {
  watch: z.uuid().optional(),
  source: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  sentiment: z.enum(LABELS).optional(),
  label: listOf(LABELS).optional(),
  signal: listOf(SIGNAL_KINDS as [SignalKind, ...SignalKind[]]).optional(),
  sentimentMin: score.optional(),
  sentimentMax: score.optional(),
  language: languages.optional(),
  ratingMin: stars.optional(),
  ratingMax: stars.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(noNul, 'must not contain NUL')
    .optional()
    .openapi({
      description: `Words (up to ${MAX_SEARCH_WORDS}) that must all appear in the title or text, case-insensitive; \`%\` and \`_\` are plain characters`,
    }),
  author: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(noNul, 'must not contain NUL')
    .optional()
    .openapi({ description: 'Author handle (with or without @) or name, case-insensitive, exact' }),
  include_duplicates: z.enum(['true', 'false']).default('false'),
  sort: z.enum(MENTION_SORTS).default('newest'),
};

export type MentionFilterQuery = z.infer<z.ZodObject<typeof filterShape>>;

function checkBounds<T extends z.ZodType<MentionFilterQuery>>(schema: T) {
  return schema
    .refine((q) => !q.from || !q.to || q.from < q.to, {
      message: '"from" must be before "to"',
      path: ['from'],
    })
    .refine(
      (q) => q.sentimentMin === undefined || q.sentimentMax === undefined || q.sentimentMin <= q.sentimentMax,
      { message: '"sentimentMin" must not be above "sentimentMax"', path: ['sentimentMin'] },
    )
    .refine((q) => q.ratingMin === undefined || q.ratingMax === undefined || q.ratingMin <= q.ratingMax, {
      message: '"ratingMin" must not be above "ratingMax"',
      path: ['ratingMin'],
    });
}

export const mentionQuerySchema = checkBounds(
  z
    .object({
      ...filterShape,
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(200).optional(),
    })
    .strict(),
);

export const mentionExportQuerySchema = checkBounds(
  z.object({ ...filterShape, format: z.enum(EXPORT_FORMATS).default('csv') }).strict(),
);

/** The repository filter for validated query parameters (the API, the dashboard and `trustwatch export`). */
export function mentionFilterOf(workspaceId: string, q: MentionFilterQuery): MentionFilter {
  return {
    workspaceId,
    watchId: q.watch,
    sourceId: q.source,
    from: q.from,
    to: q.to,
    sentiment: q.sentiment,
    labels: q.label,
    signals: q.signal,
    sentimentMin: q.sentimentMin,
    sentimentMax: q.sentimentMax,
    languages: q.language,
    ratingMin: q.ratingMin,
    ratingMax: q.ratingMax,
    text: q.q,
    author: q.author,
    includeDuplicates: q.include_duplicates === 'true',
    sort: q.sort,
  };
}

/** `Telvana Mobile` -> `telvana-mobile`: the ASCII part of a download's file name. */
function fileSlug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'watch'
  );
}

/** An attachment name with the watch and the day: plain ASCII, plus RFC 6266 `filename*` for any name. */
export function exportDisposition(watchName: string | null, day: Date, format: ExportFormat): string {
  const date = day.toISOString().slice(0, 10);
  const ascii = `trustwatch-${watchName === null ? 'mentions' : fileSlug(watchName)}-${date}.${format}`;
  if (watchName === null) return `attachment; filename="${ascii}"`;
  const full = `trustwatch-${watchName.replace(/[\p{Cc}/\\"]/gu, '').trim()}-${date}.${format}`;
  const encoded = encodeURIComponent(full).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

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
      summary: 'List mentions, newest first (or oldest, or most negative first)',
      description:
        'Filters combine with AND. `signal`, `label` and `language` repeat or take comma lists. ' +
        '`ratingMin`/`ratingMax` compare ratings as stars out of 5 (8/10 is 4); unrated mentions drop out. ' +
        '`q` keeps mentions whose title or text contains every word, case-insensitive. Pass `nextCursor` ' +
        'back as `cursor` (with the same `sort`) for the next page.',
      request: { query: mentionQuerySchema },
      responses: { 200: jsonContent(pageOf(MentionSchema), 'A page of mentions') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listMentions(deps.db, {
        ...mentionFilterOf(c.get('principal').workspaceId, q),
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(page, 200);
    },
  );
  // Before /{id}, which would take "export" for an id.
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/export',
      tags: ['mentions'],
      operationId: 'exportMentions',
      summary: 'Download every mention of the filters as CSV or JSON Lines, streamed',
      description:
        'The list filters and `sort`, without `limit` or `cursor`: every matching mention, streamed in ' +
        'constant memory. CSV (RFC 4180, UTF-8, header row) has the list fields flattened; text cells ' +
        "starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` (formula injection guard). JSONL " +
        'has one list item per line. If the database fails part-way, the last line says so: ' +
        '`# error: CODE` (CSV) or `{"error": {"code", "message"}}` (JSONL).',
      request: { query: mentionExportQuerySchema },
      responses: {
        200: {
          description: 'The mentions, as an attachment named after the watch and the day',
          content: {
            'text/csv': { schema: z.string().openapi({ example: 'id,publishedAt,...' }) },
            'application/x-ndjson': { schema: z.string().openapi({ example: '{"id":1,...}' }) },
          },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const workspaceId = c.get('principal').workspaceId;
      // A watch of another workspace is a 404 here, before any byte of the body is sent.
      const watch = q.watch ? await getWatch(deps.db, workspaceId, q.watch) : null;
      const started = performance.now();
      const at = { path: c.req.path, format: q.format, watchId: q.watch ?? null };
      const body = exportStream(streamMentions(deps.db, mentionFilterOf(workspaceId, q)), {
        format: q.format,
        onEnd: (rows, bytes) =>
          deps.log.info({ ...at, rows, bytes, ms: Math.round(performance.now() - started) }, 'export done'),
        onError: (err, code, rows) =>
          deps.log.error(
            { ...at, code, rows, err: err instanceof Error ? err.message : String(err) },
            'export failed part-way; ended with an error line',
          ),
      });
      return c.body(body, 200, {
        'Content-Type': EXPORT_CONTENT_TYPES[q.format],
        'Content-Disposition': exportDisposition(watch?.name ?? null, deps.now?.() ?? new Date(), q.format),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
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
