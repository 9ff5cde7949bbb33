import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { QueryParseError } from '../../core/query/index.ts';
import { previewWatch } from '../../ingest/preview.ts';
import { MAX_PREVIEW_MENTIONS, readRecentMentions } from '../../store/repositories/mention-samples.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, resource } from '../openapi/schemas.ts';
import { problem } from '../problem.ts';
import { newWatchSchema, validateWatchQueries } from './watches.ts';

export const DEFAULT_PREVIEW_MENTIONS = 500;

const previewBodySchema = z
  .object({
    query: newWatchSchema.shape.query,
    exclusions: newWatchSchema.shape.exclusions,
    ownedHandles: newWatchSchema.shape.ownedHandles,
    recent: z
      .number()
      .int()
      .min(1)
      .max(MAX_PREVIEW_MENTIONS)
      .default(DEFAULT_PREVIEW_MENTIONS)
      .openapi({ description: `How many of the most recent mentions to test (max ${MAX_PREVIEW_MENTIONS})` }),
  })
  .strict();

const highlightSchema = z.object({
  field: z.enum(['title', 'text']),
  start: z.number().int(),
  end: z.number().int().openapi({ description: 'Exclusive; UTF-16 offsets, like String.prototype.slice' }),
  term: z.string(),
});

const PreviewSchema = resource('WatchPreview', {
  scanned: z.number().int().openapi({ description: 'Mentions tested (the most recent ones)' }),
  matched: z.number().int().openapi({ description: 'Would belong to the watch' }),
  owned: z.number().int().openapi({ description: 'Of those, posted by an owned handle' }),
  excluded: z.number().int().openapi({ description: 'Matched the query but an exclusion removed them' }),
  samples: z.array(
    z.looseObject({
      id: z.number().int(),
      publishedAt: dateTime,
      title: z.string().nullable(),
      text: z.string(),
      url: z.string().nullable(),
      owned: z.boolean(),
      terms: z.array(z.string()),
      highlights: z.array(highlightSchema),
    }),
  ),
});

/**
 * POST /api/v1/watches/preview: what a draft watch would catch among the workspace's recent
 * mentions, before it is saved. Nothing is written.
 */
export function watchPreviewRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'post',
      path: '/',
      tags: ['watches'],
      operationId: 'previewWatch',
      summary: 'Check a watch query against recent mentions',
      description:
        'Validates the query and exclusions (a syntax error is a 400 with `code` QUERY_SYNTAX, `field` and ' +
        '`position`), then runs them with the ingest matcher over the most recent mentions of the workspace: ' +
        'counts, and up to 20 matches with the terms found and where they are.',
      request: { body: jsonBody(previewBodySchema) },
      responses: { 200: jsonContent(PreviewSchema, 'Counts and sample matches') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        validateWatchQueries(body);
      } catch (err) {
        if (!(err instanceof QueryParseError)) throw err;
        return queryProblem(c, err);
      }
      const mentions = await readRecentMentions(deps.db, c.get('principal').workspaceId, body.recent);
      const result = previewWatch(body, mentions);
      return c.json(
        {
          scanned: result.scanned,
          matched: result.matched,
          owned: result.owned,
          excluded: result.excluded,
          samples: result.samples.map((s) => ({
            id: s.mention.id,
            publishedAt: s.mention.publishedAt,
            sourceType: s.mention.sourceType ?? null,
            sourceName: s.mention.sourceName ?? null,
            authorHandle: s.mention.authorHandle ?? null,
            authorName: s.mention.authorName,
            url: s.mention.url,
            title: s.mention.title ?? null,
            text: s.mention.text,
            language: s.mention.language ?? null,
            owned: s.owned,
            terms: s.terms,
            highlights: s.highlights,
          })),
        },
        200,
      );
    },
  );
  return app;
}

/** The usual problem+json, plus the field and the position of the syntax error as members. */
async function queryProblem(c: Parameters<typeof problem>[0], err: QueryParseError): Promise<Response> {
  const field = typeof err.details.field === 'string' ? err.details.field : 'query';
  const res = problem(c, 400, 'QUERY_SYNTAX', err.message, [{ path: field, message: err.message }]);
  const body = { ...(await res.json()), field, position: err.position };
  return c.body(JSON.stringify(body), 400, { 'content-type': 'application/problem+json' });
}
