/**
 * Dashboard overview benchmark: time from navigation start to every chart drawn (the overview script's
 * `data-ready`, stamped with performance.now()) in headless Debian Chromium, for a workspace of 5
 * watches (a brand and 4 competitors) with 2 years of hourly rollups each, filled directly with SQL.
 * The goal (issue: dashboard) is under 1 s for the 2-year overview.
 *
 * Cases, each over the same database and server in the same run:
 *   - baseline: the 7-day overview (hourly buckets, 168 points per series);
 *   - 2y:       the 2-year overview as users get it (daily points: the server sums 17,520 hourly rollups
 *               per watch into 730 days);
 *   - 2y-hour:  the 2-year overview forced to hourly points (`res=hour`: 17,520 points per series).
 * Reported: median and max over the runs, transfer bytes of one load, and the ratio to the baseline.
 *
 *   npm run bench:dashboard
 *   npm run bench:dashboard -- --runs 9
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { silentLogger } from '../src/core/logger.ts';
import { startNodeService } from '../src/runtime/node.ts';
import { connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createToken } from '../src/store/repositories/tokens.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { launchBrowser } from '../test/helpers/chromium.ts';
import { fillHourlyRollups } from './rollups.ts';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const HOURS = 2 * 365 * 24;
const GOAL_MS = 1000;

async function main() {
  const store = await connect({ dataDir: 'memory://' });
  await migrateToLatest(store.db);
  const ws = await ensureWorkspace(store.db, 'bench');
  const brand = await createWatch(store.db, ws.id, { name: 'Brand', query: 'brand' }, 'bench');
  const watches = [brand];
  for (let i = 1; i <= 4; i++) {
    watches.push(
      await createWatch(
        store.db,
        ws.id,
        { name: `Rival ${i}`, kind: 'competitor', query: `rival${i}`, competitorOf: brand.id },
        'bench',
      ),
    );
  }
  await sql`insert into sources (workspace_id, type, name, config, interval_seconds, next_poll_at, updated_at)
    values (${ws.id}::uuid, 'rss', 'Feed', '{}'::jsonb, 300, now(), now()),
           (${ws.id}::uuid, 'reviews', 'Reviews', '{}'::jsonb, 300, now(), now())`.execute(store.db);
  const now = new Date();
  const last = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - 3_600_000);
  const first = new Date(last.getTime() - (HOURS - 1) * 3_600_000);
  const filled = Date.now();
  for (const [i, w] of watches.entries()) {
    const perHour = i === 0 ? 40 : 15;
    await fillHourlyRollups(store.db, { watchId: w.id, workspaceId: ws.id, perHour, from: first, to: last });
  }
  await sql`
    insert into term_rollups (watch_id, workspace_id, kind, bucket_start, term, mentions)
    select ${brand.id}::uuid, ${ws.id}::uuid, 'term', g, 'word' || k, greatest(1, (40 / k)::int)
    from generate_series(${new Date(last.getTime() - 30 * 86_400_000).toISOString()}::timestamptz,
      ${last.toISOString()}::timestamptz, interval '1 hour') g, generate_series(1, 50) k`.execute(store.db);
  const rows = await sql<{ n: number }>`select count(*)::int as n from rollups`.execute(store.db);
  console.log(
    `filled ${rows.rows[0]?.n} hourly rollups for 5 watches in ${((Date.now() - filled) / 1000).toFixed(1)}s`,
  );

  const { token } = await createToken(store.db, ws.id, { name: 'bench', role: 'viewer' }, 'bench');
  const service = await startNodeService({
    db: store.db,
    log: silentLogger(),
    storage: 'pglite',
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1 << 20,
    rateLimitPerMinute: 0,
  });
  const browser = await launchBrowser();
  const context = browser.context;
  const results: Record<string, unknown> = {};
  try {
    const page = await context.newPage();
    await page.goto(`${service.url}/sign-in`);
    await page.getByLabel('API token').fill(token);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForSelector('#overview[data-ready]');

    const cases = [
      { name: 'baseline-7d', path: `/?watch=${brand.id}&range=7d` },
      { name: '2y', path: `/?watch=${brand.id}&range=2y` },
      { name: '2y-hour', path: `/?watch=${brand.id}&range=2y&res=hour` },
    ];
    for (const c of cases) {
      const times: number[] = [];
      let bytes = 0;
      for (let run = 0; run <= RUNS; run++) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        let sum = 0;
        cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
          sum += e.encodedDataLength;
        });
        await page.goto(`${service.url}${c.path}`);
        await page.waitForSelector('#overview[data-ready]', { timeout: 60_000 });
        const state = await page.locator('#overview').getAttribute('data-ready');
        if (state !== '1') throw new Error(`${c.name}: the overview failed to draw (${state})`);
        const ms = Number(await page.locator('#overview').getAttribute('data-ready-ms'));
        await cdp.detach();
        // Run 0 warms the server's and the browser's caches (compiled queries, parsed uPlot).
        if (run > 0) times.push(ms);
        bytes = sum;
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] as number;
      results[c.name] = {
        medianMs: median,
        maxMs: times[times.length - 1],
        runsMs: times,
        transferBytes: bytes,
      };
      console.log(
        `${c.name.padEnd(12)} median ${median} ms, max ${times[times.length - 1]} ms, ${(bytes / 1024).toFixed(0)} KB`,
      );
    }
  } finally {
    await browser.close();
    await service.close();
    await store.close();
  }
  const base = (results['baseline-7d'] as { medianMs: number }).medianMs;
  const y2 = (results['2y'] as { medianMs: number }).medianMs;
  const y2h = (results['2y-hour'] as { medianMs: number }).medianMs;
  const out = {
    bench: 'dashboard',
    description:
      'Overview page, navigation start to all charts drawn, headless Chromium, 5 watches x 2 years of hourly rollups (PGlite in process)',
    goal: `2-year overview under ${GOAL_MS} ms`,
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    loadavg: os.loadavg(),
    runs: RUNS,
    results,
    ratios: {
      '2y/7d': Math.round((y2 / base) * 100) / 100,
      '2y-hour/7d': Math.round((y2h / base) * 100) / 100,
    },
    meetsGoal: { '2y': y2 < GOAL_MS, '2y-hour': y2h < GOAL_MS },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'dashboard.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `ratios: 2y/7d ${out.ratios['2y/7d']}, 2y-hour/7d ${out.ratios['2y-hour/7d']}; loadavg ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
