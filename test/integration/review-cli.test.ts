import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { type CliRun, runCliInProcess } from '../helpers/cli.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';

describe('the review CLI commands', { timeout: 60_000 }, () => {
  let dataDir: string;
  const ids: Record<string, string> = {};
  const run = (...args: string[]): Promise<CliRun> => runCliInProcess(dataDir, ...args);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trustwatch-review-cli-'));
    const store = await connect({ dataDir });
    try {
      await migrateToLatest(store.db);
      const ws = await ensureWorkspace(store.db, 'default', 'Default');
      await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test');
      const source = await makeSource(store.db, ws.id, 'feed');
      const published = new Date(Date.now() - 3600_000);
      await ingest(store.db, source, [
        post('a', 'Telvana charged me twice, this is a scam', published.toISOString(), {
          url: 'https://social.example/a',
          author: { handle: 'jane' },
        }),
        post('b', 'Telvana is down again and support has not answered', published.toISOString(), {
          author: { handle: 'omar' },
        }),
        post('c', 'Telvana support team was wonderful, thank you so much!', published.toISOString()),
      ]);
      const rows = await store.db
        .selectFrom('review_items as r')
        .innerJoin('mentions as m', 'm.id', 'r.mention_id')
        .select(['r.id', 'm.external_id'])
        .execute();
      for (const r of rows) ids[r.external_id] = r.id;
    } finally {
      await store.close();
    }
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the open items and shows one with its link', async () => {
    expect(Object.keys(ids).sort()).toEqual(['a', 'b']);
    const list = await run('review', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(ids.a);
    expect(list.stdout).toContain(ids.b);
    expect(list.stdout).not.toContain('wonderful');
    const show = await run('review', 'show', ids.a as string);
    expect(show.stdout).toContain('link: https://social.example/a');
    expect(show.stdout).toContain('security_fraud');
    const bad = await run('review', 'list', '--state', 'open');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[VALIDATION]');
  });

  it('assigns, responds and dismisses; stats count the response', async () => {
    const assign = await run('review', 'assign', ids.a as string, ids.b as string, '--to', 'maria');
    expect(assign.stdout).toContain('2 updated');
    const mine = await run('review', 'list', '--assignee', 'maria', '--json');
    expect((JSON.parse(mine.stdout) as unknown[]).length).toBe(2);

    const respond = await run('review', 'respond', ids.a as string, '--url', 'https://social.example/reply');
    expect(respond.code).toBe(0);
    expect(respond.stdout).toMatch(/first response (59|60|61)m after the post/);
    const dismiss = await run(
      'review',
      'dismiss',
      ids.b as string,
      '--note',
      'duplicate of an outage thread',
    );
    expect(dismiss.stdout).toContain('Dismissed: 1 updated');
    const again = await run('review', 'respond', ids.b as string, '--url', 'https://social.example/r2');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[CONFLICT]');

    const open = await run('review', 'list', '--json');
    expect(JSON.parse(open.stdout)).toEqual([]);
    const detail = JSON.parse((await run('review', 'show', ids.b as string, '--json')).stdout) as {
      state: string;
      notes: { body: string }[];
    };
    expect(detail.state).toBe('dismissed');
    expect(detail.notes.map((n) => n.body)).toEqual(['duplicate of an outage thread']);
    const stats = JSON.parse((await run('review', 'stats', '--json')).stdout) as {
      watches: { responded: number; openBacklog: number; medianSeconds: number }[];
    };
    expect(stats.watches[0]?.responded).toBe(1);
    expect(stats.watches[0]?.openBacklog).toBe(0);
    expect(stats.watches[0]?.medianSeconds).toBeGreaterThanOrEqual(3600);
  });
});
