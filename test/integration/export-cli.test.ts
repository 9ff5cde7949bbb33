import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MENTION_CSV_COLUMNS } from '../../src/api/export/csv.ts';
import { connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { DEFAULT_WORKSPACE_SLUG, ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { fillMentions } from '../helpers/fill-mentions.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';

const BULK = 2600;

describe('trustwatch export (CLI)', () => {
  let dir: string;
  const cli = (...args: string[]) => runCliInProcess(join(dir, 'data'), ...args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tw-export-'));
    const store = await connect({ dataDir: join(dir, 'data') });
    try {
      await migrateToLatest(store.db);
      const ws = await ensureWorkspace(store.db, DEFAULT_WORKSPACE_SLUG, 'Default');
      const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'zzznothing' }, 'test');
      const source = await makeSource(store.db, ws.id, 'bulk');
      await fillMentions(store.db, {
        workspaceId: ws.id,
        sourceId: source.id,
        watchId: watch.id,
        count: BULK,
      });
      await createWatch(store.db, ws.id, { name: 'Quiet', query: 'quietbrand' }, 'test');
      await ingest(store.db, await makeSource(store.db, ws.id, 'feed'), [
        post('q1', 'Quietbrand: "fine", I guess', '2026-03-01T10:00:00Z'),
      ]);
    } finally {
      await store.close();
    }
  }, 180_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes every mention of the watch as CSV to a file, with a summary on stderr', async () => {
    const out = join(dir, 'telvana.csv');
    const run = await cli('export', '--watch', 'Telvana', '--format', 'csv', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Exported 2,600 mentions of "Telvana" \([\d.]+ MB, csv\) to telvana\.csv/);
    const rows = parseCsv(readFileSync(out, 'utf8')) as string[][];
    expect(rows[0]).toEqual([...MENTION_CSV_COLUMNS]);
    expect(rows).toHaveLength(BULK + 1);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(BULK);
    // Written under a temporary name and renamed: nothing half-written is left beside it.
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('writes JSON Lines to stdout, with the same filters and sort as the API', async () => {
    const run = await cli(
      'export',
      '--watch',
      'Telvana',
      '--format',
      'jsonl',
      '--signal',
      'complaint',
      '--sort',
      'oldest',
    );
    expect(run.code, run.stderr).toBe(0);
    const items = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(items).toHaveLength(BULK / 5);
    expect(items.every((i) => i.signals.some((s: { kind: string }) => s.kind === 'complaint'))).toBe(true);
    const times = items.map((i) => i.publishedAt);
    expect(times).toEqual([...times].sort());
    expect(run.stderr).toMatch(/Exported 520 mentions/);

    const found = await cli('export', '--watch', 'Quiet', '--format', 'jsonl', '--search', 'FINE', '--quiet');
    expect(found.code).toBe(0);
    expect(found.stderr).toBe('');
    expect(
      found.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).externalId),
    ).toEqual(['q1']);
  });

  it('names the flag of a bad option and fails for an unknown watch, writing no file', async () => {
    const out = join(dir, 'bad.csv');
    const bad = await cli('export', '--watch', 'Telvana', '--rating-min', '9', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--rating-min/);
    const sort = await cli('export', '--watch', 'Telvana', '--sort', 'loudest');
    expect(sort.code).toBe(1);
    expect(sort.stderr).toMatch(/--sort/);
    const missing = await cli('export', '--watch', 'Nope', '--out', out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
    expect(existsSync(out)).toBe(false);
    const noWatch = await cli('export');
    expect(noWatch.code).not.toBe(0);
    expect(noWatch.stderr).toMatch(/--watch/);
  });
});
