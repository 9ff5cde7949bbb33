/**
 * Alert latency benchmark: the demo's outage and backlash replayed hour by hour as a live stream
 * (social and news channels) into PGlite, with the real detectors (src/detect/runner.ts), the
 * outbox (recordDetections) and the delivery worker posting to a local fake Slack. For each Slack
 * message, the latency is from the moment the detecting hourly bucket closes (the runner is called)
 * to the moment the fake Slack has the request. p50/p99 over at least 100 messages.
 *
 * Baseline measured in the same run: a bare HTTP POST of the same kind of message to the same fake
 * Slack (what sending alone costs), so the ratio says how much detection, the outbox and the worker add.
 *
 *   npm run bench:alert                      # PGlite, then PostgreSQL if reachable
 *   npm run bench:alert -- --messages 200
 *   npm run bench:alert -- --pglite-only
 *   BENCH_DATABASE_URL=postgres://...        # PostgreSQL to use (default: TEST_DATABASE_URL or local)
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { demoStartAt } from '../sources/demo/adapter.ts';
import { generateDemoItems } from '../sources/demo/generate.ts';
import { DEMO_EPISODE, type DemoChannel } from '../sources/demo/timeline.ts';
import { recordDetections } from '../src/alert/lifecycle.ts';
import { DeliveryWorker } from '../src/alert/worker.ts';
import { seedDemoWorkspace } from '../src/cli/commands/demo.ts';
import { silentLogger } from '../src/core/logger.ts';
import { runDetectors } from '../src/detect/runner.ts';
import { type Store, connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createRoute } from '../src/store/repositories/alert-routes.ts';
import { listSources } from '../src/store/repositories/sources.ts';
import { startFakeSlack } from '../test/helpers/fake-slack.ts';
import { ingest } from '../test/helpers/ingest.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const args = process.argv.slice(2);
const argN = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TARGET = argN('--messages', 100);
const HISTORY_DAYS = argN('--history-days', 28);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

async function openPostgres(): Promise<Store | undefined> {
  const schema = `tw_bench_alert_${process.pid}`;
  try {
    return await connect({ databaseUrl: pgUrl, schema, poolSize: 4, dropSchemaOnClose: true });
  } catch (err) {
    process.stderr.write(`  PostgreSQL not reachable (${(err as Error).message.slice(0, 80)}): skipped\n`);
    return undefined;
  }
}

async function main() {
  const results: Record<string, unknown> = {};
  process.stderr.write('PGlite (in memory)\n');
  results.pglite = await runOn(await connect({ dataDir: 'memory://' }), 'pglite (in memory)');
  if (!args.includes('--pglite-only')) {
    const pg = await openPostgres();
    if (pg) {
      process.stderr.write('PostgreSQL\n');
      results.postgres = await runOn(pg, 'postgresql');
    }
  }
  const out = {
    bench: 'alert latency: demo backlash replayed live -> fake Slack',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    ...results,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/alert.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

async function runOn(store: Store, storage: string) {
  await migrateToLatest(store.db);
  const slack = await startFakeSlack();
  const realNow = new Date();
  const seed = await seedDemoWorkspace(store.db, { seed: 42, days: 90, now: realNow });
  const startAt = demoStartAt(realNow, 90);
  const outage = new Date(
    startAt.getTime() + DEMO_EPISODE.outageDay * DAY + DEMO_EPISODE.outageHourUtc * HOUR,
  );
  const sources = (await listSources(store.db, seed.workspaceId)).filter((s) =>
    ['social', 'news'].includes(String(s.config.channel)),
  );
  const itemsOf = (from: Date, to: Date) =>
    sources.map((s) => ({
      source: s,
      items: generateDemoItems({ seed: 42, channel: s.config.channel as DemoChannel, startAt, from, to }),
    }));

  // History before the outage, so the detectors have their baselines.
  const histFrom = new Date(outage.getTime() - HISTORY_DAYS * DAY);
  let stored = 0;
  const t = performance.now();
  for (let day = histFrom.getTime(); day < outage.getTime(); day += DAY) {
    for (const { source, items } of itemsOf(new Date(day), new Date(Math.min(day + DAY, outage.getTime())))) {
      const s = await ingest(store.db, source, items);
      stored += s.inserted;
    }
    process.stderr.write(
      `\r  history: ${Math.round((day - histFrom.getTime()) / DAY)}/${HISTORY_DAYS} days   `,
    );
  }
  process.stderr.write(
    `\n  history ingested (${stored} items, ${Math.round((performance.now() - t) / 1000)} s)\n`,
  );

  await createRoute(
    store.db,
    seed.workspaceId,
    {
      name: 'comms',
      type: 'slack',
      config: { url: slack.hook('/services/T000/B000/BENCH') },
      minSeverity: 'info',
      cooldownSeconds: 0,
    },
    'bench',
  );
  const worker = new DeliveryWorker(
    { db: store.db, log: silentLogger() },
    { tickMs: 1000, timeoutMs: 5000, deadlineMs: 3_600_000, backoffBaseMs: 500, backoffMaxMs: 5000 },
  );
  worker.start();

  const latencies: number[] = [];
  const detectMs: number[] = [];
  const outboxMs: number[] = [];
  const sendMs: number[] = [];
  let hours = 0;
  let detections = 0;
  const kinds = new Map<string, number>();
  // Replay: each hour's items arrive, then the hour closes and the detectors run on it.
  for (let h = outage.getTime(); latencies.length < TARGET && h < outage.getTime() + 6 * DAY; h += HOUR) {
    const close = new Date(h + HOUR);
    for (const { source, items } of itemsOf(new Date(h), close)) await ingest(store.db, source, items);
    hours++;
    const before = slack.received.length;
    const t0 = performance.now();
    const found = await runDetectors(store.db, { workspaceId: seed.workspaceId, now: close, metrics: false });
    const t1 = performance.now();
    const rec = await recordDetections(store.db, found, {
      now: () => close,
      baseUrl: 'http://127.0.0.1:8080',
      onEnqueued: () => worker.wake(),
    });
    const t2 = performance.now();
    detections += found.length;
    for (const d of found) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
    if (rec.deliveries === 0) continue;
    // Wait until the worker has nothing left to send (bounded).
    const deadline = performance.now() + 10_000;
    for (;;) {
      const open = await store.db
        .selectFrom('deliveries')
        .select('id')
        .where('state', 'in', ['pending', 'sending'])
        .execute();
      if (open.length === 0 || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const m of slack.received.slice(before)) {
      if (!m.accepted) continue;
      latencies.push(m.receivedAt - t0);
      sendMs.push(m.receivedAt - t2);
    }
    detectMs.push(t1 - t0);
    outboxMs.push(t2 - t1);
    process.stderr.write(`\r  replayed ${hours} h, ${latencies.length} messages   `);
  }
  process.stderr.write('\n');
  await worker.stop();

  // Baseline: the same kind of message POSTed straight to the fake Slack.
  const sample = slack.accepted()[0]?.json ?? { text: 'baseline' };
  const body = JSON.stringify(sample);
  const baseline: number[] = [];
  for (let i = 0; i < Math.max(100, latencies.length); i++) {
    const s = performance.now();
    const res = await fetch(slack.hook('/services/T000/B000/BENCH'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.text();
    baseline.push(performance.now() - s);
  }
  await slack.close();
  await store.close();

  return {
    storage,
    historyDays: HISTORY_DAYS,
    historyItems: stored,
    replayedHours: hours,
    detections,
    detectionKinds: Object.fromEntries(kinds),
    messages: latencies.length,
    latencyMs: { p50: r1(pct(latencies, 50)), p99: r1(pct(latencies, 99)), max: r1(Math.max(...latencies)) },
    parts: {
      detectorsMsP50: r1(pct(detectMs, 50)),
      outboxMsP50: r1(pct(outboxMs, 50)),
      // From the end of the hour's outbox writes; negative when the worker sent an alert while later
      // alerts of the same hour were still being written (it is woken per committed alert).
      workerToSlackMsP50: r1(pct(sendMs, 50)),
      workerToSlackMsP99: r1(pct(sendMs, 99)),
    },
    baselineBarePostMs: { p50: r1(pct(baseline, 50)), p99: r1(pct(baseline, 99)) },
    ratioToBaseline: {
      p50: r1(pct(latencies, 50) / pct(baseline, 50)),
      p99: r1(pct(latencies, 99) / pct(baseline, 99)),
    },
    goal: { p99UnderMs: 1000, met: pct(latencies, 99) < 1000 && latencies.length >= TARGET },
  };
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
