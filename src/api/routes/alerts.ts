import { Hono } from 'hono';
import { z } from 'zod';
import { alertSnapshot } from '../../alert/enqueue.ts';
import { transitionAlert } from '../../alert/lifecycle.ts';
import { type Alert, alertEvents, getAlert, listAlerts } from '../../store/repositories/alerts.ts';
import { listDeliveries } from '../../store/repositories/deliveries.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';
import { deliveryView } from './deliveries.ts';

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

export function alertRoutes(deps: AlertApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = () => alertOptions(deps).baseUrl;
  app.get('/', async (c) => {
    const q = parseInput(listQuery, c.req.query(), 'query');
    const page = await listAlerts(deps.db, c.get('principal').workspaceId, {
      state: q.state,
      watchId: q.watch,
      severity: q.severity,
      limit: q.limit,
      cursor: q.cursor,
    });
    return c.json({ items: page.items.map((a) => alertView(a, baseUrl())), nextCursor: page.nextCursor });
  });
  app.get('/:id', async (c) => {
    const ws = c.get('principal').workspaceId;
    const alert = await getAlert(deps.db, ws, c.req.param('id'));
    const [events, deliveries] = await Promise.all([
      alertEvents(deps.db, alert.id),
      listDeliveries(deps.db, ws, { alertId: alert.id, limit: 100 }),
    ]);
    return c.json({ ...alertView(alert, baseUrl()), events, deliveries: deliveries.map(deliveryView) });
  });
  for (const [path, to] of [
    ['ack', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    app.post(`/:id/${path}`, requireRole('reviewer'), async (c) => {
      const principal = c.get('principal');
      const { alert, changed } = await transitionAlert(
        deps.db,
        principal.workspaceId,
        c.req.param('id'),
        to,
        `token:${principal.tokenId}`,
        transitionOptions(deps),
      );
      return c.json({ ...alertView(alert, baseUrl()), changed });
    });
  }
  return app;
}
