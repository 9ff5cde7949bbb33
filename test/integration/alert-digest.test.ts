import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectionLoop } from '../../src/alert/detection-loop.ts';
import { enqueueDueDigests, latestPeriodEnd } from '../../src/alert/digest.ts';
import { DeliveryWorker } from '../../src/alert/worker.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createRoute } from '../../src/store/repositories/alert-routes.ts';
import { listAlerts } from '../../src/store/repositories/alerts.ts';
import { listDeliveries } from '../../src/store/repositories/deliveries.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { detection } from '../helpers/detections.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('daily digest [$name]', (target) => {
  let store: Store;
  let slack: FakeSlack;
  beforeAll(async () => {
    store = await target.open();
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack?.close();
    await store?.close();
  });

  it('sends one digest per watch and period with mood, volume, red flags and mentions', async () => {
    const ws = await ensureWorkspace(store.db, 'digest');
    const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test');
    const source = await makeSource(store.db, ws.id, 'feed');
    const now = new Date('2026-03-04T09:30:00Z');
    const end = latestPeriodEnd(now, 'daily', 'UTC');
    const at = (h: number) => new Date(end.getTime() - h * 3_600_000).toISOString();
    await ingest(store.db, source, [
      post('a', 'Telvana support is great, love it', at(30)),
      post('b', 'Telvana leaked my data, this is a scam and fraud, terrible', at(5)),
      post('c', 'Telvana is awful, cancelling my contract, worst service', at(4)),
      post('d', 'telvana new plan announced', at(3)),
    ]);
    const route = await createRoute(
      store.db,
      ws.id,
      {
        name: 'digest',
        type: 'slack',
        config: { url: slack.hook('/services/T0/B0/DIGEST') },
        digest: 'daily',
      },
      'test',
    );
    // The route existed before the period ended (a digest never covers a period before the route).
    await store.db
      .updateTable('alert_routes')
      .set({ created_at: new Date('2026-03-01T00:00:00Z') } as never)
      .where('id', '=', route.id)
      .execute();
    expect(await enqueueDueDigests(store.db, now, 'https://tw.example')).toBe(1);
    expect(await enqueueDueDigests(store.db, new Date(now.getTime() + 3_600_000), 'https://tw.example')).toBe(
      0,
    );
    const [d] = await listDeliveries(store.db, ws.id);
    const digest = (d?.payload as { data: { digest: Record<string, unknown> } }).data.digest;
    expect(digest).toMatchObject({ watchName: 'Telvana', mentions: 3, previousMentions: 1, period: 'daily' });
    expect(digest.meanSentiment as number).toBeLessThan(0);
    expect((digest.topMentions as { text: string }[])[0]?.text).toMatch(/leaked|awful/);
    const worker = new DeliveryWorker(
      { db: store.db, log: silentLogger(), now: () => now },
      { tickMs: 1000, timeoutMs: 1000, deadlineMs: 60_000, backoffBaseMs: 100, backoffMaxMs: 1000 },
    );
    await worker.tick();
    const msg = slack.accepted()[0]?.json as { text: string };
    expect(msg.text).toContain('Daily digest: Telvana: 3 mentions');
    expect(JSON.stringify(msg)).toContain('+200% vs previous');
  });
});

describe.each(storeTargets())('detection loop [$name]', (target) => {
  it('records what the injected detector finds, per workspace, and wakes the worker', async () => {
    const store = await target.open();
    try {
      const ws = await ensureWorkspace(store.db, 'loop');
      const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test');
      const now = new Date('2026-03-01T11:00:00.250Z');
      const seen: string[] = [];
      let woken = 0;
      const loop = new DetectionLoop(
        store.db,
        silentLogger(),
        async (_db, o) => {
          seen.push(`${o.workspaceId}@${o.now.toISOString()}`);
          return o.workspaceId === ws.id && o.now.getTime() === now.getTime()
            ? [detection(ws.id, watch.id)]
            : [];
        },
        { baseUrl: 'http://tw.test', onEnqueued: () => woken++, autoResolveMs: 24 * 3_600_000 },
      );
      await createRoute(
        store.db,
        ws.id,
        { name: 'r', type: 'slack', config: { url: 'http://127.0.0.1:9/services/a/b/c' } },
        'test',
      );
      const [outcome] = await loop.runOnce(now);
      expect(seen).toContain(`${ws.id}@${now.toISOString()}`);
      expect(outcome).toMatchObject({ opened: 1, deliveries: 1 });
      expect(woken).toBe(1);
      // The same bucket again changes nothing: no second message.
      const [again] = await loop.runOnce(now);
      expect(again).toMatchObject({ opened: 0, unchanged: 1, deliveries: 0 });
      // A day without detections: the alert is resolved automatically, and routes are told.
      await loop.runOnce(new Date(now.getTime() + 23 * 3_600_000));
      expect((await listAlerts(store.db, ws.id)).items[0]?.state).toBe('open');
      await loop.runOnce(new Date(now.getTime() + 25 * 3_600_000));
      const [alert] = (await listAlerts(store.db, ws.id)).items;
      expect(alert).toMatchObject({ state: 'resolved', resolvedBy: 'auto' });
      expect((await listDeliveries(store.db, ws.id)).map((d) => d.event)).toContain('alert.resolved');
      expect(woken).toBe(2);
    } finally {
      await store.close();
    }
  });
});
