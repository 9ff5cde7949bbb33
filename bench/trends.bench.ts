/**
 * Trend endpoint benchmark: latency (p50/p99) of the trend API reading rollups for a watch with
 * about 5 million mentions, on PostgreSQL (the production store, the goal: p99 < 20 ms) and
 * PGlite.
 *
 * The rollups are filled directly (two years of hourly buckets for the brand and two competitors,
 * with daily seasonality, signal and source maps, ratings and reach, summing to ~5M mentions for the
 * brand; 30 days of term/hashtag/author rollups with a Zipf vocabulary): the endpoints read rollups
 * only, so their cost depends on buckets, not on how the mentions got there. Requests go through the
 * Hono app in process (token check, validation, queries, JSON), without a network socket.
 *
 * Baseline, measured in the same run on the same database: the same 90-day hourly trend computed by
 * scanning a bare table of per-mention rows (watch, time, label, score), the way a trend would be
 * computed without rollups. PostgreSQL gets all 5M rows; PGlite 1M (filling 5M in WASM takes minutes),
 * its baseline scaled by the row count is stated as such.
 *
 *   npm run bench:trends                     # PGlite + PostgreSQL (if reachable)
 *   npm run bench:trends -- --iterations 100
 *   npm run bench:trends -- --postgres-only
 *   BENCH_DATABASE_URL=postgres://...         # PostgreSQL to use (default: TEST_DATABASE_URL or local)
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { createApp } from '../src/api/app.ts';
import { silentLogger } from '../src/core/logger.ts';
import { type Store, connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { readWatchSeries } from '../src/store/repositories/series.ts';
import { createToken } from '../src/store/repositories/tokens.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { fillHourlyRollups } from './rollups.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ITERATIONS = arg('--iterations', 200);
const WARMUP = 20;
const HOURS = 2 * 365 * 24;
const TERM_HOURS = 30 * 24;
const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const NOW = new Date('2026-03-01T00:00:00Z');

interface Timing {
  p50: number;
  p99: number;
  mean: number;
}

function stats(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function time(label: string, fn: () => Promise<unknown>, iterations = ITERATIONS): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  const t = stats(ms);
  process.stderr.write(`  ${label}: p50 ${t.p50} ms, p99 ${t.p99} ms\n`);
  return t;
}

/** 30 days of term rollups: per hour 600 words, 30 hashtags, 250 authors, Zipf-distributed counts. */
async function fillTerms(
  store: Store,
  watchId: string,
  workspaceId: string,
  perHour: number,
): Promise<number> {
  const from = new Date(NOW.getTime() - TERM_HOURS * 3_600_000).toISOString();
  const to = new Date(NOW.getTime() - 3_600_000).toISOString();
  const fill = (kind: string, prefix: string, distinct: number, total: number) => sql`
    insert into term_rollups (watch_id, workspace_id, kind, bucket_start, term, mentions)
    select ${watchId}::uuid, ${workspaceId}::uuid, ${kind}, g, ${prefix} || k, greatest(1, (${total} / (k * 6.0))::int)
    from generate_series(${from}::timestamptz, ${to}::timestamptz, interval '1 hour') g, generate_series(1, ${distinct}) k`;
  await fill('term', 'word', 600, perHour * 8).execute(store.db);
  await fill('hashtag', '#tag', 30, perHour / 4).execute(store.db);
  await fill('author', 'user', 250, perHour / 10).execute(store.db);
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from term_rollups where watch_id = ${watchId}::uuid`.execute(store.db);
  return r.rows[0]?.n ?? 0;
}

/** The baseline's data: one row per mention, indexed the way mention_watches is. */
async function fillMentionRows(store: Store, watchId: string, rows: number): Promise<void> {
  await sql`create table bench_mw (watch_id uuid not null, published_at timestamptz not null,
    sentiment_label text not null, sentiment_score real not null)`.execute(store.db);
  const from = NOW.getTime() - HOURS * 3_600_000;
  const chunk = 500_000;
  for (let done = 0; done < rows; done += chunk) {
    const n = Math.min(chunk, rows - done);
    await sql`
      insert into bench_mw
      select ${watchId}::uuid, to_timestamp((${from} + random() * ${HOURS * 3_600_000}) / 1000),
        (array['positive', 'negative', 'neutral'])[1 + (i % 3)], (random() * 2 - 1)::real
      from generate_series(1, ${n}) i`.execute(store.db);
    process.stderr.write(`\r  baseline rows: ${done + n}/${rows}   `);
  }
  process.stderr.write('\n');
  await sql`create index bench_mw_idx on bench_mw (watch_id, published_at)`.execute(store.db);
  await sql`analyze bench_mw`.execute(store.db);
}

async function benchStore(name: 'pglite' | 'postgres', store: Store, baselineRows: number) {
  process.stderr.write(`${name}:\n`);
  await migrateToLatest(store.db);
  const ws = await ensureWorkspace(store.db, 'bench-trends');
  const token = (await createToken(store.db, ws.id, { name: 'bench', role: 'viewer' }, 'bench')).token;
  const brand = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'bench');
  const rivals = await Promise.all(
    ['Brightwave', 'Corvo'].map((n) =>
      createWatch(
        store.db,
        ws.id,
        { name: n, kind: 'competitor', query: n.toLowerCase(), competitorOf: brand.id },
        'bench',
      ),
    ),
  );
  const perHour = 5_000_000 / HOURS;
  const fillStarted = performance.now();
  const span = { from: new Date(NOW.getTime() - HOURS * 3_600_000), to: new Date(NOW.getTime() - 3_600_000) };
  const brandMentions = await fillHourlyRollups(store.db, {
    watchId: brand.id,
    workspaceId: ws.id,
    perHour,
    ...span,
  });
  for (const r of rivals) {
    await fillHourlyRollups(store.db, { watchId: r.id, workspaceId: ws.id, perHour: perHour / 3, ...span });
  }
  const termRows = await fillTerms(store, brand.id, ws.id, perHour);
  await sql`analyze rollups`.execute(store.db);
  await sql`analyze term_rollups`.execute(store.db);
  process.stderr.write(
    `  filled ${HOURS} hourly buckets per watch (${Math.round(brandMentions)} brand mentions), ${termRows} term rows in ${((performance.now() - fillStarted) / 1000).toFixed(1)}s\n`,
  );
  await fillMentionRows(store, brand.id, baselineRows);

  const app = createApp({
    db: store.db,
    log: silentLogger(),
    storage: name,
    maxBodyBytes: 1 << 20,
    now: () => NOW,
  });
  const headers = { authorization: `Bearer ${token}` };
  const get = (path: string) => async () => {
    const res = await app.request(path, { headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const w = brand.id;
  const endpoints = {
    'trends hour, 90 days (2,160 buckets)': get(`/api/v1/trends?watch=${w}`),
    'trends day, 90 days, tz=Europe/Berlin': get(`/api/v1/trends?watch=${w}&bucket=day&tz=Europe/Berlin`),
    'trends week, 2 years': get(`/api/v1/trends?watch=${w}&bucket=week&from=2024-03-01T00:00:00Z`),
    'trends day, 2 years (17,520 hourly rows)': get(
      `/api/v1/trends?watch=${w}&bucket=day&from=2024-03-01T00:00:00Z`,
    ),
    'share of voice day, 90 days, 3 watches': get(`/api/v1/trends/share-of-voice?watch=${w}&bucket=day`),
    'top hashtags, 7 days': get(`/api/v1/trends/top?watch=${w}&kind=hashtag`),
    'top terms, 7 days': get(`/api/v1/trends/top?watch=${w}&kind=term`),
    'top authors, 24 hours': get(`/api/v1/trends/top?watch=${w}&kind=author&from=2026-02-28T00:00:00Z`),
  };
  // Other work on the machine inflates every figure here; the load is recorded beside them.
  const loadBefore = os.loadavg()[0] ?? 0;
  const latency: Record<string, Timing> = {};
  for (const [label, fn] of Object.entries(endpoints)) latency[label] = await time(label, fn);
  const detectorRead = await time('detector read: readWatchSeries hour, 2 years', () =>
    readWatchSeries(store.db, {
      workspaceId: ws.id,
      watchId: w,
      from: new Date('2024-03-01T00:00:00Z'),
      to: NOW,
      bucket: 'hour',
    }),
  );
  const from90 = new Date(NOW.getTime() - 90 * 86_400_000).toISOString();
  const baseline = await time(
    `baseline: 90-day hourly trend scanning ${baselineRows} mention rows`,
    () =>
      sql`select date_trunc('hour', published_at, 'UTC') as b, count(*)::int,
            count(*) filter (where sentiment_label = 'negative')::int, sum(sentiment_score)
          from bench_mw where watch_id = ${w}::uuid and published_at >= ${from90}::timestamptz
            and published_at < ${NOW.toISOString()}::timestamptz
          group by 1`.execute(store.db),
    Math.min(ITERATIONS, 30),
  );
  const hourly = latency['trends hour, 90 days (2,160 buckets)'] as Timing;
  return {
    storage: name,
    brandMentions: Math.round(brandMentions),
    hourlyBucketsPerWatch: HOURS,
    termRows,
    iterations: ITERATIONS,
    loadAverage1m: {
      before: Math.round(loadBefore * 10) / 10,
      after: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
    },
    latencyMs: latency,
    detectorReadMs: detectorRead,
    baseline: { mentionRows: baselineRows, scanMs: baseline },
    trendHourP50VsBaseline: Math.round((hourly.p50 / baseline.p50) * 1000) / 1000,
    goalP99Under20ms: Object.entries(latency)
      .filter(([k]) => k.startsWith('trends '))
      .every(([, t]) => t.p99 < 20),
  };
}

async function main(): Promise<void> {
  const results = [];
  if (!args.includes('--postgres-only')) {
    const pglite = await connect({ dataDir: 'memory://' });
    try {
      results.push(await benchStore('pglite', pglite, 1_000_000));
    } finally {
      await pglite.close();
    }
  }
  const schema = `tw_bench_trends_${process.pid}`;
  let pg: Store | undefined;
  try {
    pg = await connect({ databaseUrl: pgUrl, schema, poolSize: 4, dropSchemaOnClose: true });
    await sql`select 1`.execute(pg.db);
  } catch (err) {
    process.stderr.write(`PostgreSQL not reachable (${(err as Error).message}); PGlite only\n`);
    await pg?.close();
    pg = undefined;
  }
  if (pg) {
    try {
      results.push(await benchStore('postgres', pg, 5_000_000));
    } finally {
      await pg.close();
    }
  }
  const out = {
    benchmark: 'trends',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    notes:
      'Latency of the trend API (in-process Hono requests: token check, validation, rollup queries, JSON) for a brand watch whose rollups hold ~5M mentions over 2 years of hourly buckets, plus 2 competitor watches; term rollups for the last 30 days (600 words, 30 hashtags, 250 authors per hour). Rollups are filled directly, not by ingesting 5M mentions. trendHourP50VsBaseline = p50 of the 90-day hourly trend endpoint / p50 of the same figures computed by scanning per-mention rows (5M rows on PostgreSQL, 1M on PGlite) in the same run. goalP99Under20ms covers the /api/v1/trends requests.',
    results,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/trends.json', `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out.results, null, 2)}\n`);
}

await main();
