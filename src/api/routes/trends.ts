import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
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

/** A JSON answer ready to send: its bytes, the same gzipped, and its (weak) ETag. */
interface EncodedAnswer {
  json: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

function encodeAnswer(value: unknown): EncodedAnswer {
  const json = new TextEncoder().encode(JSON.stringify(value));
  // Level 1: a trend compresses ~8x at it, for a fraction of the default level's time.
  const gzip = new Uint8Array(gzipSync(json, { level: 1 }));
  return { json, gzip, etag: `W/"${createHash('sha1').update(json).digest('hex')}"` };
}

/** Gzip when the client accepts it (browsers, most HTTP clients do); a weak ETag covers both forms. */
function sendAnswer(c: Context, answer: EncodedAnswer): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    etag: answer.etag,
    vary: 'Accept-Encoding',
  };
  if (/\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
    headers['content-encoding'] = 'gzip';
    return c.body(answer.gzip, 200, headers);
  }
  return c.body(answer.json, 200, headers);
}

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
  // caching; the still-open hour lags ingestion by at most about twice the TTL.
  // The answer is kept serialized (UTF-8 bytes, and gzipped for clients that accept it) with its
  // ETag: stringifying, hashing and sending ~30 KB per request would cost more than everything else
  // on a cache hit. Without the cache (TTL 0) the same is done per request.
  // For another TTL after expiry the old answer is still served while one background read refreshes
  // it, so under load no request waits for the database.
  const ttl = deps.trendCacheMs ?? 0;
  const trends = new TtlCache<EncodedAnswer>(ttl, 1000, Date.now, ttl);

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
      const answer = await trends.get(key, async () => encodeAnswer(await readTrendBody(q, workspaceId)));
      return sendAnswer(c, answer);
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
