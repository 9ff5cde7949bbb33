import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { QueryParseError, compileQuery } from '../../core/query/index.ts';
import { createWatch, getWatch, listWatches, setWatchLexicon } from '../../store/repositories/watches.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, listOf, resource, uuidParams } from '../openapi/schemas.ts';

/** Most entries a watch's lexicon may hold: it corrects a few words, it is not a second lexicon. */
export const MAX_LEXICON_ENTRIES = 500;

/**
 * A watch's lexicon: word or phrase -> weight on AFINN's -5..5 scale. Keys are folded to lower case
 * and trimmed, the way the scorer looks them up.
 */
export const lexiconSchema = z
  .record(
    z.string().trim().min(1, 'a lexicon word cannot be empty').max(100),
    z.number().finite().min(-5).max(5),
  )
  .refine((r) => Object.keys(r).length <= MAX_LEXICON_ENTRIES, {
    message: `at most ${MAX_LEXICON_ENTRIES} entries`,
  })
  .transform((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.trim().toLowerCase().replace(/\s+/g, ' '), v])),
  );

export const newWatchSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['brand', 'competitor']).default('brand'),
  query: z.string().trim().min(1).max(2000),
  exclusions: z.array(z.string().trim().min(1).max(2000)).max(100).default([]),
  ownedHandles: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  competitorOf: z.uuid().nullish(),
  lexicon: lexiconSchema.default({}),
});

export const WatchSchema = resource('Watch', {
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['brand', 'competitor']),
  query: z.string(),
  exclusions: z.array(z.string()),
  ownedHandles: z.array(z.string()),
  competitorOf: z.string().nullable(),
  lexicon: z.record(z.string(), z.number()),
  createdAt: dateTime,
});

/**
 * Validates a watch's query and exclusions. A syntax error keeps its position and gains the field
 * (`query` or `exclusions.N`) and the offending text, so the API and CLI can point at it.
 */
export function validateWatchQueries(input: { query: string; exclusions: string[] }): void {
  const fields: [string, string][] = [
    ['query', input.query],
    ...input.exclusions.map((q, i): [string, string] => [`exclusions.${i}`, q]),
  ];
  for (const [field, text] of fields) {
    try {
      compileQuery(text);
    } catch (err) {
      if (err instanceof QueryParseError) Object.assign(err.details, { field, query: text });
      throw err;
    }
  }
}

export function watchRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['watches'],
      operationId: 'listWatches',
      summary: 'List the watches of the workspace',
      responses: { 200: jsonContent(listOf(WatchSchema), 'The watches') },
    }),
    async (c) => {
      const watches = await listWatches(deps.db, c.get('principal').workspaceId);
      return c.json({ items: watches }, 200);
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['watches'],
      operationId: 'getWatch',
      summary: 'One watch',
      request: { params: uuidParams },
      responses: { 200: jsonContent(WatchSchema, 'The watch') },
    }),
    async (c) =>
      c.json(await getWatch(deps.db, c.get('principal').workspaceId, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/',
      tags: ['watches'],
      operationId: 'createWatch',
      summary: 'Create a watch',
      description: 'The query and exclusions are checked; a syntax error names the field and position.',
      request: { body: jsonBody(newWatchSchema) },
      responses: { 201: jsonContent(WatchSchema, 'The new watch') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      validateWatchQueries(input);
      const principal = c.get('principal');
      const watch = await createWatch(deps.db, principal.workspaceId, input, actorOf(principal));
      return c.json(watch, 201);
    },
  );
  // Replaces the whole lexicon ({} clears it); new and re-fetched mentions are scored with it.
  app.openapi(
    apiRoute('admin', {
      method: 'put',
      path: '/{id}/lexicon',
      tags: ['watches'],
      operationId: 'setWatchLexicon',
      summary: "Replace a watch's lexicon",
      description: "Word or phrase -> weight on AFINN's -5..5 scale; `{}` clears it.",
      request: { params: uuidParams, body: jsonBody(lexiconSchema) },
      responses: { 200: jsonContent(WatchSchema, 'The watch with its new lexicon') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const watch = await setWatchLexicon(
        deps.db,
        principal.workspaceId,
        c.req.valid('param').id,
        c.req.valid('json'),
        actorOf(principal),
      );
      return c.json(watch, 200);
    },
  );
  return app;
}
