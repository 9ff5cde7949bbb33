/**
 * Ingest benchmark: mentions/s through the whole pipeline (normalize, language, match, dedupe, score,
 * store, rollups) into PGlite and PostgreSQL, with the share of time spent in sentiment scoring.
 * Each figure is also given as a ratio to a baseline measured in the same run on the same database:
 * a plain batched INSERT of the same rows into a bare table (what storing alone costs).
 *
 *   npm run bench                      # 100k mentions, PGlite + PostgreSQL (if reachable)
 *   npm run bench -- --count 20000     # smaller run
 *   BENCH_DATABASE_URL=postgres://...  # PostgreSQL to use (default: TEST_DATABASE_URL or local)
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { silentLogger } from '../src/core/logger.ts';
import { compileWatches } from '../src/ingest/match.ts';
import { type IngestSource, ingestItems } from '../src/ingest/pipeline.ts';
import { type SentimentScorer, lexiconScorer } from '../src/score/sentiment.ts';
import { type Store, connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createSource } from '../src/store/repositories/sources.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { syntheticItems } from './synthetic.ts';

const args = process.argv.slice(2);
const countArg = args.indexOf('--count');
const COUNT = countArg >= 0 ? Number(args[countArg + 1]) : 100_000;
const BATCH = 500;
const CHUNK = 5_000; // items handed to the pipeline per call, like one page of a large poll
const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const neutralScorer: SentimentScorer = {
  id: 'none',
  score: () => ({ score: 0, label: 'neutral', tokens: [] }),
};

function progress(label: string, done: number, total: number, started: number): void {
  const rate = Math.round(done / ((performance.now() - started) / 1000));
  process.stderr.write(`\r  ${label}: ${done}/${total} (${rate}/s)   `);
  if (done === total) process.stderr.write('\n');
}

async function baselineInsert(store: Store, items: ReturnType<typeof syntheticItems>): Promise<number> {
  await sql`create table bench_raw (id bigint generated always as identity primary key, external_id text unique,
    url text, author text, text text, published_at timestamptz, engagement jsonb)`.execute(store.db);
  const started = performance.now();
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    await store.db.transaction().execute(async (trx) => {
      await sql`insert into bench_raw (external_id, url, author, text, published_at, engagement)
        select * from unnest(${batch.map((b) => b.externalId)}::text[], ${batch.map((b) => b.url ?? null)}::text[],
          ${batch.map((b) => b.author?.handle ?? null)}::text[], ${batch.map((b) => b.content ?? '')}::text[],
          ${batch.map((b) => new Date(b.publishedAt as Date).toISOString())}::timestamptz[],
          ${batch.map((b) => JSON.stringify(b.engagement ?? {}))}::jsonb[])`.execute(trx);
    });
    if ((i / BATCH) % 20 === 0 || i + BATCH >= items.length) {
      progress('baseline insert', Math.min(i + BATCH, items.length), items.length, started);
    }
  }
  return (performance.now() - started) / 1000;
}

async function pipelineRun(
  store: Store,
  items: ReturnType<typeof syntheticItems>,
  scorer: SentimentScorer,
  label: string,
): Promise<{ seconds: number; scoringMs: number; inserted: number }> {
  const ws = await ensureWorkspace(store.db, `bench-${label}-${randomBytes(3).toString('hex')}`);
  const brand = await createWatch(
    store.db,
    ws.id,
    { name: 'Telvana', query: 'telvana OR @telvanacare OR #telvanafail', ownedHandles: ['TelvanaCare'] },
    'bench',
  );
  const rival = await createWatch(
    store.db,
    ws.id,
    { name: 'Brightwave', kind: 'competitor', query: 'brightwave', competitorOf: brand.id },
    'bench',
  );
  const src = await createSource(
    store.db,
    ws.id,
    { type: 'rss', name: 'bench', config: {}, intervalSeconds: 900 },
    'bench',
    {},
  );
  const { matcher } = compileWatches(
    [brand, rival].map((w) => ({
      id: w.id,
      query: w.query,
      exclusions: w.exclusions,
      ownedHandles: w.ownedHandles,
    })),
  );
  const source: IngestSource = { id: src.id, workspaceId: ws.id, type: 'rss', name: 'bench', watchId: null };
  const deps = {
    db: store.db,
    matcher,
    scorer,
    batchSize: BATCH,
    now: () => new Date(),
    log: silentLogger(),
  };
  let scoringMs = 0;
  let inserted = 0;
  const started = performance.now();
  for (let i = 0; i < items.length; i += CHUNK) {
    const stats = await ingestItems(deps, source, items.slice(i, i + CHUNK));
    scoringMs += stats.scoringMs;
    inserted += stats.inserted;
    progress(label, Math.min(i + CHUNK, items.length), items.length, started);
  }
  return { seconds: (performance.now() - started) / 1000, scoringMs, inserted };
}

/** Runs `fn` against a freshly opened, migrated, empty database, then closes (and drops) it. */
async function withFreshStore<T>(open: () => Promise<Store>, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    await migrateToLatest(store.db);
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function benchStore(
  name: string,
  open: () => Promise<Store>,
  items: ReturnType<typeof syntheticItems>,
) {
  process.stderr.write(`\n${name}\n`);
  // Each phase starts from an empty database so that no phase pays for the rows of another.
  const baselineSeconds = await withFreshStore(open, (store) => baselineInsert(store, items));
  const full = await withFreshStore(open, (store) =>
    pipelineRun(store, items, lexiconScorer, 'pipeline (lexicon + signals)'),
  );
  const unscored = await withFreshStore(open, (store) =>
    pipelineRun(store, items, neutralScorer, 'pipeline (no scoring)'),
  );
  const rate = (s: number) => Math.round(items.length / s);
  return {
    storage: name,
    mentions: items.length,
    baselineInsertPerSec: rate(baselineSeconds),
    pipelinePerSec: rate(full.seconds),
    pipelineWithoutScoringPerSec: rate(unscored.seconds),
    pipelineVsBaseline: +(baselineSeconds / full.seconds).toFixed(3),
    stored: full.inserted,
    sentimentShareOfPipelineTime: +(full.scoringMs / 1000 / full.seconds).toFixed(4),
    scoringSlowdown: +(full.seconds / unscored.seconds).toFixed(3),
    sentimentTextsPerSec: Math.round(full.inserted / (full.scoringMs / 1000)),
  };
}

async function main(): Promise<void> {
  process.stderr.write(`generating ${COUNT} synthetic mentions...\n`);
  const items = syntheticItems(COUNT);
  const results = [];
  results.push(await benchStore('pglite', () => connect({ dataDir: 'memory://' }), items));
  let phase = 0;
  const openPostgres = async (): Promise<Store> => {
    // A schema per phase, dropped when the phase closes it.
    const schema = `tw_bench_${process.pid}_${phase++}`;
    return connect({ databaseUrl: pgUrl, schema, poolSize: 4, dropSchemaOnClose: true });
  };
  try {
    results.push(await benchStore('postgres', openPostgres, items));
  } catch (err) {
    process.stderr.write(
      `\nPostgreSQL run skipped (${pgUrl.replace(/:[^:@/]*@/, ':***@')}): ${String(err)}\n`,
    );
  }
  const out = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    notes:
      'pipelineVsBaseline = pipeline rate / plain batched INSERT rate of the same rows on the same database in the same run. sentimentShareOfPipelineTime = time in the sentiment scorer and signal rules / pipeline time. scoringSlowdown = pipeline time with the lexicon scorer and red-flag signals / with a no-op scorer, from two separate runs on fresh databases, so it carries run-to-run noise; sentimentShareOfPipelineTime is measured inside one run and is the figure to trust.',
    results,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ingest.json', `${JSON.stringify(out, null, 2)}\n`);
  console.table(results);
  process.stderr.write('wrote bench/results/ingest.json\n');
}

await main();
