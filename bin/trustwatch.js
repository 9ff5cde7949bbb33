#!/usr/bin/env node
// The `trustwatch` command. The code is TypeScript run through tsx's loader, so a fresh clone needs no
// build step: `npm install && npm start` is all it takes.
import { spawn } from 'node:child_process';

// Long-running commands get V8 heap bounds, which only node's command line can set (V8 reads them once,
// when the heap is created). Left alone, V8 grows the young generation to 3 x 16 MB under a steady
// stream of short-lived objects (an export, an ingest) and keeps it: about 60 MB of RSS an API process
// never needs. And without a cap V8 sizes the old generation from the machine's memory (4 GB here)
// and lets promoted garbage pile up to hundreds of MB before a full GC. So serve/worker/demo start
// node once more with `--max-semi-space-size=1 --max-old-space-size=512` (TRUSTWATCH_SEMI_SPACE_MB,
// TRUSTWATCH_MAX_HEAP_MB; 0 leaves V8's own sizing); this process stays as a thin parent (~7 MB of its
// own) that forwards signals and exits with the child's code. Flags given to node already are kept.
const LONG_RUNNING = new Set(['serve', 'worker', 'demo']);
const APPLIED = 'TRUSTWATCH_HEAP_FLAGS_APPLIED';

/** The node flags to add, or none (not a long-running command, already applied, or set by the user). */
function heapFlags() {
  if (!LONG_RUNNING.has(process.argv[2] ?? '') || process.env[APPLIED]) return [];
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const mb = (name, dflt) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    // A bad value is reported by the config check at startup; here it just means "no flag".
    return Number.isInteger(n) && n >= 0 ? n : 0;
  };
  const flags = [];
  const semi = mb('TRUSTWATCH_SEMI_SPACE_MB', 1);
  if (semi > 0 && !/--max-semi-space-size\b/.test(given)) flags.push(`--max-semi-space-size=${semi}`);
  const old = mb('TRUSTWATCH_MAX_HEAP_MB', 512);
  if (old > 0 && !/--max-old-space-size\b/.test(given)) flags.push(`--max-old-space-size=${old}`);
  return flags;
}

const flags = heapFlags();
if (flags.length) {
  // The IPC channel is only a lifeline: the child stops when it closes (see below).
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [APPLIED]: '1' },
  });
  // Ctrl-C in a terminal reaches the whole foreground group, the child included: forwarding SIGINT
  // then would make it a second one (a forced stop). Outside a terminal (systemd, containers, kill),
  // every signal is forwarded.
  const forwarded = ['SIGTERM', 'SIGHUP', 'SIGUSR2', 'SIGINT'];
  for (const signal of forwarded) {
    process.on(signal, () => {
      if (signal === 'SIGINT' && process.stdin.isTTY) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (err) => {
    process.stderr.write(`error: could not start node: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of forwarded) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  if (process.env[APPLIED] && process.channel) {
    // Started by the parent above: if it dies without forwarding a signal (SIGKILL, OOM killer), the
    // channel closes and this process goes too, as if it had been killed itself, so no orphan keeps
    // polling or holding leases.
    process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
    process.channel.unref();
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main(process.argv);
}
