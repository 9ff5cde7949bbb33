import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { enqueueTestMessage } from '../../alert/enqueue.ts';
import {
  newRouteSchema,
  routePatchSchema,
  routeView,
  toRouteInput,
  toRoutePatch,
} from '../../alert/route-input.ts';
import {
  createRoute,
  deleteRoute,
  getRoute,
  listRoutes,
  updateRoute,
} from '../../store/repositories/alert-routes.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import { type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, listOf, resource, uuidParams } from '../openapi/schemas.ts';
import { type AlertApiDeps, alertOptions } from './alerts.ts';

const AlertRouteSchema = resource('AlertRoute', {
  id: z.uuid(),
  name: z.string(),
  type: z.enum(['slack', 'webhook']),
  url: z.string().openapi({ description: 'Redacted: the host only, never the secret path' }),
  signed: z.boolean(),
  watchId: z.string().nullable(),
  kinds: z.array(z.string()),
  minSeverity: z.enum(['info', 'warning', 'critical']),
  cooldownSeconds: z.number().int(),
  timeZone: z.string(),
  digest: z.string(),
  enabled: z.boolean(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

const CreatedRouteSchema = resource('AlertRouteCreated', {
  ...AlertRouteSchema.shape,
  secret: z
    .string()
    .optional()
    .openapi({ description: 'A generated webhook signing secret, shown this once' }),
});

/** Alert routes: where alerts of which kinds and severities go. URLs and secrets are never shown. */
export function alertRouteRoutes(deps: AlertApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['alert-routes'],
      operationId: 'listAlertRoutes',
      summary: 'Alert routes',
      responses: { 200: jsonContent(listOf(AlertRouteSchema), 'The routes') },
    }),
    async (c) => {
      const routes = await listRoutes(deps.db, c.get('principal').workspaceId);
      return c.json({ items: routes.map(routeView) }, 200);
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['alert-routes'],
      operationId: 'getAlertRoute',
      summary: 'One alert route',
      request: { params: uuidParams },
      responses: { 200: jsonContent(AlertRouteSchema, 'The route') },
    }),
    async (c) =>
      c.json(
        routeView(await getRoute(deps.db, c.get('principal').workspaceId, c.req.valid('param').id)),
        200,
      ),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/',
      tags: ['alert-routes'],
      operationId: 'createAlertRoute',
      summary: 'Add an alert route (Slack incoming webhook or signed webhook)',
      request: { body: jsonBody(newRouteSchema) },
      responses: { 201: jsonContent(CreatedRouteSchema, 'The new route') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      if (body.watchId) await getWatch(deps.db, principal.workspaceId, body.watchId);
      const { input, generatedSecret } = toRouteInput(body);
      const route = await createRoute(deps.db, principal.workspaceId, input, actorOf(principal));
      // The generated signing secret is shown this once, like an API token; it cannot be read back.
      return c.json({ ...routeView(route), ...(generatedSecret ? { secret: generatedSecret } : {}) }, 201);
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'patch',
      path: '/{id}',
      tags: ['alert-routes'],
      operationId: 'updateAlertRoute',
      summary: 'Change an alert route (only the fields sent)',
      request: { params: uuidParams, body: jsonBody(routePatchSchema) },
      responses: { 200: jsonContent(AlertRouteSchema, 'The route') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const current = await getRoute(deps.db, principal.workspaceId, c.req.valid('param').id);
      if (body.watchId) await getWatch(deps.db, principal.workspaceId, body.watchId);
      const route = await updateRoute(
        deps.db,
        principal.workspaceId,
        current.id,
        toRoutePatch(current, body),
        actorOf(principal),
      );
      return c.json(routeView(route), 200);
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'delete',
      path: '/{id}',
      tags: ['alert-routes'],
      operationId: 'deleteAlertRoute',
      summary: 'Delete an alert route',
      request: { params: uuidParams },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      const principal = c.get('principal');
      await deleteRoute(deps.db, principal.workspaceId, c.req.valid('param').id, actorOf(principal));
      return c.body(null, 204);
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/{id}/test',
      tags: ['alert-routes'],
      operationId: 'testAlertRoute',
      summary: 'Send a test message through the route',
      request: { params: uuidParams },
      responses: {
        202: jsonContent(
          z.object({ deliveryId: z.string(), state: z.literal('pending') }),
          'Queued; follow it under /deliveries',
        ),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const route = await getRoute(deps.db, principal.workspaceId, c.req.valid('param').id);
      const opts = alertOptions(deps);
      const deliveryId = await enqueueTestMessage(deps.db, route, {
        now: deps.now?.() ?? new Date(),
        baseUrl: opts.baseUrl,
      });
      opts.onEnqueued?.();
      return c.json({ deliveryId, state: 'pending' as const }, 202);
    },
  );
  return app;
}
