import { Hono } from 'hono';
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
import { requireRole } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { parseInput, readJson } from '../validate.ts';
import { type AlertApiDeps, alertOptions } from './alerts.ts';

/** Alert routes: where alerts of which kinds and severities go. URLs and secrets are never shown. */
export function alertRouteRoutes(deps: AlertApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const routes = await listRoutes(deps.db, c.get('principal').workspaceId);
    return c.json({ items: routes.map(routeView) });
  });
  app.get('/:id', async (c) =>
    c.json(routeView(await getRoute(deps.db, c.get('principal').workspaceId, c.req.param('id')))),
  );
  app.post('/', requireRole('admin'), async (c) => {
    const body = parseInput(newRouteSchema, await readJson(c.req), 'body');
    const principal = c.get('principal');
    if (body.watchId) await getWatch(deps.db, principal.workspaceId, body.watchId);
    const { input, generatedSecret } = toRouteInput(body);
    const route = await createRoute(deps.db, principal.workspaceId, input, `token:${principal.tokenId}`);
    // The generated signing secret is shown this once, like an API token; it cannot be read back.
    return c.json({ ...routeView(route), ...(generatedSecret ? { secret: generatedSecret } : {}) }, 201);
  });
  app.patch('/:id', requireRole('admin'), async (c) => {
    const body = parseInput(routePatchSchema, await readJson(c.req), 'body');
    const principal = c.get('principal');
    const current = await getRoute(deps.db, principal.workspaceId, c.req.param('id'));
    if (body.watchId) await getWatch(deps.db, principal.workspaceId, body.watchId);
    const route = await updateRoute(
      deps.db,
      principal.workspaceId,
      current.id,
      toRoutePatch(current, body),
      `token:${principal.tokenId}`,
    );
    return c.json(routeView(route));
  });
  app.delete('/:id', requireRole('admin'), async (c) => {
    const principal = c.get('principal');
    await deleteRoute(deps.db, principal.workspaceId, c.req.param('id'), `token:${principal.tokenId}`);
    return c.body(null, 204);
  });
  app.post('/:id/test', requireRole('admin'), async (c) => {
    const principal = c.get('principal');
    const route = await getRoute(deps.db, principal.workspaceId, c.req.param('id'));
    const opts = alertOptions(deps);
    const deliveryId = await enqueueTestMessage(deps.db, route, {
      now: deps.now?.() ?? new Date(),
      baseUrl: opts.baseUrl,
    });
    opts.onEnqueued?.();
    return c.json({ deliveryId, state: 'pending' }, 202);
  });
  return app;
}
