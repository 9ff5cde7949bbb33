/**
 * Scale benchmark (issue 10): PostgreSQL at volume, with mentions partitioned by month. The ingest
 * rates are measured through the application's own code; only the bulk of the volume is loaded by SQL.
 *
 * 1. Pipeline ingest with 1, 2 and 4 worker processes: each run gets a fresh schema; W child
 *    processes each ingest their share of `--sample` synthetic mentions (spread over 24 months) through
 *    the whole pipeline (normalize, language, match, dedupe, score, store, rollups, review queue) into
 *    their own sources, as `trustwatch worker` processes polling different sources do. Reported as
 *    mentions/s and as a ratio to the 1-worker run of the same invocation.
 * 2. Bulk load: the last run's schema is filled with set-based SQL (INSERT ... SELECT generate_series)
 *    through the same partitioned tables, keys and indexes, up to `--mentions` less phase 3's share:
 *    the pipeline does ~1-2k mentions/s on a 2-core machine, so 10M through it would take hours.
 *    Reported separately; it is not an application rate.
 * 3. At volume: `--volume-sample` more mentions with 1, 2 and 4 worker processes through the
 *    application's store stage (storeMentionBatch, one transaction and one multi-row upsert per batch
 *    of 500). The items are scored once as templates and stored with their own ids, texts and dates;
 *    phase 1 measures the scoring.
 * 4. After the load: trend query latency (p50/p99 of readTrend, hourly over 30 days and daily over a
 *    year), the newest-first mention list of a watch (reads the partitions), a re-poll of 500 unchanged
 *    items (the cross-month look-up of idempotent ingest), each as a ratio to the same query measured
 *    after phase 1; and table + index size per million mentions over all partitions.
 *
 *   npm run bench:scale                          # --mentions 10000000 --sample 60000 --volume-sample 100000
 *   npm run bench:scale -- --mentions 500000 --sample 6000 --volume-sample 20000 --workers 1,2,4
 *   BENCH_DATABASE_URL=postgres://...            # default TEST_DATABASE_URL or local
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { silentLogger } from '../src/core/logger.ts';
import type { SourceItem } from '../src/core/mention.ts';
import { loadLanguageDetector } from '../src/ingest/language.ts';
import { loadWatchMatcher } from '../src/ingest/load-watches.ts';
import { textFingerprint } from '../src/ingest/normalize.ts';
import { type IngestSource, ingestItems, prepareItems } from '../src/ingest/pipeline.ts';
import { lexiconScorer } from '../src/score/sentiment.ts';
import { type Store, connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { addMonths, listPartitions, monthOf } from '../src/store/partitions.ts';
import { type MentionWrite, storeMentionBatch } from '../src/store/repositories/mention-batch.ts';
import { listMentions } from '../src/store/repositories/mentions.ts';
import { createSource } from '../src/store/repositories/sources.ts';
import { readTrend } from '../src/store/repositories/trends.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { syntheticItems } from './synthetic.ts';

const args = process.argv.slice(2);
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}
const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 500;
const CHUNK = 5_000;
const MONTHS = 24;
// The parent's clock, handed to the workers so that every process generates the same items.
const NOW = new Date(Number(arg('--now', String(Date.now()))));

/** Synthetic items spread evenly-at-random over the last MONTHS months. */
function items(count: number, seed: number): SourceItem[] {
  const end = NOW.getTime();
  const span = MONTHS * 30.4 * 86_400_000;
  return syntheticItems(count, seed, end).map((it, i) => ({
    ...it,
    publishedAt: new Date(end - (((i + 1) * 2_654_435_761 + seed * 97) % 1_000_003) * (span / 1_000_003)),
  }));
}

// ---------------------------------------------------------------- child: one worker process
async function child(): Promise<void> {
  const schema = arg('--schema', '');
  const sources = arg('--sources', '').split(',');
  const workspaceId = arg('--workspace', '');
  const count = Number(arg('--count', '0'));
  const seed = Number(arg('--seed', '1'));
  const store = await connect({ databaseUrl: pgUrl, schema, poolSize: 2 });
  try {
    const log = silentLogger();
    const matcher = await loadWatchMatcher(store.db, workspaceId, log);
    const deps = {
      db: store.db,
      matcher,
      scorer: lexiconScorer,
      batchSize: BATCH,
      now: () => new Date(),
      log,
    };
    const all = items(count, seed);
    let inserted = 0;
    const per = Math.ceil(all.length / sources.length);
    for (const [k, id] of sources.entries()) {
      const source: IngestSource = { id, workspaceId, type: 'rss', name: `s${k}`, watchId: null };
      const mine = all.slice(k * per, (k + 1) * per);
      for (let i = 0; i < mine.length; i += CHUNK) {
        inserted += (await ingestItems(deps, source, mine.slice(i, i + CHUNK))).inserted;
      }
    }
    process.stdout.write(`${JSON.stringify({ inserted })}\n`);
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- child: store path at volume
/**
 * One worker process writing `--count` mentions through the pipeline's store stage
 * (storeMentionBatch: per-source lock, cross-month look-up, one multi-row upsert per batch, links,
 * rollups, terms, review queue), one transaction per batch of 500, as ingestItems does. Scoring and
 * language detection run once over 2,000 template items; each stored mention is a template with its
 * own id, URL, text and date, so the database does the same work as for real mentions while the
 * JavaScript CPU cost (measured by the pipeline runs) stays out of the fill.
 */
async function storeChild(): Promise<void> {
  const schema = arg('--schema', '');
  const sources = arg('--sources', '').split(',');
  const workspaceId = arg('--workspace', '');
  const count = Number(arg('--count', '0'));
  const worker = arg('--worker', '0');
  const prefix = arg('--prefix', 'st');
  const store = await connect({ databaseUrl: pgUrl, schema, poolSize: 2 });
  try {
    const log = silentLogger();
    const matcher = await loadWatchMatcher(store.db, workspaceId, log);
    await loadLanguageDetector();
    const source: IngestSource = {
      id: sources[0] as string,
      workspaceId,
      type: 'rss',
      name: 's',
      watchId: null,
    };
    const templates = prepareItems(source, items(2_000, 900 + Number(worker)), {
      matcher,
      scorer: lexiconScorer,
      now: () => new Date(),
    }).writes;
    // Ready: wait for the parent's go, so that the timed part is storing alone, not start-up.
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
    const first = addMonths(monthOf(NOW), -(MONTHS - 1)).getTime();
    const span = NOW.getTime() - first;
    let stored = 0;
    let reported = 0;
    let inserted = 0;
    for (let b = 0; stored < count; b++) {
      const batch: MentionWrite[] = [];
      for (let k = 0; k < BATCH && stored + k < count; k++) {
        const i = stored + k;
        const t = templates[i % templates.length] as MentionWrite;
        const id = `${prefix}-${worker}-${i}`;
        const text = `${t.text} [${id}]`;
        batch.push({
          ...t,
          externalId: id,
          url: `https://social.example/s/${id}`,
          canonicalUrl: `social.example/s/${id}`,
          text,
          textHash: textFingerprint(`${t.title ?? ''} ${text}`),
          publishedAt: new Date(
            first + (((i + 1) * 2_654_435_761 + Number(worker) * 7919) % 1_000_003) * (span / 1_000_003),
          ),
        });
      }
      const sourceId = sources[b % sources.length] as string;
      const out = await store.db
        .transaction()
        .execute((trx) => storeMentionBatch(trx, workspaceId, sourceId, batch, new Date()));
      stored += batch.length;
      inserted += out.inserted;
      if (b % 10 === 9 || stored === count) {
        process.stdout.write(`${JSON.stringify({ progress: stored - reported })}\n`);
        reported = stored;
      }
    }
    process.stdout.write(`${JSON.stringify({ inserted })}\n`);
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- parent
interface Timing {
  p50: number;
  p99: number;
}

async function timeIt(label: string, fn: () => Promise<unknown>, iterations = 200): Promise<Timing> {
  for (let i = 0; i < 10; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0) * 100) / 100;
  const t = { p50: at(0.5), p99: at(0.99) };
  process.stderr.write(`  ${label}: p50 ${t.p50} ms, p99 ${t.p99} ms\n`);
  return t;
}

interface Child {
  /** Resolves when the child has started up (store children only; others resolve at once). */
  ready: Promise<void>;
  /** Lets a store child start storing. */
  go(): void;
  done: Promise<{ inserted: number }>;
}

/**
 * Runs one child process; its stdout is JSON lines: `{ready}` once started (store children, which
 * then wait for a line on stdin), `{progress: n}` while it works, `{inserted}` last.
 */
function runChild(argv: string[], onProgress: (n: number) => void = () => {}): Child {
  const p = spawn(process.execPath, ['bin/run-ts.js', 'bench/scale.bench.ts', ...argv], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let markReady = () => {};
  const ready = argv.includes('--store-child')
    ? new Promise<void>((resolve) => {
        markReady = resolve;
      })
    : Promise.resolve();
  const done = new Promise<{ inserted: number }>((resolve, reject) => {
    let buffered = '';
    let last: { inserted: number } | undefined;
    p.stdout.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const msg = JSON.parse(line) as { ready?: boolean; progress?: number; inserted?: number };
        if (msg.ready) markReady();
        if (msg.progress !== undefined) onProgress(msg.progress);
        if (msg.inserted !== undefined) last = { inserted: msg.inserted };
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0 || !last) reject(new Error(`worker exited with ${code}`));
      else resolve(last);
    });
  });
  // A child that dies during start-up must not leave the parent waiting for its ready line.
  done.catch(() => markReady());
  return { ready, done, go: () => p.stdin.end('go\n') };
}

interface Setup {
  store: Store;
  schema: string;
  workspaceId: string;
  brandId: string;
  sourceIds: string[];
}

async function setup(workers: number, keep: boolean): Promise<Setup> {
  const schema = `bench_scale_${workers}_${randomBytes(3).toString('hex')}`;
  const store = await connect({ databaseUrl: pgUrl, schema, poolSize: 4, dropSchemaOnClose: !keep });
  await migrateToLatest(store.db);
  const ws = await ensureWorkspace(store.db, 'bench-scale');
  const brand = await createWatch(
    store.db,
    ws.id,
    { name: 'Telvana', query: 'telvana OR @telvanacare OR #telvanafail', ownedHandles: ['TelvanaCare'] },
    'bench',
  );
  await createWatch(
    store.db,
    ws.id,
    { name: 'Brightwave', kind: 'competitor', query: 'brightwave', competitorOf: brand.id },
    'bench',
  );
  const sourceIds: string[] = [];
  for (let i = 0; i < workers * 2; i++) {
    const s = await createSource(
      store.db,
      ws.id,
      { type: 'rss', name: `feed-${i}`, config: {}, intervalSeconds: 900 },
      'bench',
      {},
    );
    sourceIds.push(s.id);
  }
  return { store, schema, workspaceId: ws.id, brandId: brand.id, sourceIds };
}

async function ingestWithWorkers(s: Setup, workers: number, sample: number): Promise<Record<string, number>> {
  const per = Math.floor(sample / workers);
  process.stderr.write(`  ${workers} worker(s): ${per * workers} mentions through the pipeline...\n`);
  const started = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: workers },
      (_, w) =>
        runChild(['--child', ...childArgs(s, w), '--count', String(per), '--seed', String(100 + w)]).done,
    ),
  );
  return workerRate(`${workers} worker(s)`, workers, results, started);
}

/** What every child is told: the schema, the workspace, worker `w`'s own two sources, and the clock. */
function childArgs(s: Setup, w: number): string[] {
  return [
    '--schema',
    s.schema,
    '--workspace',
    s.workspaceId,
    '--sources',
    s.sourceIds.slice(w * 2, w * 2 + 2).join(','),
    '--now',
    String(NOW.getTime()),
  ];
}

/** The mentions all workers stored per second of wall time since `started`, printed and as a result row. */
function workerRate(
  label: string,
  workers: number,
  results: { inserted: number }[],
  started: number,
): Record<string, number> {
  const seconds = (performance.now() - started) / 1000;
  const inserted = results.reduce((t, r) => t + r.inserted, 0);
  const rate = Math.round(inserted / seconds);
  process.stderr.write(`  ${label}: ${inserted} stored in ${seconds.toFixed(1)} s = ${rate}/s\n`);
  return { workers, mentions: inserted, seconds: Math.round(seconds * 10) / 10, mentionsPerSec: rate };
}

/**
 * W store-path child processes (storeChild) writing `count` mentions between them, each into its own
 * two sources, with progress on stderr. The rate is mentions stored per second of wall time.
 */
async function storeWithWorkers(
  s: Setup,
  workers: number,
  count: number,
  prefix: string,
): Promise<Record<string, number>> {
  const per = Math.ceil(count / workers);
  let started = performance.now();
  let done = 0;
  let shown = 0;
  const progress = (n: number) => {
    done += n;
    const now = performance.now();
    if (now - shown < 2_000 && done < count) return;
    shown = now;
    const rate = Math.round(done / ((now - started) / 1000));
    const eta = rate > 0 ? Math.round((count - done) / rate) : 0;
    process.stderr.write(
      `\r  ${prefix}, ${workers} worker(s): ${done}/${count} (${rate}/s, ~${eta} s left)   `,
    );
  };
  const children = Array.from({ length: workers }, (_, w) =>
    runChild(
      [
        '--store-child',
        ...childArgs(s, w),
        '--count',
        String(Math.min(per, count - w * per)),
        '--worker',
        String(w),
        '--prefix',
        prefix,
      ],
      progress,
    ),
  );
  await Promise.all(children.map((c) => c.ready));
  started = performance.now();
  for (const c of children) c.go();
  const results = await Promise.all(children.map((c) => c.done));
  process.stderr.write('\n');
  return workerRate(`${prefix}, ${workers} worker(s)`, workers, results, started);
}

const TEXTS = [
  'Telvana support is great, fixed my problem in minutes',
  'Telvana billing charged me twice this month, not happy',
  'The Telvana app has been down for hours and nobody answers',
  'My Telvana contract works fine, nothing special',
  'Telvana raised prices again without telling anyone',
];

/**
 * Set-based bulk load up to `target` mentions, month by month, with a brand-watch link each and their
 * hourly rollups (no scoring, terms or review items). Only the bulk of the 10M is loaded this way: the
 * store path does ~1.3-2k mentions/s on a 2-core machine, which would take hours for 10M; its rate is
 * measured at volume afterwards.
 */
async function fill(s: Setup, target: number): Promise<Record<string, number>> {
  const db = s.store.db;
  const have = Number(
    (await sql<{ n: number }>`select count(*)::bigint as n from mentions`.execute(db)).rows[0]?.n ?? 0,
  );
  const todo = Math.max(0, target - have);
  if (todo === 0) return { rows: 0, seconds: 0, rowsPerSec: 0 };
  const first = addMonths(monthOf(NOW), -(MONTHS - 1));
  const perMonth = Math.ceil(todo / MONTHS);
  const STEP = 250_000;
  const steps: { from: Date; n: number; tag: string }[] = [];
  for (let m = 0, planned = 0; m < MONTHS && planned < todo; m++) {
    for (let k = 0; k < perMonth && planned < todo; k += STEP) {
      const n = Math.min(STEP, perMonth - k, todo - planned);
      steps.push({ from: addMonths(first, m), n, tag: `${m}-${k}` });
      planned += n;
    }
  }
  const started = performance.now();
  let done = 0;
  // Two statements at a time: one per core, each into its own month's partitions.
  const runSteps = async () => {
    for (let step = steps.shift(); step; step = steps.shift()) {
      const { from, n, tag } = step;
      const spanMs = Math.min(addMonths(from, 1).getTime(), NOW.getTime()) - from.getTime();
      // One statement per step: the mentions, then their brand links (same month, same ids).
      await sql`
        with ins as (
          insert into mentions (workspace_id, source_id, external_id, url, canonical_url, author_name, author_handle,
            author_followers, text, text_hash, language, published_at, fetched_at, engagement, sentiment_score,
            sentiment_label, signals, terms)
          select ${s.workspaceId}::uuid, (${s.sourceIds}::uuid[])[1 + i % ${s.sourceIds.length}],
            'fill-' || ${tag} || '-' || i, 'https://social.example/f/' || ${tag} || '/' || i, null,
            'User ' || (i % 5000), 'user' || (i % 5000), (i * 37) % 100000,
            (${TEXTS}::text[])[1 + i % 5] || ' (fill ' || ${tag} || '-' || i || ')', md5(${tag} || i::text), 'en',
            ${from.toISOString()}::timestamptz + ((i * 7919) % ${n}) * (${spanMs}::float8 / ${n}) * interval '1 millisecond',
            now(), '{"likes": 3}'::jsonb, ((i % 7) - 3) / 3.0,
            (array['positive', 'negative', 'neutral', 'neutral', 'negative'])[1 + i % 5], '[]'::jsonb, '[]'::jsonb
          from generate_series(1, ${n}) i
          returning id, workspace_id, published_at, sentiment_score, sentiment_label
        )
        insert into mention_watches (mention_id, watch_id, workspace_id, published_at, sentiment_score, sentiment_label)
        select id, ${s.brandId}::uuid, workspace_id, published_at, sentiment_score, sentiment_label from ins
      `.execute(db);
      done += n;
      const rate = Math.round(done / ((performance.now() - started) / 1000));
      process.stderr.write(`\r  fill: ${done}/${todo} (${rate}/s)   `);
    }
  };
  await Promise.all([runSteps(), runSteps()]);
  process.stderr.write('\n');
  // Rollups of the filled rows (hourly buckets), added to what the pipeline wrote.
  await sql`
    insert into rollups (watch_id, workspace_id, bucket_start, mentions, positive, negative, neutral, sentiment_sum, updated_at)
    select mw.watch_id, mw.workspace_id, date_trunc('hour', mw.published_at, 'UTC'), count(*)::int,
      (count(*) filter (where mw.sentiment_label = 'positive'))::int,
      (count(*) filter (where mw.sentiment_label = 'negative'))::int,
      (count(*) filter (where mw.sentiment_label = 'neutral'))::int, sum(mw.sentiment_score), now()
    from mention_watches mw join mentions m on m.id = mw.mention_id and m.published_at = mw.published_at
    where m.external_id like 'fill-%'
    group by 1, 2, 3
    on conflict (watch_id, bucket_start, workspace_id) do update set
      mentions = rollups.mentions + excluded.mentions, positive = rollups.positive + excluded.positive,
      negative = rollups.negative + excluded.negative, neutral = rollups.neutral + excluded.neutral,
      sentiment_sum = rollups.sentiment_sum + excluded.sentiment_sum
  `.execute(db);
  const seconds = (performance.now() - started) / 1000;
  return { rows: done, seconds: Math.round(seconds), rowsPerSec: Math.round(done / seconds) };
}

async function queries(s: Setup, repoll: SourceItem[]): Promise<Record<string, Timing>> {
  const db = s.store.db;
  await sql`analyze`.execute(db);
  const day = 86_400_000;
  const to = new Date(Math.floor(NOW.getTime() / 3_600_000) * 3_600_000);
  const q = { workspaceId: s.workspaceId, watchId: s.brandId, to };
  const log = silentLogger();
  const matcher = await loadWatchMatcher(db, s.workspaceId, log);
  const deps = { db, matcher, scorer: lexiconScorer, batchSize: BATCH, now: () => new Date(), log };
  const source: IngestSource = {
    id: s.sourceIds[0] as string,
    workspaceId: s.workspaceId,
    type: 'rss',
    name: 's0',
    watchId: null,
  };
  return {
    trendHourly30d: await timeIt('trend, hourly, 30 days', () =>
      readTrend(db, { ...q, from: new Date(to.getTime() - 30 * day), bucket: 'hour' }),
    ),
    trendDaily365d: await timeIt('trend, daily, 365 days', () =>
      readTrend(db, { ...q, from: new Date(to.getTime() - 365 * day), bucket: 'day' }),
    ),
    watchMentionsFirstPage: await timeIt('mentions of the watch, newest 50', () =>
      listMentions(db, { workspaceId: s.workspaceId, watchId: s.brandId, limit: 50 }),
    ),
    repollUnchanged500: await timeIt(
      're-poll of 500 unchanged items (cross-month look-up)',
      () => ingestItems(deps, source, repoll),
      30,
    ),
  };
}

async function sizes(db: Store['db'], mentions: number): Promise<Record<string, number>> {
  const size = async (table: string) =>
    (
      await sql<{ t: number; i: number }>`
        select coalesce(sum(pg_table_size(relid)), 0)::bigint as t, coalesce(sum(pg_indexes_size(relid)), 0)::bigint as i
        from pg_partition_tree(${table}::regclass) where isleaf`.execute(db)
    ).rows[0] ?? { t: 0, i: 0 };
  const m = await size('mentions');
  const l = await size('mention_watches');
  const perM = (b: number) => Math.round((b / (mentions / 1_000_000) / 1024 / 1024) * 10) / 10;
  return {
    mentionsTableMiBPerMillion: perM(Number(m.t)),
    mentionsIndexMiBPerMillion: perM(Number(m.i)),
    linksTableMiBPerMillion: perM(Number(l.t)),
    linksIndexMiBPerMillion: perM(Number(l.i)),
    totalMiBPerMillion: perM(Number(m.t) + Number(m.i) + Number(l.t) + Number(l.i)),
    totalGiB: Math.round(((Number(m.t) + Number(m.i) + Number(l.t) + Number(l.i)) / 1024 ** 3) * 100) / 100,
  };
}

async function main(): Promise<void> {
  const target = Number(arg('--mentions', '10000000'));
  const sample = Number(arg('--sample', '60000'));
  const volumeSample = Number(arg('--volume-sample', '100000'));
  const workerCounts = arg('--workers', '1,2,4')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const maxWorkers = Math.max(...workerCounts);
  const loadBefore = os.loadavg();
  process.stderr.write(
    `scale bench on ${pgUrl.replace(/\/\/[^@]*@/, '//')}: pipeline ${sample} mentions per worker count (${workerCounts.join(', ')}), bulk load, then ${volumeSample} per worker count through the store path at volume, to ${target}\n`,
  );
  const ingest: Record<string, number>[] = [];
  let last: Setup | undefined;
  try {
    for (const [i, w] of workerCounts.entries()) {
      const keep = i === workerCounts.length - 1;
      const s = await setup(maxWorkers, keep);
      try {
        ingest.push(await ingestWithWorkers(s, w, sample));
      } finally {
        if (keep) last = s;
        else await s.store.close();
      }
    }
    if (!last) throw new Error('no worker counts given');
    const ratio = (list: Record<string, number>[]) => {
      const base = list[0]?.mentionsPerSec ?? 1;
      for (const r of list) r.vsOneWorker = Math.round(((r.mentionsPerSec ?? 0) / base) * 100) / 100;
    };
    ratio(ingest);

    // Items the last run stored (seed 100), re-polled unchanged: the idempotent cross-month look-up.
    const repoll = items(Math.floor(sample / (workerCounts.at(-1) ?? 1)), 100).slice(0, 500);
    process.stderr.write('queries after the pipeline sample:\n');
    const count = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::bigint as n from mentions`.execute(
            last?.store.db as Store['db'],
          )
        ).rows[0]?.n ?? 0,
      );
    const sampleCount = await count();
    const before = await queries(last, repoll);
    const sizeSample = await sizes(last.store.db, sampleCount);

    // The bulk goes in set-based; the last `volumeSample` per worker count through the store path.
    const fillTo = Math.max(sampleCount, target - volumeSample * workerCounts.length);
    process.stderr.write(`bulk-loading to ${fillTo} mentions with set-based SQL...\n`);
    const filled = await fill(last, fillTo);
    process.stderr.write(`store path at volume (${await count()} mentions stored):\n`);
    const atVolume: Record<string, number>[] = [];
    for (const w of workerCounts) atVolume.push(await storeWithWorkers(last, w, volumeSample, `volume${w}`));
    ratio(atVolume);
    const total = await count();
    process.stderr.write('queries after the load:\n');
    const after = await queries(last, repoll);
    const sizeAfter = await sizes(last.store.db, total);
    const partitions = (await listPartitions(last.store.db)).filter((p) => p.table === 'mentions').length;
    const ratios = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [
        k,
        Math.round((v.p99 / Math.max(0.01, before[k]?.p99 ?? 1)) * 100) / 100,
      ]),
    );
    const out = {
      benchmark: 'scale',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim(),
        memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
      },
      loadavg: { before: loadBefore, after: os.loadavg() },
      args: { mentions: target, pipelineSample: sample, volumeSample, workers: workerCounts },
      notes:
        "pipelineIngest: the whole pipeline (normalize, language, match, dedupe, lexicon scoring, store, rollups, terms, review queue) in N child processes, each into its own sources, on a fresh schema. bulkLoad: rows added by set-based INSERT ... SELECT generate_series (two statements at a time) through the same partitioned tables, keys and indexes, with a brand-watch link each and their hourly rollups, but no scoring, terms or review items: it is NOT an application rate, only the way to reach 10M in minutes. storeAtVolume: once the tables hold the bulk, N child processes store volumeSample more mentions through the application's store stage (storeMentionBatch: per-source lock, cross-month look-up, one multi-row upsert per batch of 500, links, duplicates, rollups, terms, review queue), timed from when all N have started; the items are scored templates with their own ids, texts and dates, so JavaScript scoring is not in this rate. vsOneWorker = rate / 1-worker rate of the same phase, same run. queries: p50/p99 ms after the pipeline sample and after the load; p99AfterVsBefore = p99 after / p99 before, same run. sizes: pg_table_size and pg_indexes_size over the leaf partitions of mentions and mention_watches, per million mentions. The machine has 2 cores shared by PostgreSQL and the workers, so 4 workers oversubscribe it.",
      pipelineIngest: ingest,
      sample: { mentions: sampleCount, queries: before, sizes: sizeSample },
      bulkLoad: { ...filled, monthlyPartitions: partitions },
      storeAtVolume: atVolume,
      afterLoad: { mentions: total, queries: after, p99AfterVsBefore: ratios, sizes: sizeAfter },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/scale.json', `${JSON.stringify(out, null, 2)}\n`);
    console.table(ingest);
    console.table(atVolume);
    console.table(
      Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { ...v, vsBefore: ratios[k] }])),
    );
    console.table(sizeAfter);
    process.stderr.write('wrote bench/results/scale.json\n');
  } finally {
    if (last) {
      await sql.raw(`drop schema if exists ${last.schema} cascade`).execute(last.store.db);
      await last.store.close();
    }
  }
}

if (args.includes('--child')) await child();
else if (args.includes('--store-child')) await storeChild();
else await main();
