import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EPISODE, demoStartAt } from '../../sources/demo/adapter.ts';
import { createApp } from '../../src/api/app.ts';
import { backfillDemo, seedDemoWorkspace } from '../../src/cli/commands/demo.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Mean of a numeric list (0 for an empty one). */
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

describe('the demo workspace behind `npm start`', () => {
  let store: Store;
  let token: string;
  let brandWatchId: string;
  let app: ReturnType<typeof createApp>;
  const now = new Date('2026-11-23T12:34:00Z');
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;

  beforeAll(async () => {
    store = await connect({ dataDir: 'memory://' });
    await migrateToLatest(store.db);
    const seed = await seedDemoWorkspace(store.db, { seed: 42, days: 90, now });
    brandWatchId = seed.brandWatchId;
    const deps = {
      db: store.db,
      http: createHttpClient(),
      scorer: lexiconScorer,
      log: silentLogger(),
      batchSize: 500,
      now: () => now,
    };
    const added = await backfillDemo(deps, seed.workspaceId, sink);
    expect(added).toBeGreaterThan(5000);
    // Seeding twice changes nothing: the workspace, watches and sources are reused, mentions are not duplicated.
    const again = await seedDemoWorkspace(store.db, { seed: 42, days: 90, now });
    expect(again).toMatchObject({ created: false, brandWatchId });
    expect(await backfillDemo(deps, seed.workspaceId, sink)).toBe(0);
    token = (await createToken(store.db, seed.workspaceId, { name: 't', role: 'viewer' }, 't')).token;
    app = createApp({
      db: store.db,
      log: silentLogger(),
      storage: 'pglite',
      maxBodyBytes: 1 << 20,
      now: () => now,
    });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('serves 90 days of hourly buckets with the backlash visible as a rise in volume and negativity', async () => {
    const res = await app.request(`/api/v1/trends?watch=${brandWatchId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const trend = (await res.json()) as {
      buckets: { start: string; mentions: number; negative: number }[];
    };
    expect(trend.buckets.length).toBeGreaterThanOrEqual(90 * 24);
    expect(trend.buckets.length).toBeLessThanOrEqual(90 * 24 + 1);

    const startAt = demoStartAt(now, 90).getTime();
    const outage = startAt + DEMO_EPISODE.outageDay * DAY + DEMO_EPISODE.outageHourUtc * HOUR;
    const at = (b: { start: string }) => new Date(b.start).getTime();
    const before = trend.buckets.filter((b) => at(b) >= outage - 28 * DAY && at(b) < outage);
    const storm = trend.buckets.filter((b) => at(b) >= outage && at(b) < outage + 24 * HOUR);
    const volumeBefore = mean(before.map((b) => b.mentions));
    const volumeStorm = mean(storm.map((b) => b.mentions));
    expect(volumeStorm).toBeGreaterThan(3 * volumeBefore);

    const negShare = (bs: typeof before) =>
      bs.reduce((n, b) => n + b.negative, 0) /
      Math.max(
        1,
        bs.reduce((n, b) => n + b.mentions, 0),
      );
    expect(negShare(storm)).toBeGreaterThan(negShare(before) + 0.2);
  });

  it('finds the protest hashtag only from the outage on', async () => {
    const page = await app.request(`/api/v1/mentions?watch=${brandWatchId}&limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.status).toBe(200);
    const outage =
      demoStartAt(now, 90).getTime() + DEMO_EPISODE.outageDay * DAY + DEMO_EPISODE.outageHourUtc * HOUR;
    const rows = await store.db
      .selectFrom('mentions')
      .select(['published_at'])
      .where('text', 'ilike', '%#telvanafail%')
      .execute();
    expect(rows.length).toBeGreaterThan(50);
    expect(Math.min(...rows.map((r) => r.published_at.getTime()))).toBeGreaterThanOrEqual(outage);
  });
});
