import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { MAX_TREND_BUCKETS, readTrend } from '../../store/repositories/trends.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput } from '../validate.ts';

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));

export const trendQuerySchema = z
  .object({
    watch: z.uuid(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    bucket: z.enum(['hour', 'day']).default('hour'),
  })
  .strict();

const DAY_MS = 86_400_000;

export function trendRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const q = parseInput(trendQuerySchema, c.req.query(), 'query');
    const now = deps.now?.() ?? new Date();
    const to = q.to ?? now;
    const from = q.from ?? new Date(to.getTime() - 90 * DAY_MS);
    if (from >= to)
      throw new ValidationError('"from" must be before "to"', [
        { path: 'from', message: 'must be before to' },
      ]);
    const span = (to.getTime() - from.getTime()) / (q.bucket === 'hour' ? 3_600_000 : DAY_MS);
    if (span > MAX_TREND_BUCKETS) {
      throw new ValidationError(
        `The range spans ${Math.ceil(span)} buckets; the limit is ${MAX_TREND_BUCKETS}`,
        [{ path: 'from', message: `range too long for bucket=${q.bucket}` }],
      );
    }
    const workspaceId = c.get('principal').workspaceId;
    const watch = await getWatch(deps.db, workspaceId, q.watch);
    const buckets = await readTrend(deps.db, { workspaceId, watchId: watch.id, from, to, bucket: q.bucket });
    const totals = buckets.reduce(
      (t, b) => ({
        mentions: t.mentions + b.mentions,
        positive: t.positive + b.positive,
        negative: t.negative + b.negative,
        neutral: t.neutral + b.neutral,
      }),
      { mentions: 0, positive: 0, negative: 0, neutral: 0 },
    );
    return c.json({
      watch: { id: watch.id, name: watch.name },
      bucket: q.bucket,
      from: buckets[0]?.start ?? from,
      to,
      totals,
      buckets,
    });
  });
  return app;
}
