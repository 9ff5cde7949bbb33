import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDetections } from '../../src/alert/lifecycle.ts';
import { connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { type CliRun, runCliInProcess } from '../helpers/cli.ts';
import { detection } from '../helpers/detections.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';

describe('the alert, route and delivery CLI commands', { timeout: 60_000 }, () => {
  let dataDir: string;
  let slack: FakeSlack;
  const run = (...args: string[]): Promise<CliRun> => runCliInProcess(dataDir, ...args);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trustwatch-alert-cli-'));
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds routes, sends a test message, and never prints the URL secret again', async () => {
    const url = slack.hook('/services/T000/B000/CLISECRET');
    const add = await run(
      'route',
      'add',
      'comms',
      '--type',
      'slack',
      '--url',
      url,
      '--quiet',
      '22:00-07:00',
      '--tz',
      'Europe/Paris',
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Created slack route "comms"');
    expect(add.stdout).not.toContain('CLISECRET');
    const hook = await run('route', 'add', 'pager', '--type', 'webhook', '--url', slack.hook('/hooks/p'));
    expect(hook.stdout).toMatch(/^whsec_/m);
    const list = await run('route', 'list');
    expect(list.stdout).toContain('22:00-07:00 Europe/Paris');
    expect(list.stdout).not.toContain('CLISECRET');
    expect(list.stdout).not.toContain(hook.stdout.match(/whsec_\S+/)?.[0] ?? 'never');
    const test = await run('route', 'test', 'comms');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('Test message delivered');
    expect(slack.accepted()).toHaveLength(1);
    const bad = await run('route', 'add', 'x', '--type', 'slack', '--url', 'not-a-url');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[VALIDATION]');
  });

  it('lists, acknowledges and delivers alerts, and shows dead letters', async () => {
    const store = await connect({ dataDir });
    await migrateToLatest(store.db);
    const ws = await ensureWorkspace(store.db, 'default', 'Default');
    const watch = await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test');
    const r = await recordDetections(store.db, [detection(ws.id, watch.id, { severity: 'critical' })], {
      baseUrl: 'http://tw.test',
    });
    await store.close();
    const id = r.alertIds[0] ?? '';
    const list = await run('alert', 'list');
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('critical');
    slack.script({ status: 404, body: 'no_service' });
    const sent = await run('delivery', 'run');
    expect(sent.stdout).toMatch(/2 due: 1 delivered, 0 will be retried, 1 dead/);
    const dead = await run('delivery', 'list', '--state', 'dead');
    expect(dead.stdout).toContain('[404] HTTP 404: no_service');
    const deadId = dead.stdout.split('\n')[1]?.split(/\s+/)[0] ?? '';
    const retried = await run('delivery', 'retry', deadId, '--now');
    expect(retried.stdout).toContain('1 delivered');
    const ack = await run('alert', 'ack', id);
    expect(ack.stdout).toContain('acknowledged');
    const show = await run('alert', 'show', id);
    expect(show.stdout).toMatch(/opened\s+detector/);
    expect(show.stdout).toMatch(/acknowledged\s+cli/);
  });
});
