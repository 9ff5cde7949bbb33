import { createHash } from 'node:crypto';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  checkSeriesRange,
  isValidTimeZone,
  readTopTerms,
  readWatchSeries,
} from '../../store/repositories/series.ts';
import { readShareOfVoice, toTrendBucket, totalOf } from '../../store/repositories/trends.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonContent, resource } from '../openapi/schemas.ts';
import { TtlCache } from '../ttl-cache.ts';

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
const bucketSchema = z.looseObject({ start: dateTime, mentions: z.number().int() });
const watchRef = z.object({ id: z.uuid(), name: z.string() });

const TrendSchema = resource('Trend', {
  watch: watchRef.extend({ kind: z.enum(['brand', 'competitor']) }),
  bucket: z.enum(['hour', 'day', 'week']),
  tz: z.string(),
  from: dateTime,
  to: dateTime,
  totals: z.looseObject({ mentions: z.number().int() }),
  buckets: z.array(bucketSchema).openapi({
    description: 'Per bucket: volume, sentiment, reputation index, signals, rating, reach, sources',
  }),
});

const ShareOfVoiceSchema = resource('ShareOfVoice', {
  bucket: z.enum(['hour', 'day', 'week']),
  tz: z.string(),
  from: dateTime,
  to: dateTime,
  watches: z.array(z.looseObject({ buckets: z.array(bucketSchema) })),
});

const TopTermsSchema = resource('TopTerms', {
  watch: watchRef,
  kind: z.enum(['term', 'hashtag', 'author']),
  from: dateTime,
  to: dateTime,
  items: z.array(z.looseObject({})),
});

export function trendRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  const now = () => deps.now?.() ?? new Date();
  // Trend answers reused for TRUSTWATCH_TREND_CACHE_MS, keyed by the token's workspace and the
  // normalized query, so a dashboard polled by many viewers costs one series read per interval. No
  // bucket is final (late mentions update past hours too), hence a short TTL rather than per-bucket
  // caching; the still-open hour lags ingestion by at most the TTL.
  // The answer is kept serialized (UTF-8 bytes) with its ETag: stringifying, encoding and hashing
  // ~30 KB per request would cost more than everything else on a cache hit.
  const trends = new TtlCache<{ body: Uint8Array<ArrayBuffer>; etag: string }>(deps.trendCacheMs ?? 0, 1000);

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['trends'],
      operationId: 'getTrend',
      summary: "A watch's trend over time",
      description: 'Defaults: the last 90 days up to now, hourly buckets in UTC.',
      request: { query: trendQuerySchema },
      responses: { 200: jsonContent(TrendSchema, 'The series with totals for the window') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const workspaceId = c.get('principal').workspaceId;
      // Without from/to the window ends "now": one entry serves them all while it lives.
      const key = [workspaceId, q.watch, q.bucket, q.tz, q.from?.toISOString(), q.to?.toISOString()].join(
        '|',
      );
      const { body, etag } = await trends.get(key, async () => {
        const bytes = new TextEncoder().encode(JSON.stringify(await readTrendBody(q, workspaceId)));
        return { body: bytes, etag: `W/"${createHash('sha1').update(bytes).digest('hex')}"` };
      });
      return c.body(body, 200, { 'content-type': 'application/json', etag });
    },
  );

  async function readTrendBody(q: z.infer<typeof trendQuerySchema>, workspaceId: string): Promise<object> {
    const { from, to } = window(q, now(), 90);
    checkSeriesRange(from, to, q.bucket);
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
    return {
      watch: { id: watch.id, name: watch.name, kind: watch.kind },
      bucket: q.bucket,
      tz: q.tz,
      from: buckets[0]?.start ?? from,
      to,
      totals: totalOf(series),
      buckets,
    };
  }

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/share-of-voice',
      tags: ['trends'],
      operationId: 'getShareOfVoice',
      summary: 'The brand watch against its competitor watches',
      request: { query: trendQuerySchema },
      responses: { 200: jsonContent(ShareOfVoiceSchema, 'One series per watch') },
    }),
    async (c) => {
      const q = c.req.valid('query');
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
      return c.json(
        { bucket: q.bucket, tz: q.tz, from: watches[0]?.buckets[0]?.start ?? from, to, watches },
        200,
      );
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/top',
      tags: ['trends'],
      operationId: 'getTopTerms',
      summary: 'Top terms, hashtags or authors of a window',
      description: 'Defaults: the last 7 days up to now.',
      request: { query: topQuerySchema },
      responses: { 200: jsonContent(TopTermsSchema, 'The top items') },
    }),
    async (c) => {
      const q = c.req.valid('query');
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
      return c.json({ watch: { id: watch.id, name: watch.name }, kind: q.kind, from, to, items }, 200);
    },
  );
  return app;
}
