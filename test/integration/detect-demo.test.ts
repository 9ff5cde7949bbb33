import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EPISODE, demoStartAt } from '../../sources/demo/adapter.ts';
import { backfillDemo, replayDemoDetections, seedDemoWorkspace } from '../../src/cli/commands/demo.ts';
import type { Detection } from '../../src/core/detection.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { runDetectors } from '../../src/detect/runner.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { afinnScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { storeTargets } from '../helpers/stores.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const brief = (ds: Detection[]) =>
  ds.map((d) => `${d.kind} ${d.subject ?? ''} ${d.bucketStart.toISOString()} ${d.summary}`).join('\n');

describe.each(storeTargets())(
  'detectors on the demo workspace (outage, backlash, quiet week) on $name',
  (target) => {
    let store: Store;
    let workspaceId: string;
    let brandWatchId: string;
    const now = new Date('2026-11-23T12:34:00Z');
    const startAt = demoStartAt(now, 90).getTime();
    const outage = startAt + DEMO_EPISODE.outageDay * DAY + DEMO_EPISODE.outageHourUtc * HOUR;
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;

    beforeAll(async () => {
      store = await target.open();
      const seed = await seedDemoWorkspace(store.db, { seed: 42, days: 90, now });
      workspaceId = seed.workspaceId;
      brandWatchId = seed.brandWatchId;
      const deps = {
        db: store.db,
        http: createHttpClient(),
        scorer: afinnScorer,
        log: silentLogger(),
        batchSize: 500,
        now: () => now,
      };
      expect(await backfillDemo(deps, seed.workspaceId, sink)).toBeGreaterThan(5000);
    }, 240_000);
    afterAll(async () => {
      await store?.close();
    });

    it('raises a volume spike, a negativity spike and #telvanafail within 2 hours of the outage', async () => {
      // Two runs as a scheduler would make them: after the first and after the second outage hour.
      const found: Detection[] = [];
      for (const h of [1, 2]) {
        const ds = await runDetectors(store.db, { workspaceId, now: new Date(outage + h * HOUR + 60_000) });
        found.push(...ds.filter((d) => d.watchId === brandWatchId));
      }
      const within = (d: Detection) =>
        d.bucketStart.getTime() >= outage && d.bucketStart.getTime() < outage + 2 * HOUR;
      const kinds = new Set(found.filter(within).map((d) => `${d.kind}${d.subject ? `:${d.subject}` : ''}`));
      expect(kinds.has('volume_spike'), brief(found)).toBe(true);
      expect(kinds.has('negativity_spike'), brief(found)).toBe(true);
      expect(kinds.has(`emerging_term:${DEMO_EPISODE.hashtag}`), brief(found)).toBe(true);

      const spike = found.find((d) => d.kind === 'volume_spike') as Detection;
      expect(spike.observed).toBeGreaterThan(3 * spike.expected);
      expect(spike.pValue).toBeLessThan(1e-4);
      expect(spike.summary).toMatch(/mentions .* expected/);
      expect(spike.topMentions.length).toBeGreaterThan(0);
      const neg = found.find((d) => d.kind === 'negativity_spike') as Detection;
      expect(neg.unit).toBe('share');
      expect(neg.observed).toBeGreaterThan(neg.expected + 0.15);
      expect(neg.topMentions.every((m) => m.sentimentScore < 0)).toBe(true);
      const tag = found.find((d) => d.subject === DEMO_EPISODE.hashtag) as Detection;
      expect(tag.topMentions.some((m) => m.text.toLowerCase().includes(DEMO_EPISODE.hashtag))).toBe(true);
    });

    it('raises a volume drop during the quiet days', async () => {
      const quietEnd = startAt + DEMO_EPISODE.quietEndDay * DAY;
      const days = DEMO_EPISODE.quietEndDay - DEMO_EPISODE.quietStartDay;
      const ds = await runDetectors(store.db, {
        workspaceId,
        now: new Date(quietEnd),
        evaluate: days * 24,
        historyDays: 28 + days,
      });
      const drops = ds.filter((d) => d.kind === 'volume_drop' && d.watchId === brandWatchId);
      expect(drops.length, brief(ds)).toBeGreaterThan(0);
      const first = Math.min(...drops.map((d) => d.bucketStart.getTime()));
      expect(first).toBeGreaterThanOrEqual(startAt + DEMO_EPISODE.quietStartDay * DAY);
      expect(drops[0]?.observed).toBeLessThan((drops[0]?.expected ?? 0) / 2);
    });

    it('raises nothing in normal weeks', async () => {
      // Days 35 to 61: four normal weeks before the outage, every hour judged on its past alone.
      const to = startAt + DEMO_EPISODE.outageDay * DAY;
      const ds = await runDetectors(store.db, {
        workspaceId,
        now: new Date(to),
        evaluate: 27 * 24,
        historyDays: 62,
      });
      expect(brief(ds)).toBe('');
    });

    it('replays the detectors over the whole history into alerts, as an hourly loop would have', async () => {
      const outcome = await replayDemoDetections(store.db, { workspaceId, now, baseUrl: 'http://tw.test' });
      expect(outcome.hours).toBeGreaterThan(89 * 24);
      const alerts = await store.db
        .selectFrom('alerts')
        .select(['kind', 'state', 'opened_at', 'details', 'watch_id', 'resolved_by'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('opened_at')
        .execute();
      const text = alerts
        .map((a) => `${a.opened_at.toISOString()} ${a.kind} ${a.details.subject ?? ''}`)
        .join('\n');
      expect(outcome.opened).toBe(alerts.length);
      const brand = alerts.filter((a) => a.watch_id === brandWatchId);
      // Opened when the outage's first or second hour closed, as the live loop would have.
      const atOutage = (a: (typeof alerts)[number]) =>
        a.opened_at.getTime() > outage && a.opened_at.getTime() <= outage + 2 * HOUR;
      const kinds = new Set(
        brand.filter(atOutage).map((a) => `${a.kind}${a.details.subject ? `:${a.details.subject}` : ''}`),
      );
      expect(kinds.has('volume_spike'), text).toBe(true);
      expect(kinds.has('negativity_spike'), text).toBe(true);
      expect(
        [...kinds].some((k) => k.startsWith('emerging_term')),
        text,
      ).toBe(true);
      expect(
        brand.some((a) => a.kind === 'emerging_term' && a.details.subject === DEMO_EPISODE.hashtag),
        text,
      ).toBe(true);
      // The quiet days raise a drop; the normal weeks before the outage raise nothing.
      const quietStart = startAt + DEMO_EPISODE.quietStartDay * DAY;
      const quietEnd = startAt + DEMO_EPISODE.quietEndDay * DAY;
      expect(
        brand.some(
          (a) =>
            a.kind === 'volume_drop' &&
            a.opened_at.getTime() >= quietStart &&
            a.opened_at.getTime() <= quietEnd,
        ),
        text,
      ).toBe(true);
      const normal = alerts.filter(
        (a) => a.opened_at.getTime() >= startAt + 35 * DAY && a.opened_at.getTime() < outage,
      );
      expect(normal.map((a) => a.kind)).toEqual([]);
      // Alerts quiet for a day were resolved automatically, dated when their quiet day ran out.
      const outageAlerts = brand.filter(atOutage);
      expect(outageAlerts.every((a) => a.state === 'resolved' && a.resolved_by === 'auto')).toBe(true);
      // Evidence came along: the volume spike names the mentions behind it.
      const spike = brand.find((a) => a.kind === 'volume_spike' && atOutage(a));
      expect(((spike?.details.topMentions as unknown[] | undefined) ?? []).length).toBeGreaterThan(0);

      // A restart judges only the hours since the last replay.
      const again = await replayDemoDetections(store.db, { workspaceId, now, baseUrl: 'http://tw.test' });
      expect(again).toEqual({ hours: 0, detections: 0, opened: 0, resolved: 0 });
      const later = await replayDemoDetections(store.db, {
        workspaceId,
        now: new Date(now.getTime() + 3 * HOUR),
        baseUrl: 'http://tw.test',
      });
      expect(later.hours).toBe(3);
      const count = await store.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(alerts.length + later.opened);
    }, 240_000);
  },
);
