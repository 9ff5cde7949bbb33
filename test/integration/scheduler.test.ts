import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { type PollDeps, pollSource } from '../../src/ingest/poll.ts';
import { Scheduler } from '../../src/ingest/scheduler.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { countMentions } from '../../src/store/repositories/mentions.ts';
import { createSource, getSource } from '../../src/store/repositories/sources.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { storeTargets } from '../helpers/stores.ts';

describe.each(storeTargets())('scheduler [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  // New sources are due from the real "now", so the test clock starts a day after it.
  let clock = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000);

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'sched')).id;
    await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 't');
  });
  afterAll(async () => {
    await store?.close();
  });

  /** Poll dependencies on the test clock; tests override what they vary. */
  const pollDeps = (extra: Partial<PollDeps> = {}): PollDeps => ({
    db: store.db,
    http: createHttpClient(),
    scorer: lexiconScorer,
    log: silentLogger(),
    batchSize: 100,
    now: () => clock,
    ...extra,
  });

  it('polls due sources, records success and the next poll; skips sources not yet due or disabled', async () => {
    const startAt = new Date(clock.getTime() - 36 * 3_600_000).toISOString();
    const demo = { seed: 1, channel: 'social', startAt, days: 2 };
    const due = await createSource(
      store.db,
      workspaceId,
      { type: 'demo', name: 'due', config: demo, intervalSeconds: 300 },
      't',
      demo,
    );
    const later = await createSource(
      store.db,
      workspaceId,
      { type: 'demo', name: 'later', config: demo, intervalSeconds: 300 },
      't',
      demo,
    );
    const off = await createSource(
      store.db,
      workspaceId,
      { type: 'demo', name: 'off', config: demo, intervalSeconds: 300, enabled: false },
      't',
      demo,
    );
    await store.db
      .updateTable('sources')
      .set({ next_poll_at: new Date(clock.getTime() + 3_600_000) })
      .where('id', '=', later.id)
      .execute();
    const scheduler = new Scheduler(pollDeps({ random: () => 0.5 }), { tickMs: 60_000 });
    await scheduler.tick();
    const polled = await getSource(store.db, workspaceId, due.id);
    expect(polled.health.lastSuccessAt?.toISOString()).toBe(clock.toISOString());
    expect(polled.health.nextPollAt.toISOString()).toBe(new Date(clock.getTime() + 300_000).toISOString());
    expect(await countMentions(store.db, workspaceId, due.id)).toBeGreaterThan(0);
    expect((await getSource(store.db, workspaceId, later.id)).health.lastPolledAt).toBeNull();
    expect((await getSource(store.db, workspaceId, off.id)).health.lastPolledAt).toBeNull();

    // Five minutes later the first source is due again and picks up where its cursor left off.
    const before = await countMentions(store.db, workspaceId, due.id);
    clock = new Date(clock.getTime() + 6 * 3_600_000);
    await scheduler.tick();
    expect(await countMentions(store.db, workspaceId, due.id)).toBeGreaterThan(before);
    expect((await getSource(store.db, workspaceId, later.id)).health.lastSuccessAt).not.toBeNull();
  });

  it('backs a failing source off and records its error, then recovers', async () => {
    const bad = { path: '/nonexistent/trustwatch/file.csv', mapping: { text: 'comment' } };
    const source = await createSource(
      store.db,
      workspaceId,
      { type: 'import', name: 'broken-import', config: bad, intervalSeconds: 600 },
      't',
      bad,
    );
    const deps = pollDeps({ random: () => 1 });
    const scheduler = new Scheduler(deps, { tickMs: 60_000 });
    await scheduler.tick();
    const first = await getSource(store.db, workspaceId, source.id);
    expect(first.health).toMatchObject({ lastErrorCode: 'IMPORT_FILE', consecutiveFailures: 1 });
    expect(first.health.lastError).toContain('/nonexistent/trustwatch/file.csv');
    expect(first.health.nextPollAt.getTime() - clock.getTime()).toBe(600_000);
    clock = new Date(first.health.nextPollAt.getTime());
    await scheduler.tick();
    const second = await getSource(store.db, workspaceId, source.id);
    expect(second.health.consecutiveFailures).toBe(2);
    expect(second.health.nextPollAt.getTime() - clock.getTime()).toBe(1_200_000);
  });

  it('a poll cut short by the page limit saves its place and is due again at once', async () => {
    const demo = {
      seed: 4,
      channel: 'news',
      startAt: new Date(clock.getTime() - 5 * 86_400_000).toISOString(),
      days: 5,
    };
    const source = await createSource(
      store.db,
      workspaceId,
      { type: 'demo', name: 'long-backfill', config: demo, intervalSeconds: 300 },
      't',
      demo,
    );
    const deps = pollDeps({ maxPages: 2 });
    const first = await pollSource(deps, await getSource(store.db, workspaceId, source.id));
    expect(first).toMatchObject({ ok: true, pages: 2 });
    const after = await getSource(store.db, workspaceId, source.id);
    expect(after.health.nextPollAt.getTime()).toBe(clock.getTime());
    expect(after.cursor).toEqual({
      until: new Date(Date.parse(demo.startAt) + 2 * 86_400_000).toISOString(),
    });
    // Three more pages finish the backfill; then the normal interval applies.
    const rest = await pollSource({ ...deps, maxPages: 10 }, after);
    expect(rest.pages).toBe(3);
    expect((await getSource(store.db, workspaceId, source.id)).health.nextPollAt.getTime()).toBeGreaterThan(
      clock.getTime(),
    );
  });

  it('start() polls in the background and stop() waits for the poll in flight', async () => {
    const demo = {
      seed: 2,
      channel: 'reviews',
      startAt: new Date(clock.getTime() - 86_400_000).toISOString(),
      days: 1,
    };
    const source = await createSource(
      store.db,
      workspaceId,
      { type: 'demo', name: 'bg', config: demo, intervalSeconds: 300 },
      't',
      demo,
    );
    const scheduler = new Scheduler(pollDeps(), { tickMs: 50 });
    scheduler.start();
    for (let i = 0; i < 100; i++) {
      if ((await getSource(store.db, workspaceId, source.id)).health.lastSuccessAt) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await scheduler.stop();
    expect((await getSource(store.db, workspaceId, source.id)).health.lastSuccessAt).not.toBeNull();
  });
});
