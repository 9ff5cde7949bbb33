/**
 * API load benchmark: requests per second and latency of the trend endpoint under concurrent load, on
 * the real Node service (a child process running `trustwatch serve` on PostgreSQL), over loopback.
 * The goal: at least 2,000 requests/s with p99 under 50 ms on a 2-core machine.
 *
 * Setup: a fresh PostgreSQL schema with a demo-like brand watch, two competitors and 90 days of hourly
 * rollups up to the current (still open) hour, so GET /api/v1/trends?watch=…&bucket=day returns a real
 * 91-day series. The rate limit is set far above the offered load (it still runs, as in production).
 *
 * Requests send `Accept-Encoding: gzip` as browsers and most HTTP clients do (the trend answer is
 * ~29 KB of JSON, ~4 KB gzipped); a third phase measures the trend without it (identity encoding).
 *
 * Baseline, in the same run against the same process: GET /healthz (no token, no database). The result
 * reports the trend endpoint's throughput as a ratio of it. autocannon runs in this process, so it
 * shares the machine's cores with the service, as a local reverse proxy would.
 *
 *   npm run bench:api
 *   npm run bench:api -- --duration 20 --warmup 10 --connections 50
 *   npm run bench:api -- --cpu-prof /tmp/prof   # the service writes a V8 CPU profile there on exit
 *   BENCH_DATABASE_URL=postgres://...       # default: TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { hourOf } from '../src/store/repositories/rollups.ts';
import { createToken } from '../src/store/repositories/tokens.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { fillHourlyRollups } from './rollups.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const DURATION_S = arg('--duration', 20);
const WARMUP_S = arg('--warmup', 10);
const CONNECTIONS = arg('--connections', 50);
// autocannon's own HTTP parsing is the bottleneck with one thread once responses are ~30 KB.
const WORKERS = arg('--workers', 2);
const cpuProfDir = args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : undefined;
const GOAL_RPS = 2000;
const GOAL_P99_MS = 50;
const DAYS = 90;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  durationSeconds: number;
}

function load(url: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        headers,
        connections: CONNECTIONS,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        ...(WORKERS > 1 ? { workers: WORKERS } : {}),
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          requestsPerSecond: Math.round(r.requests.average),
          requests: r.requests.total,
          latencyMs: {
            p50: r.latency.p50,
            p90: r.latency.p90,
            p99: r.latency.p99,
            max: r.latency.max,
            mean: Math.round(r.latency.mean * 100) / 100,
          },
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          durationSeconds: r.duration,
        });
      },
    );
  });
}

async function phase(label: string, url: string, headers: Record<string, string>): Promise<LoadResult> {
  if (WARMUP_S > 0) {
    process.stderr.write(`  ${label}: warm-up ${WARMUP_S} s...\n`);
    await load(url, headers, WARMUP_S);
  }
  const r = await load(url, headers, DURATION_S);
  process.stderr.write(
    `  ${label}: ${r.requestsPerSecond} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
      `errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}\n`,
  );
  return r;
}

/** Starts `trustwatch serve` on a free loopback port; resolves with its URL once it listens. */
function startService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const node = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
    const child = spawn(
      process.execPath,
      [...node, join(root, 'bin/trustwatch.js'), 'serve', '--no-scheduler'],
      {
        cwd: root,
        env: { ...process.env, ...env },
        // The access log (one JSON line per request, as in production) goes to /dev/null.
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`service did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}: ${out}`));
    });
  });
}

async function main() {
  const schema = `bench_api_${process.pid}`;
  const store = await connect({ databaseUrl: pgUrl, schema, poolSize: 2, dropSchemaOnClose: true });
  let child: ChildProcess | undefined;
  try {
    process.stderr.write(`schema ${schema}: migrating and filling ${DAYS} days of hourly rollups...\n`);
    await migrateToLatest(store.db);
    const ws = await ensureWorkspace(store.db, 'bench-api', 'Bench API');
    const token = (await createToken(store.db, ws.id, { name: 'bench', role: 'viewer' }, 'bench')).token;
    // DAYS days up to and including the current hour.
    const to = hourOf(new Date());
    const span = { from: new Date(to.getTime() - DAYS * 86_400_000), to };
    const brand = await createWatch(
      store.db,
      ws.id,
      {
        name: 'Telvana',
        query: '(telvana OR "tel vana" OR #telvana) -careers -"job opening"',
        exclusions: ['lang:de'],
        ownedHandles: ['telvana'],
      },
      'bench',
    );
    await fillHourlyRollups(store.db, { watchId: brand.id, workspaceId: ws.id, perHour: 400, ...span });
    for (const name of ['Rivalco', 'Nimbus']) {
      const rival = await createWatch(
        store.db,
        ws.id,
        { name, kind: 'competitor', query: name.toLowerCase(), competitorOf: brand.id },
        'bench',
      );
      await fillHourlyRollups(store.db, { watchId: rival.id, workspaceId: ws.id, perHour: 150, ...span });
    }
    await sql`analyze`.execute(store.db);

    const u = new URL(pgUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const service = await startService({
      DATABASE_URL: u.toString(),
      HOST: '127.0.0.1',
      PORT: '0',
      TRUSTWATCH_SCHEDULER: '0',
      // Far above the offered load, so the limiter runs (as in production) but never refuses.
      TRUSTWATCH_API_RATE_LIMIT: '100000000',
      LOG_LEVEL: 'info',
    });
    child = service.child;
    process.stderr.write(`service at ${service.url} (pid ${child.pid})\n`);

    const trendPath = `/api/v1/trends?watch=${brand.id}&bucket=day`;
    const gzip = { 'accept-encoding': 'gzip' };
    const auth = { authorization: `Bearer ${token}`, ...gzip };
    // A real trend, not an error page, before any load.
    const probe = await fetch(`${service.url}${trendPath}`, { headers: auth });
    const trend = (await probe.json()) as { buckets?: unknown[]; totals?: { mentions: number } };
    if (probe.status !== 200 || !trend.buckets || trend.buckets.length < DAYS) {
      throw new Error(`trend probe failed: ${probe.status} ${JSON.stringify(trend).slice(0, 300)}`);
    }
    process.stderr.write(
      `trend: ${trend.buckets.length} daily buckets, ${trend.totals?.mentions} mentions; ` +
        `${CONNECTIONS} connections (${WORKERS} client threads), ${WARMUP_S} s warm-up + ${DURATION_S} s each\n`,
    );

    const loadBefore = os.loadavg();
    const health = await phase('GET /healthz (baseline)', `${service.url}/healthz`, gzip);
    const trends = await phase('GET /api/v1/trends?bucket=day', `${service.url}${trendPath}`, auth);
    const identity = await phase('  same, without gzip', `${service.url}${trendPath}`, {
      authorization: auth.authorization,
    });
    const loadAfter = os.loadavg();

    const goalMet =
      trends.requestsPerSecond >= GOAL_RPS &&
      trends.latencyMs.p99 < GOAL_P99_MS &&
      trends.non2xx === 0 &&
      trends.errors === 0;
    const result = {
      bench: 'api-load',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      loadavg: { before: loadBefore.map(round2), after: loadAfter.map(round2) },
      setup: {
        store: 'postgres',
        service: 'trustwatch serve --no-scheduler (child process), loopback',
        connections: CONNECTIONS,
        clientWorkerThreads: WORKERS,
        warmupSeconds: WARMUP_S,
        durationSeconds: DURATION_S,
        rollupDays: DAYS,
        trendBuckets: trend.buckets.length,
        trendMentions: trend.totals?.mentions ?? 0,
        rateLimitPerMinute: 100000000,
      },
      baseline: { endpoint: 'GET /healthz', ...health },
      trends: { endpoint: 'GET /api/v1/trends?watch=…&bucket=day', acceptEncoding: 'gzip', ...trends },
      trendsWithoutGzip: {
        endpoint: 'GET /api/v1/trends?watch=…&bucket=day',
        acceptEncoding: 'none',
        ...identity,
      },
      ratios: {
        trendsToHealthzThroughput: round2(trends.requestsPerSecond / Math.max(1, health.requestsPerSecond)),
        trendsToHealthzP99: round2(trends.latencyMs.p99 / Math.max(1, health.latencyMs.p99)),
        trendsWithoutGzipToHealthzThroughput: round2(
          identity.requestsPerSecond / Math.max(1, health.requestsPerSecond),
        ),
      },
      goal: { requestsPerSecond: GOAL_RPS, p99Ms: GOAL_P99_MS, met: goalMet },
      note: 'autocannon runs in the bench process on the same cores as the service; other agents may load the machine (see loadavg).',
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/api-load.json'), `${JSON.stringify(result, null, 2)}\n`);
    const summary = [
      `trends ${trends.requestsPerSecond} req/s (${result.ratios.trendsToHealthzThroughput}x of /healthz),`,
      `p99 ${trends.latencyMs.p99} ms; goal ${goalMet ? 'met' : 'NOT met'};`,
      `loadavg ${loadBefore.map(round2).join(' ')}`,
    ];
    process.stderr.write(`${summary.join(' ')}\nwrote bench/results/api-load.json\n`);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await store.close();
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
