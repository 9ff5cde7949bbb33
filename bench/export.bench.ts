/**
 * Export benchmark: the streaming CSV export of 1,000,000 mentions of one watch, served by the real
 * service (`node bin/trustwatch.js serve`, a child process) from PostgreSQL over loopback, with the
 * child's memory sampled throughout. The issue's goal: peak RSS under 200 MB (constant memory,
 * whatever the row count).
 *
 * The mentions are filled set-based into a fresh schema (INSERT ... SELECT generate_series, ~200
 * character texts with quotes, commas, line breaks and formula-like starts, and their watch links);
 * the schema is dropped at the end. The child's RSS is read from /proc/<pid>/status (VmRSS) every
 * 50 ms during the download, and VmHWM (its high-water mark since start) at the end; its idle RSS
 * before the export is the baseline of the memory figures. The service runs as users start it, with
 * the heap flags bin/trustwatch.js adds; the same CSV export is then run once more with V8's own heap
 * sizing (TRUSTWATCH_SEMI_SPACE_MB=0 TRUSTWATCH_MAX_HEAP_MB=0), the memory baseline of the same run.
 *
 * Throughput baseline, measured in the same run: the same rows, columns and order written by
 * PostgreSQL itself (`\copy (SELECT ...) TO STDOUT WITH CSV` through psql), the fastest any export
 * from this database can be. The JSONL export is run once too. Line counts are verified.
 *
 *   npm run bench:export
 *   npm run bench:export -- --rows 200000     # quicker, to compare changes
 *   BENCH_DATABASE_URL=postgres://...   # PostgreSQL to use (default: TEST_DATABASE_URL or local)
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { EXPORT_CHUNK_CHARS } from '../src/api/export/stream.ts';
import { connect } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { STREAM_BATCH_SIZE } from '../src/store/repositories/mentions.ts';
import { createToken } from '../src/store/repositories/tokens.ts';
import { createWatch } from '../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../src/store/repositories/workspaces.ts';
import { fillMentions } from '../test/helpers/fill-mentions.ts';
import { makeSource } from '../test/helpers/ingest.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROWS = arg('--rows', 1_000_000);
const CHUNK = 250_000;
const SAMPLE_MS = 50;
const GOAL_MB = 200;
// The baseline run: V8's own heap sizing (no flags added by bin/trustwatch.js).
const V8_DEFAULTS_ENV = { TRUSTWATCH_SEMI_SPACE_MB: '0', TRUSTWATCH_MAX_HEAP_MB: '0' };
const pgUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Fields of /proc/<pid>/status in MB (Linux). */
function statusOf(pid: number): (key: string) => number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
}

/**
 * The service's memory in MB: VmRSS and VmHWM (high-water mark). `trustwatch serve` runs as a thin
 * parent that re-starts node with heap flags (bin/trustwatch.js): then the figures are the child's plus
 * the parent's private memory (RssAnon; its file-backed pages are the same node binary as the child's).
 */
function memoryOf(pid: number): { rss: number; hwm: number; wrapperMB: number } {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const parent = statusOf(pid);
  if (children.length === 0) return { rss: parent('VmRSS'), hwm: parent('VmHWM'), wrapperMB: 0 };
  const child = statusOf(Number(children[0]));
  const wrapperMB = parent('RssAnon');
  return { rss: child('VmRSS') + wrapperMB, hwm: child('VmHWM') + wrapperMB, wrapperMB };
}

/**
 * Counts record ends: in CSV a line feed outside quotes (a quote toggles; an escaped `""` toggles
 * twice), so line breaks inside texts do not count; in JSONL every line feed (JSON escapes them).
 */
class RecordCounter {
  records = 0;
  private quoted = false;
  constructor(private readonly csv: boolean) {}
  add(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.csv && b === 34) this.quoted = !this.quoted;
      else if (b === 10 && !this.quoted) this.records++;
    }
  }
}

interface Download {
  rows: number;
  lines: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMB: number;
  lastLine: string;
}

/** Downloads an export, counting bytes and record ends, while sampling the server's RSS. */
async function download(url: string, token: string, pid: number, format: 'csv' | 'jsonl'): Promise<Download> {
  let peak = memoryOf(pid).rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid).rss);
  }, SAMPLE_MS);
  const started = performance.now();
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200 || !res.body)
      throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const reader = res.body.getReader();
    let bytes = 0;
    const counter = new RecordCounter(format === 'csv');
    let tail: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      counter.add(value);
      tail = [...tail, ...value.subarray(Math.max(0, value.length - 200))].slice(-200);
    }
    const lines = counter.records;
    const seconds = (performance.now() - started) / 1000;
    const rows = format === 'csv' ? lines - 1 : lines;
    const lastLine = Buffer.from(tail).toString('utf8').trimEnd().split(/\r?\n/).at(-1) ?? '';
    return {
      rows,
      lines,
      bytes,
      seconds: round(seconds, 2),
      rowsPerSecond: Math.round(rows / seconds),
      peakRssMB: round(Math.max(peak, memoryOf(pid).rss)),
      lastLine: lastLine.slice(0, 80),
    };
  } finally {
    clearInterval(timer);
  }
}

/** The same rows, columns and order through PostgreSQL's own COPY, via psql's \copy to stdout. */
function copyBaseline(
  schema: string,
  workspaceId: string,
  watchId: string,
): Promise<{ bytes: number; lines: number; seconds: number }> {
  const query =
    `select m.id, m.published_at, m.source_id, m.external_id, m.url, m.title, m.text, m.author_name,
    m.author_handle, m.author_followers, m.language, mw.sentiment_score, mw.sentiment_label, m.signals, m.rating,
    m.rating_scale, m.engagement, m.parent_id, m.thread_id, m.duplicate_of, m.fetched_at
    from mentions m join mention_watches mw on mw.mention_id = m.id and mw.watch_id = '${watchId}'
    where m.workspace_id = '${workspaceId}' and not mw.duplicate
    order by mw.published_at desc, mw.mention_id desc`.replace(/\s+/g, ' ');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      'psql',
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        pgUrl,
        '-c',
        `\\copy (${query}) to stdout with (format csv, header)`,
      ],
      {
        env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let bytes = 0;
    const counter = new RecordCounter(true);
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      counter.add(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`psql exited ${code}: ${err}`));
      else
        resolve({ bytes, lines: counter.records, seconds: round((performance.now() - started) / 1000, 2) });
    });
  });
}

/** Starts `trustwatch serve` (API only) on a free loopback port against the schema; resolves with its URL. */
function startService(
  schema: string,
  env: Record<string, string> = {},
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const child = spawn(
    process.execPath,
    ['bin/trustwatch.js', 'serve', '--no-scheduler', '--host', '127.0.0.1', '--port', '0'],
    {
      cwd: new URL('..', import.meta.url),
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        LOG_LEVEL: 'warn',
        TRUSTWATCH_SCHEDULER: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timeout = setTimeout(() => {
      void stop();
      reject(new Error(`service did not start in 60 s: ${out} ${err}`));
    }, 60_000);
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timeout);
        resolve({ url: m[1], pid: child.pid as number, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`service exited ${code}: ${err}`));
    });
  });
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const schema = `tw_bench_export_${process.pid}_${randomBytes(3).toString('hex')}`;
  const store = await connect({ databaseUrl: pgUrl, schema, dropSchemaOnClose: true, poolSize: 2 });
  // Every service started, stopped at the end whatever happens (stopping twice is harmless).
  const services: Awaited<ReturnType<typeof startService>>[] = [];
  try {
    await migrateToLatest(store.db);
    const ws = await ensureWorkspace(store.db, 'bench');
    const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'bench');
    const source = await makeSource(store.db, ws.id, 'bulk');
    const token = (await createToken(store.db, ws.id, { name: 'bench', role: 'viewer' }, 'bench')).token;
    const pgVersion = (
      await sql<{ v: string }>`select current_setting('server_version') as v`.execute(store.db)
    ).rows[0]?.v;

    log(`filling ${ROWS.toLocaleString('en')} mentions into ${schema}...`);
    const fillStarted = performance.now();
    for (let first = 1; first <= ROWS; first += CHUNK) {
      const count = Math.min(CHUNK, ROWS - first + 1);
      await fillMentions(store.db, {
        workspaceId: ws.id,
        sourceId: source.id,
        watchId: watch.id,
        count,
        first,
      });
      log(
        `  ${(first + count - 1).toLocaleString('en')} rows (${round((performance.now() - fillStarted) / 1000)} s)`,
      );
    }
    await sql`analyze mentions`.execute(store.db);
    await sql`analyze mention_watches`.execute(store.db);
    const fillSeconds = round((performance.now() - fillStarted) / 1000);
    const stored = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from mention_watches where watch_id = ${watch.id}`.execute(store.db)
    ).rows[0]?.n;

    /** Starts the service, warms it up, lets it settle and reads its idle memory. */
    const started = async (env: Record<string, string> = {}) => {
      const service = await startService(schema, env);
      services.push(service);
      // One small request loads the routes and opens the pool; then the process settles.
      const warm = await fetch(`${service.url}/api/v1/mentions?limit=1&watch=${watch.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (warm.status !== 200) throw new Error(`warm-up request answered ${warm.status}`);
      await warm.arrayBuffer();
      await new Promise((r) => setTimeout(r, 1500));
      const idle = memoryOf(service.pid);
      log(
        `service pid ${service.pid} ${JSON.stringify(env)} idle RSS ${round(idle.rss)} MB (wrapper ${round(idle.wrapperMB)} MB)`,
      );
      return {
        api: `${service.url}/api/v1/mentions/export?watch=${watch.id}`,
        pid: service.pid,
        idle,
        stop: service.stop,
      };
    };
    const report = (what: string, d: Download) =>
      log(
        `  ${what}: ${d.rows.toLocaleString('en')} rows, ${round(d.bytes / 1e6)} MB in ${d.seconds} s, peak RSS ${d.peakRssMB} MB`,
      );

    const plain = await started();
    const csv = await download(`${plain.api}&format=csv`, token, plain.pid, 'csv');
    const afterCsv = memoryOf(plain.pid);
    report('CSV', csv);
    const jsonl = await download(`${plain.api}&format=jsonl`, token, plain.pid, 'jsonl');
    const end = memoryOf(plain.pid);
    report('JSONL', jsonl);
    await plain.stop();

    // Baseline in the same run: V8's own heap sizing, whose young generation grows to 3 x 16 MB under
    // the export's stream of short-lived objects (what bin/trustwatch.js's default flags prevent).
    const v8defaults = await started(V8_DEFAULTS_ENV);
    const csvV8 = await download(`${v8defaults.api}&format=csv`, token, v8defaults.pid, 'csv');
    const v8Hwm = memoryOf(v8defaults.pid).hwm;
    report('CSV, V8 default heap sizing', csvV8);
    await v8defaults.stop();
    const idle = plain.idle;

    log('baseline: the same rows through psql \\copy ... to stdout...');
    const copy = await copyBaseline(schema, ws.id, watch.id);
    const copyRows = copy.lines - 1;
    log(`  COPY: ${copyRows.toLocaleString('en')} rows, ${round(copy.bytes / 1e6)} MB in ${copy.seconds} s`);

    const problems = [
      csv.rows !== stored ? `CSV has ${csv.rows} rows, the watch ${stored}` : '',
      jsonl.rows !== stored ? `JSONL has ${jsonl.rows} rows, the watch ${stored}` : '',
      csvV8.rows !== stored ? `CSV (V8 defaults) has ${csvV8.rows} rows, the watch ${stored}` : '',
      csv.lastLine.startsWith('# error') ? `CSV ended with ${csv.lastLine}` : '',
      jsonl.lastLine.startsWith('{"error"') ? `JSONL ended with ${jsonl.lastLine}` : '',
    ].filter(Boolean);
    const peak = Math.max(csv.peakRssMB, afterCsv.rss);
    const result = {
      bench: 'export',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        memoryGB: round(os.totalmem() / 1024 ** 3),
        node: process.version,
        postgres: pgVersion,
        loadavgBefore: loadBefore.map((x) => round(x, 2)),
        loadavgAfter: os.loadavg().map((x) => round(x, 2)),
      },
      setup: {
        rows: stored,
        fillSeconds,
        note: "One watch, fresh PostgreSQL schema, set-based fill (~200-character texts); the service is `node bin/trustwatch.js serve --no-scheduler` (a thin parent re-starting node with its default heap flags; RSS figures are the child plus the parent's private memory), downloaded over loopback with fetch.",
        streamBatchRows: STREAM_BATCH_SIZE,
        chunkChars: EXPORT_CHUNK_CHARS,
      },
      csv: {
        rows: csv.rows,
        bytes: csv.bytes,
        seconds: csv.seconds,
        rowsPerSecond: csv.rowsPerSecond,
        idleRssMB: round(idle.rss),
        wrapperRssAnonMB: round(idle.wrapperMB),
        peakRssMB: round(peak),
        peakOverIdle: round(peak / idle.rss, 2),
        vmHwmMB: round(afterCsv.hwm),
        goalPeakRssMB: GOAL_MB,
        goalMet: peak < GOAL_MB,
      },
      csvV8Defaults: {
        env: V8_DEFAULTS_ENV,
        rows: csvV8.rows,
        seconds: csvV8.seconds,
        rowsPerSecond: csvV8.rowsPerSecond,
        idleRssMB: round(v8defaults.idle.rss),
        peakRssMB: csvV8.peakRssMB,
        peakOverIdle: round(csvV8.peakRssMB / v8defaults.idle.rss, 2),
        peakWithFlagsOverThis: round(peak / csvV8.peakRssMB, 2),
        vmHwmMB: round(v8Hwm),
      },
      jsonl: {
        rows: jsonl.rows,
        bytes: jsonl.bytes,
        seconds: jsonl.seconds,
        rowsPerSecond: jsonl.rowsPerSecond,
        peakRssMB: jsonl.peakRssMB,
        vmHwmMB: round(end.hwm),
      },
      baseline: {
        what: 'psql \\copy (same select, join and order) to stdout with csv, header',
        rows: copyRows,
        bytes: copy.bytes,
        seconds: copy.seconds,
        rowsPerSecond: Math.round(copyRows / copy.seconds),
        csvExportSecondsOverCopy: round(csv.seconds / copy.seconds, 2),
        jsonlExportSecondsOverCopy: round(jsonl.seconds / copy.seconds, 2),
      },
      verified: problems.length === 0,
      problems,
    };
    writeFileSync(new URL('./results/export.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    log(
      `CSV export: ${csv.rowsPerSecond.toLocaleString('en')} rows/s, ${result.baseline.csvExportSecondsOverCopy}x the time of COPY; peak RSS ${round(peak)} MB (idle ${round(idle.rss)} MB, ${result.csv.peakOverIdle}x; goal < ${GOAL_MB} MB: ${peak < GOAL_MB ? 'met' : 'NOT met'})`,
    );
    if (problems.length) {
      log(`problems: ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const service of services) await service.stop();
    await store.close();
  }
}

await main();
