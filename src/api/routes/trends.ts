import { Hono } from 'hono';
import { z } from 'zod';
import {
  checkSeriesRange,
  isValidTimeZone,
  readTopTerms,
  readWatchSeries,
} from '../../store/repositories/series.ts';
import { readShareOfVoice, toTrendBucket, totalOf } from '../../store/repositories/trends.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';

export const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

export const timeZone = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)' });

const windowFields = {
  watch: z.uuid(),
  from: isoDate.optional(),
  to: isoDate.optional(),
};

export const trendQuerySchema = z
  .object({
    ...windowFields,
    bucket: z.enum(['hour', 'day', 'week']).default('hour'),
    tz: timeZone.default('UTC'),
  })
  .strict();

export const topQuerySchema = z
  .object({
    ...windowFields,
    kind: z.enum(['term', 'hashtag', 'author']).default('term'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const DAY_MS = 86_400_000;

/** Defaults: up to now, over the last 90 days (7 for top terms, where recency is the point). */
function window(q: { from?: Date | undefined; to?: Date | undefined }, now: Date, days: number) {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - days * DAY_MS);
  return { from, to };
}

/**
 * GET /api/v1/trends                 per-bucket volume, sentiment, reputation index, signals, rating,
 *                                    reach and mentions by source, with totals for the window
 * GET /api/v1/trends/share-of-voice  the brand against its competitor watches
 * GET /api/v1/trends/top             top terms, hashtags or authors for a window
 * All read rollups only (see src/store/repositories/series.ts).
 */
export function trendRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = () => deps.now?.() ?? new Date();

  app.get('/', async (c) => {
    const q = parseInput(trendQuerySchema, c.req.query(), 'query');
    const { from, to } = window(q, now(), 90);
    checkSeriesRange(from, to, q.bucket);
    const workspaceId = c.get('principal').workspaceId;
    const watch = await getWatch(deps.db, workspaceId, q.watch);
    const series = await readWatchSeries(deps.db, {
      workspaceId,
      watchId: watch.id,
      from,
      to,
      bucket: q.bucket,
      tz: q.tz,
    });
    const buckets = series.map(toTrendBucket);
    return c.json({
      watch: { id: watch.id, name: watch.name, kind: watch.kind },
      bucket: q.bucket,
      tz: q.tz,
      from: buckets[0]?.start ?? from,
      to,
      totals: totalOf(series),
      buckets,
    });
  });

  app.get('/share-of-voice', async (c) => {
    const q = parseInput(trendQuerySchema, c.req.query(), 'query');
    const { from, to } = window(q, now(), 90);
    checkSeriesRange(from, to, q.bucket);
    const workspaceId = c.get('principal').workspaceId;
    const watch = await getWatch(deps.db, workspaceId, q.watch);
    const watches = await readShareOfVoice(deps.db, {
      workspaceId,
      watchId: watch.id,
      from,
      to,
      bucket: q.bucket,
      tz: q.tz,
    });
    return c.json({ bucket: q.bucket, tz: q.tz, from: watches[0]?.buckets[0]?.start ?? from, to, watches });
  });

  app.get('/top', async (c) => {
    const q = parseInput(topQuerySchema, c.req.query(), 'query');
    const { from, to } = window(q, now(), 7);
    checkSeriesRange(from, to, 'hour');
    const workspaceId = c.get('principal').workspaceId;
    const watch = await getWatch(deps.db, workspaceId, q.watch);
    const items = await readTopTerms(deps.db, {
      workspaceId,
      watchId: watch.id,
      from,
      to,
      kind: q.kind,
      limit: q.limit,
    });
    return c.json({ watch: { id: watch.id, name: watch.name }, kind: q.kind, from, to, items });
  });
  return app;
}
