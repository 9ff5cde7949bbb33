import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir, redactUrl } from './connect.ts';

describe('lockDataDir (one process per PGlite data directory)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a second opener while the first holds the lock, and frees it on release', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by this process already/);
    release();
    expect(existsSync(join(dir, 'trustwatch.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('names another live process that holds it, and takes over a lock left by a dead one', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'trustwatch.lock'), String(child.pid));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`another trustwatch process \\(pid ${child.pid}\\)`));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const release = lockDataDir(dir);
    release();
  });
});

describe('redactUrl', () => {
  it('hides the password of a database URL, in the userinfo or the query string', () => {
    expect(redactUrl('postgres://tw:s3cret@db:5432/tw')).toBe('postgres://tw:[redacted]@db:5432/tw');
    expect(redactUrl('postgres://tw@db/tw?password=s3cret&sslmode=require')).toBe(
      'postgres://tw@db/tw?password=[redacted]&sslmode=require',
    );
    expect(redactUrl('host=db password=s3cret')).toBe('<invalid url>');
  });
});
