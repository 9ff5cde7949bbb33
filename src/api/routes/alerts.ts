import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { alertSnapshot } from '../../alert/enqueue.ts';
import { transitionAlert } from '../../alert/lifecycle.ts';
import { type Alert, alertEvents, getAlert, listAlerts } from '../../store/repositories/alerts.ts';
import { listDeliveries } from '../../store/repositories/deliveries.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonContent, pageOf, resource, uuidParams } from '../openapi/schemas.ts';
import { DeliverySchema, deliveryView } from './deliveries.ts';

/** What the alert endpoints need beyond ApiDeps: links, the Slack secret, and a worker to wake. */
export interface AlertApiOptions {
  /** Public base URL for "Open in trustwatch" links. */
  baseUrl: string;
  /** Enables POST /slack/interactions. */
  slackSigningSecret?: string | undefined;
  /** Called after deliveries were committed (wakes an in-process delivery worker). */
  onEnqueued?: () => void;
}

export type AlertApiDeps = ApiDeps & { alerts?: AlertApiOptions | undefined };

export function alertOptions(deps: AlertApiDeps): AlertApiOptions {
  return deps.alerts ?? { baseUrl: 'http://127.0.0.1:8080' };
}

export function transitionOptions(deps: AlertApiDeps) {
  const o = alertOptions(deps);
  return {
    baseUrl: o.baseUrl,
    ...(deps.now ? { now: deps.now } : {}),
    ...(o.onEnqueued ? { onEnqueued: o.onEnqueued } : {}),
  };
}

export function alertView(a: Alert, baseUrl: string) {
  const s = alertSnapshot(a, null, baseUrl);
  const { watchName: _w, ...rest } = s;
  return { ...rest, dedupeKey: a.dedupeKey, lastDetectedAt: a.lastDetectedAt, resolvedBy: a.resolvedBy };
}

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  watch: z.uuid().optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const AlertSchema = resource('Alert', {
  id: z.uuid(),
  url: z.string().openapi({ description: 'The alert in the trustwatch dashboard' }),
  watchId: z.string().nullable(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  state: z.enum(['open', 'acknowledged', 'resolved']),
  title: z.string(),
  summary: z.string(),
  detectionCount: z.number().int(),
  openedAt: dateTime,
  updatedAt: dateTime,
  acknowledgedAt: dateTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: dateTime.nullable(),
  dedupeKey: z.string(),
  lastDetectedAt: dateTime,
});

const AlertDetailSchema = resource('AlertDetail', {
  ...AlertSchema.shape,
  events: z.array(
    z.looseObject({ id: z.number().int(), action: z.string(), actor: z.string(), at: dateTime }),
  ),
  deliveries: z.array(DeliverySchema),
});

const TransitionedSchema = resource('AlertTransition', {
  ...AlertSchema.shape,
  changed: z.boolean().openapi({ description: 'false when the alert already was in that state' }),
});

export function alertRoutes(deps: AlertApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  const baseUrl = () => alertOptions(deps).baseUrl;
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['alerts'],
      operationId: 'listAlerts',
      summary: 'Alerts, newest first',
      request: { query: listQuery },
      responses: { 200: jsonContent(pageOf(AlertSchema), 'A page of alerts') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listAlerts(deps.db, c.get('principal').workspaceId, {
        state: q.state,
        watchId: q.watch,
        severity: q.severity,
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(
        { items: page.items.map((a) => alertView(a, baseUrl())), nextCursor: page.nextCursor },
        200,
      );
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['alerts'],
      operationId: 'getAlert',
      summary: 'One alert with its history and deliveries',
      request: { params: uuidParams },
      responses: { 200: jsonContent(AlertDetailSchema, 'The alert') },
    }),
    async (c) => {
      const ws = c.get('principal').workspaceId;
      const alert = await getAlert(deps.db, ws, c.req.valid('param').id);
      const [events, deliveries] = await Promise.all([
        alertEvents(deps.db, alert.id),
        listDeliveries(deps.db, ws, { alertId: alert.id, limit: 100 }),
      ]);
      return c.json(
        { ...alertView(alert, baseUrl()), events, deliveries: deliveries.map(deliveryView) },
        200,
      );
    },
  );
  for (const [path, to, operationId, summary] of [
    ['ack', 'acknowledged', 'acknowledgeAlert', 'Acknowledge an alert (someone is on it)'],
    ['resolve', 'resolved', 'resolveAlert', 'Resolve an alert'],
  ] as const) {
    app.openapi(
      apiRoute('reviewer', {
        method: 'post',
        path: `/{id}/${path}`,
        tags: ['alerts'],
        operationId,
        summary,
        request: { params: uuidParams },
        responses: { 200: jsonContent(TransitionedSchema, 'The alert in its new state') },
      }),
      async (c) => {
        const principal = c.get('principal');
        const { alert, changed } = await transitionAlert(
          deps.db,
          principal.workspaceId,
          c.req.valid('param').id,
          to,
          actorOf(principal),
          transitionOptions(deps),
        );
        return c.json({ ...alertView(alert, baseUrl()), changed }, 200);
      },
    );
  }
  return app;
}
