import { Hono } from 'hono';
import { z } from 'zod';
import {
  type Delivery,
  getDelivery,
  listDeliveries,
  retryDelivery,
} from '../../store/repositories/deliveries.ts';
import { requireRole } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';
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

export function deliveryRoutes(deps: AlertApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseInput(listQuery, c.req.query(), 'query');
    const items = await listDeliveries(deps.db, c.get('principal').workspaceId, {
      state: q.state,
      alertId: q.alert,
      routeId: q.route,
      limit: q.limit,
    });
    return c.json({ items: items.map(deliveryView) });
  });
  app.get('/:id', async (c) => {
    const d = await getDelivery(deps.db, c.get('principal').workspaceId, c.req.param('id'));
    return c.json({ ...deliveryView(d), payload: d.payload });
  });
  app.post('/:id/retry', requireRole('admin'), async (c) => {
    const principal = c.get('principal');
    const d = await retryDelivery(
      deps.db,
      principal.workspaceId,
      c.req.param('id'),
      `token:${principal.tokenId}`,
      deps.now?.() ?? new Date(),
    );
    alertOptions(deps).onEnqueued?.();
    return c.json(deliveryView(d), 202);
  });
  return app;
}
