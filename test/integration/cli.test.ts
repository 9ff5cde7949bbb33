import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { importSource } from '../../sources/import/adapter.ts';
import { connect } from '../../src/store/connect.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/trustwatch.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each command boots Node, tsx and the on-disk PGlite: seconds per call, so allow generous time per test.
describe('the trustwatch CLI', { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: Server;
  let base: string;

  const run = (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          cwd: ROOT,
          env: { ...process.env, TRUSTWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
          timeout: 60_000,
        },
        (err, stdout, stderr) =>
          done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trustwatch-cli-'));
    server = createServer((_req, res) => res.writeHead(500).end('broken upstream'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('documents every command and every environment variable in --help', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'demo', 'migrate', 'poll', 'import', 'watch', 'source', 'token']) {
      expect(help.stdout).toContain(cmd);
    }
    for (const env of ['DATABASE_URL', 'TRUSTWATCH_DATA_DIR', 'PORT', 'TRUSTWATCH_HTTP_TIMEOUT_MS']) {
      expect(help.stdout).toContain(env);
    }
    const importHelp = await run('import', '--help');
    expect(importHelp.stdout).toContain('--watch');
    expect(importHelp.stdout).toContain('--rating-scale');
  });

  it('migrates, then points at the position of a query error', async () => {
    const migrate = await run('migrate');
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(
      new RegExp(`Applied ${Object.keys(migrations).length} migration\\(s\\)|up to date`),
    );
    const bad = await run('watch', 'add', 'Telvana', '-q', 'telvana AND (outage');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('QUERY_SYNTAX');
    expect(bad.stderr).toContain('telvana AND (outage');
    expect(bad.stderr).toMatch(/\n\s{12}\^/);
    const ok = await run(
      'watch',
      'add',
      'Telvana',
      '-q',
      'telvana OR #telvanafail',
      '--owned-handle',
      'TelvanaCare',
    );
    expect(ok.code, ok.stderr).toBe(0);
    const list = await run('watch', 'list', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'Telvana', ownedHandles: ['TelvanaCare'] }]);
  });

  it('shows a failed poll as an error on the source in `source list`', async () => {
    const bad = await run('source', 'add', 'rss', 'Blog', '--set', 'url=notaurl');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('config.url');
    const add = await run('source', 'add', 'rss', 'Blog', '--set', `url=${base}/feed.xml`);
    expect(add.code, add.stderr).toBe(0);
    const poll = await run('poll', '--once');
    expect(poll.code).toBe(1);
    expect(poll.stdout).toContain('FETCH_HTTP_STATUS');
    const list = await run('source', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Blog\s+rss\s+yes\s+never/);
    expect(list.stdout).toContain('[FETCH_HTTP_STATUS]');
    expect(list.stdout).toContain('500');
  });

  it('seeds the demo workspace without serving and prints a token (`demo --no-serve`)', async () => {
    const demo = await run('demo', '--days', '3', '--no-serve');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Demo ready: \d+ new mentions/);
    expect(demo.stdout).toMatch(/API token \(admin, workspace "demo"\): tw_\S{20,}/);
    const again = await run('demo', '--days', '3', '--no-serve');
    expect(again.stdout).toContain('Catching up the demo workspace');
    const sources = await run('source', 'list', '--workspace', 'demo');
    expect(sources.stdout).toContain('Demo social');
    expect(sources.stdout).toContain('Telvana My Account app reviews');
  });

  it('imports a survey export with progress, and a second import duplicates nothing', async () => {
    const file = join(ROOT, 'test/fixtures/import/survey-nps.csv');
    const args = ['import', file, '--watch', 'Telvana', '--map', 'text=comment', '--map', 'rating=score'];
    const first = await run(...args, '--map', 'externalId=response_id', '--rating-scale', '10');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/importing survey-nps\.csv: 100%/);
    const inserted = Number(/Imported (\d+) new/.exec(first.stdout)?.[1]);
    expect(inserted).toBeGreaterThan(3);
    const second = await run(...args, '--map', 'externalId=response_id', '--rating-scale', '10');
    expect(second.stdout).toContain('Imported 0 new');
    expect(second.stdout).toContain(`${inserted} unchanged`);

    // An import that stopped part-way resumes where it stopped: put the source's cursor after row 2,
    // as a crash after the first page would have left it.
    const source = await importSource.configSchema.parseAsync({
      path: file,
      mapping: { text: 'comment', rating: 'score', externalId: 'response_id' },
      ratingScale: 10,
      pageSize: 2,
    });
    const page = await importSource.fetch(source, null, {
      http: undefined as never,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      now: () => new Date(),
    });
    const store = await connect({ dataDir });
    await store.db
      .updateTable('sources')
      .set({ cursor: JSON.stringify(page.nextCursor) })
      .where('name', '=', 'import:survey-nps.csv')
      .execute();
    await store.close();
    const resumed = await run(...args, '--map', 'externalId=response_id', '--rating-scale', '10');
    expect(resumed.stderr).toMatch(/resuming survey-nps\.csv at line 3/);
    expect(resumed.stdout).toContain(`Imported 0 new, 0 updated, ${inserted - 2} unchanged`);
    const restarted = await run(
      ...args,
      '--map',
      'externalId=response_id',
      '--rating-scale',
      '10',
      '--restart',
    );
    expect(restarted.stderr).not.toContain('resuming');
    expect(restarted.stdout).toContain(`${inserted} unchanged`);
  });
});
