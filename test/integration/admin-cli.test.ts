import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCliInProcess } from '../helpers/cli.ts';

describe('the workspace and token CLI commands', { timeout: 120_000 }, () => {
  let dataDir: string;
  const run = (...args: string[]): Promise<CliRun> => runCliInProcess(dataDir, ...args);

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trustwatch-admin-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates and lists workspaces, refusing a bad or taken slug', async () => {
    const created = await run('workspace', 'create', 'acme-eu', '--name', 'Acme Europe');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.stderr).toContain('token create --role admin -w acme-eu');
    expect((await run('workspace', 'create', 'second')).code).toBe(0);

    const taken = await run('workspace', 'create', 'acme-eu');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/CONFLICT.*acme-eu/);
    const bad = await run('workspace', 'create', 'Not A Slug');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/VALIDATION.*slug/);

    const list = await run('workspace', 'list', '--json');
    const all = JSON.parse(list.stdout) as { slug: string; name: string; counts: { tokens: number } }[];
    expect(all.map((w) => [w.slug, w.name])).toEqual([
      ['acme-eu', 'Acme Europe'],
      ['second', 'second'],
    ]);
    expect(all[0]?.counts.tokens).toBe(0);
    const text = await run('workspace', 'list');
    expect(text.stdout).toMatch(/^SLUG\s+WATCHES\s+SOURCES\s+TOKENS/);
  });

  it('lists tokens without secrets and revokes by prefix, keeping the last admin unless --force', async () => {
    const admin = await run('token', 'create', '--role', 'admin', '--name', 'root', '-w', 'acme-eu');
    const adminToken = admin.stdout.trim();
    const bot = await run('token', 'create', '--role', 'viewer', '--name', 'bot', '-w', 'acme-eu');
    const botToken = bot.stdout.trim();

    const list = await run('token', 'list', '-w', 'acme-eu');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('root');
    expect(list.stdout).toContain(`${botToken.slice(0, 8)}…`);
    expect(list.stdout).not.toContain(botToken);
    expect(list.stdout).not.toContain(adminToken);

    const revoked = await run('token', 'revoke', botToken.slice(0, 8), '-w', 'acme-eu');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toMatch(/Revoked viewer token "bot"/);
    const again = await run('token', 'revoke', revoked.stdout.trim(), '-w', 'acme-eu');
    expect([again.code, /already revoked/.test(again.stderr)]).toEqual([0, true]);

    const active = JSON.parse((await run('token', 'list', '--json', '-w', 'acme-eu')).stdout) as {
      name: string;
    }[];
    expect(active.map((t) => t.name)).toEqual(['root']);
    const withRevoked = JSON.parse(
      (await run('token', 'list', '--all', '--json', '-w', 'acme-eu')).stdout,
    ) as {
      name: string;
      revokedAt: string | null;
    }[];
    expect(withRevoked.map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['root', false],
      ['bot', true],
    ]);
    expect(JSON.stringify(withRevoked)).not.toMatch(/hash/i);

    const last = await run('token', 'revoke', adminToken.slice(0, 8), '-w', 'acme-eu');
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last active admin.*--force/);
    const forced = await run('token', 'revoke', adminToken.slice(0, 8), '--force', '-w', 'acme-eu');
    expect(forced.code, forced.stderr).toBe(0);
    const unknown = await run('token', 'revoke', 'tw_nope', '-w', 'acme-eu');
    expect([unknown.code, /NOT_FOUND/.test(unknown.stderr)]).toEqual([1, true]);
  });
});
