import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  MAX_METRIC_POINTS,
  checkMetricName,
  listMetrics,
  readMetric,
  recordMetricPoints,
} from '../../store/repositories/metrics.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, listOf, resource } from '../openapi/schemas.ts';
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
const nameParams = z.object({
  name: z.string().openapi({
    param: { name: 'name', in: 'path' },
    description: 'Letters, digits, "_", "." or "-"; at most 64, starting with a letter or digit',
    example: 'orders',
  }),
});

const MetricSummarySchema = resource('MetricSummary', {
  name: z.string(),
  points: z.number().int(),
  first: dateTime,
  last: dateTime,
});

const MetricSeriesSchema = resource('MetricSeries', {
  name: z.string(),
  bucket: z.enum(['raw', 'hour', 'day', 'week']),
  aggregate: z.enum(['sum', 'avg', 'min', 'max', 'last']).nullable(),
  tz: z.string(),
  from: dateTime,
  to: dateTime,
  items: z.array(
    z.looseObject({
      start: dateTime,
      value: z.number().nullable().openapi({ description: 'null when no point falls in the bucket' }),
      points: z.number().int(),
    }),
  ),
});

const RecordedSchema = resource('MetricPointsRecorded', {
  name: z.string(),
  received: z.number().int(),
  inserted: z.number().int(),
});

export function metricRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['metrics'],
      operationId: 'listMetrics',
      summary: "The workspace's metric names with point counts and time span",
      responses: { 200: jsonContent(listOf(MetricSummarySchema), 'The metrics') },
    }),
    async (c) => c.json({ items: await listMetrics(deps.db, c.get('principal').workspaceId) }, 200),
  );

  app.openapi(
    apiRoute('reviewer', {
      method: 'post',
      path: '/{name}',
      tags: ['metrics'],
      operationId: 'recordMetricPoints',
      summary: 'Record time-stamped values',
      description:
        '`{"at", "value"}` or `{"points": [{"at", "value"}, ...]}`; the same time again replaces the value.',
      request: { params: nameParams, body: jsonBody(metricBodySchema) },
      responses: {
        200: jsonContent(RecordedSchema, 'Every point replaced an existing one'),
        201: jsonContent(RecordedSchema, 'At least one point was new'),
      },
    }),
    async (c) => {
      const name = checkMetricName(c.req.valid('param').name);
      const points = c.req.valid('json').map((p) => ({ at: new Date(p.at), value: p.value }));
      // Data, like mentions, not configuration: not written to the audit log.
      const result = await recordMetricPoints(deps.db, c.get('principal').workspaceId, name, points);
      const body = { name, received: points.length, ...result };
      return result.inserted > 0 ? c.json(body, 201) : c.json(body, 200);
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{name}',
      tags: ['metrics'],
      operationId: 'readMetric',
      summary: 'Raw points or a bucketed series of one metric',
      description: 'Defaults: the last 90 days up to now, raw points.',
      request: { params: nameParams, query: metricQuerySchema },
      responses: { 200: jsonContent(MetricSeriesSchema, 'The points or buckets') },
    }),
    async (c) => {
      const name = checkMetricName(c.req.valid('param').name);
      const q = c.req.valid('query');
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
      return c.json(
        {
          name,
          bucket: q.bucket,
          aggregate: q.bucket === 'raw' ? null : q.agg,
          tz: q.tz,
          from,
          to,
          items,
        },
        200,
      );
    },
  );
  return app;
}
