import { Hono } from 'hono';
import { sql } from 'kysely';
import type { ApiDeps } from '../context.ts';
import { problem } from '../problem.ts';

/** Liveness (process is up) and readiness (database answers). Unauthenticated, no internals. */
export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ready', storage: deps.storage });
    } catch (err) {
      deps.log.warn({ err: String(err) }, 'readiness check failed');
      return problem(c, 503, 'DATABASE', 'Database is not reachable');
    }
  });
  return app;
}
