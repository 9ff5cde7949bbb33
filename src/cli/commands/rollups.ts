import type { Command } from 'commander';
import { rebuildRollups } from '../../store/repositories/rollups.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerRollups(program: Command): void {
  const rollups = program.command('rollups').description('Maintain the hourly trend rollups.');
  rollups
    .command('rebuild')
    .description('Recompute rollups from the stored mentions (all watches, or one with --watch).')
    .option('--watch <watch>', 'only this watch (id or name)')
    .option('-w, --workspace <slug>', 'workspace (with --watch)')
    .action(async (opts: { watch?: string; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        let watchId: string | undefined;
        if (opts.watch) {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          watchId = (await findWatch(services.db, ws.id, opts.watch)).id;
        }
        const started = Date.now();
        const buckets = await rebuildRollups(services.db, watchId);
        process.stdout.write(
          `Rebuilt ${buckets} hourly buckets in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`,
        );
      } finally {
        await services.close();
      }
    });
}
