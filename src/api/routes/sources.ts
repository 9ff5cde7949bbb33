import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getAdapter, parseSourceConfig, publicConfig } from '../../../sources/index.ts';
import { type SourceRecord, createSource, getSource, listSources } from '../../store/repositories/sources.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, listOf, resource, uuidParams } from '../openapi/schemas.ts';

export const newSourceSchema = z.object({
  type: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  config: z.record(z.string(), z.unknown()),
  watchId: z.uuid().nullish(),
  intervalSeconds: z
    .number()
    .int()
    .min(30)
    .max(7 * 86400)
    .optional(),
  enabled: z.boolean().default(true),
});

export const SourceSchema = resource('Source', {
  id: z.uuid(),
  type: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()).openapi({ description: 'Secrets masked' }),
  watchId: z.string().nullable(),
  enabled: z.boolean(),
  intervalSeconds: z.number().int(),
  health: z.object({
    nextPollAt: dateTime,
    lastPolledAt: dateTime.nullable(),
    lastSuccessAt: dateTime.nullable(),
    lastError: z.string().nullable(),
    lastErrorCode: z.string().nullable(),
    lastErrorAt: dateTime.nullable(),
    consecutiveFailures: z.number().int(),
    lastStats: z.record(z.string(), z.unknown()).nullable(),
  }),
  createdAt: dateTime,
});

/** A source as the API shows it: secrets masked, cursor omitted, health spelled out. */
export function sourceView(s: SourceRecord) {
  return {
    id: s.id,
    type: s.type,
    name: s.name,
    config: publicConfig(s.type, s.config),
    watchId: s.watchId,
    enabled: s.enabled,
    intervalSeconds: s.intervalSeconds,
    health: s.health,
    createdAt: s.createdAt,
  };
}

export function sourceRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['sources'],
      operationId: 'listSources',
      summary: 'List sources with their health',
      responses: { 200: jsonContent(listOf(SourceSchema), 'The sources') },
    }),
    async (c) => {
      const sources = await listSources(deps.db, c.get('principal').workspaceId);
      return c.json({ items: sources.map(sourceView) }, 200);
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['sources'],
      operationId: 'getSource',
      summary: 'One source with its health',
      request: { params: uuidParams },
      responses: { 200: jsonContent(SourceSchema, 'The source') },
    }),
    async (c) =>
      c.json(
        sourceView(await getSource(deps.db, c.get('principal').workspaceId, c.req.valid('param').id)),
        200,
      ),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/',
      tags: ['sources'],
      operationId: 'createSource',
      summary: 'Add a source',
      description:
        "`config` is checked against the adapter's own schema; secrets in it are never shown again.",
      request: { body: jsonBody(newSourceSchema) },
      responses: { 201: jsonContent(SourceSchema, 'The new source') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const adapter = getAdapter(input.type);
      const config = parseSourceConfig(input.type, input.config);
      const principal = c.get('principal');
      if (input.watchId) await getWatch(deps.db, principal.workspaceId, input.watchId);
      const source = await createSource(
        deps.db,
        principal.workspaceId,
        {
          type: input.type,
          name: input.name,
          config,
          watchId: input.watchId ?? null,
          intervalSeconds: input.intervalSeconds ?? adapter.defaultIntervalSeconds,
          enabled: input.enabled,
        },
        actorOf(principal),
        publicConfig(input.type, config),
      );
      return c.json(sourceView(source), 201);
    },
  );
  return app;
}
