import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the trustwatch CLI in this process (its own `main`) against a PGlite data directory, capturing
 * stdout, stderr and the exit code. In-process, so each command costs a PGlite open rather than a Node
 * boot. DATABASE_URL is unset for the call so that the data directory is what gets opened.
 */
export async function runCliInProcess(dataDir: string, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const env = { ...process.env };
  Object.assign(process.env, { TRUSTWATCH_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  // biome-ignore lint/performance/noDelete: unset, not the string "undefined".
  delete process.env.DATABASE_URL;
  process.exitCode = 0;
  try {
    await main(['node', 'trustwatch', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = env;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}
