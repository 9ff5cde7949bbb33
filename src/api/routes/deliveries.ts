import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type Delivery,
  getDelivery,
  listDeliveries,
  retryDelivery,
} from '../../store/repositories/deliveries.ts';
import { type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonContent, listOf, resource, uuidParams } from '../openapi/schemas.ts';
import { type AlertApiDeps, alertOptions } from './alerts.ts';

/** A delivery as the API shows it: the destination is already redacted; the payload is left out of lists. */
export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    alertId: d.alertId,
    routeId: d.routeId,
    destination: d.destination,
    event: d.event,
    state: d.state,
    attempts: d.attempts,
    idempotencyKey: d.idempotencyKey,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
    lastAttemptAt: d.lastAttemptAt,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
    deadAt: d.deadAt,
  };
}

const listQuery = z.object({
  state: z.enum(['pending', 'sending', 'delivered', 'dead']).optional(),
  alert: z.uuid().optional(),
  route: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const deliveryState = z.enum(['pending', 'sending', 'delivered', 'dead']);

export const DeliverySchema = resource('Delivery', {
  id: z.uuid(),
  alertId: z.string().nullable(),
  routeId: z.string().nullable(),
  destination: z.string().openapi({ description: 'Redacted: never a full URL or secret' }),
  event: z.string(),
  state: deliveryState,
  attempts: z.number().int(),
  idempotencyKey: z.string(),
  nextAttemptAt: dateTime.nullable(),
  lastAttemptAt: dateTime.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: dateTime,
  deliveredAt: dateTime.nullable(),
  deadAt: dateTime.nullable(),
});

const DeliveryDetailSchema = resource('DeliveryDetail', {
  ...DeliverySchema.shape,
  payload: z.unknown().openapi({ description: 'The message as sent' }),
});

export function deliveryRoutes(deps: AlertApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['deliveries'],
      operationId: 'listDeliveries',
      summary: 'Deliveries, newest first',
      request: { query: listQuery },
      responses: { 200: jsonContent(listOf(DeliverySchema), 'The deliveries (without payloads)') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await listDeliveries(deps.db, c.get('principal').workspaceId, {
        state: q.state,
        alertId: q.alert,
        routeId: q.route,
        limit: q.limit,
      });
      return c.json({ items: items.map(deliveryView) }, 200);
    },
  );
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: ['deliveries'],
      operationId: 'getDelivery',
      summary: 'One delivery with its payload',
      request: { params: uuidParams },
      responses: { 200: jsonContent(DeliveryDetailSchema, 'The delivery') },
    }),
    async (c) => {
      const d = await getDelivery(deps.db, c.get('principal').workspaceId, c.req.valid('param').id);
      return c.json({ ...deliveryView(d), payload: d.payload }, 200);
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/{id}/retry',
      tags: ['deliveries'],
      operationId: 'retryDelivery',
      summary: 'Send a dead delivery again',
      request: { params: uuidParams },
      responses: { 202: jsonContent(DeliverySchema, 'Queued again') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const d = await retryDelivery(
        deps.db,
        principal.workspaceId,
        c.req.valid('param').id,
        actorOf(principal),
        deps.now?.() ?? new Date(),
      );
      alertOptions(deps).onEnqueued?.();
      return c.json(deliveryView(d), 202);
    },
  );
  return app;
}
