import { Hono } from 'hono';
import { z } from 'zod';
import {
  MAX_METRIC_POINTS,
  checkMetricName,
  listMetrics,
  readMetric,
  recordMetricPoints,
} from '../../store/repositories/metrics.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput, readJson } from '../validate.ts';
import { isoDate, timeZone } from './trends.ts';

const point = z
  .object({
    at: z.iso.datetime({ offset: true }).or(z.iso.date()),
    value: z.number().finite(),
  })
  .strict();

/** One point, or `{ "points": [...] }`. */
export const metricBodySchema = z.union([
  point.transform((p) => [p]),
  z
    .object({ points: z.array(point).min(1).max(MAX_METRIC_POINTS) })
    .strict()
    .transform((b) => b.points),
]);

export const metricQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    bucket: z.enum(['raw', 'hour', 'day', 'week']).default('raw'),
    agg: z.enum(['sum', 'avg', 'min', 'max', 'last']).default('sum'),
    tz: timeZone.default('UTC'),
  })
  .strict();

const DAY_MS = 86_400_000;

/**
 * POST /api/v1/metrics/:name  time-stamped values (reviewer or admin): `{"at", "value"}` or
 *                             `{"points": [{"at", "value"}, ...]}`; the same time again replaces
 * GET  /api/v1/metrics        the workspace's metric names with point counts and time span
 * GET  /api/v1/metrics/:name  raw points or a bucketed series (`bucket`, `agg`, `tz`)
 */
export function metricRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => c.json({ items: await listMetrics(deps.db, c.get('principal').workspaceId) }));

  app.post('/:name', requireRole('reviewer'), async (c) => {
    const name = checkMetricName(c.req.param('name'));
    const points = parseInput(metricBodySchema, await readJson(c.req), 'body').map((p) => ({
      at: new Date(p.at),
      value: p.value,
    }));
    // Data, like mentions, not configuration: not written to the audit log.
    const result = await recordMetricPoints(deps.db, c.get('principal').workspaceId, name, points);
    return c.json({ name, received: points.length, ...result }, result.inserted > 0 ? 201 : 200);
  });

  app.get('/:name', async (c) => {
    const name = checkMetricName(c.req.param('name'));
    const q = parseInput(metricQuerySchema, c.req.query(), 'query');
    const to = q.to ?? deps.now?.() ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 90 * DAY_MS);
    const items = await readMetric(deps.db, {
      workspaceId: c.get('principal').workspaceId,
      name,
      from,
      to,
      bucket: q.bucket,
      aggregate: q.agg,
      tz: q.tz,
    });
    return c.json({
      name,
      bucket: q.bucket,
      aggregate: q.bucket === 'raw' ? null : q.agg,
      tz: q.tz,
      from,
      to,
      items,
    });
  });
  return app;
}
