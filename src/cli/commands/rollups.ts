import type { Command } from 'commander';
import { rebuildRollups } from '../../store/repositories/rollups.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerRollups(program: Command): void {
  const rollups = program
    .command('rollups')
    .description('Maintain the hourly trend rollups (volume, sentiment, signals, ratings, reach, terms).');
  rollups
    .command('rebuild')
    .description(
      'Recompute the hourly rollups and the term/hashtag/author rollups from the stored mentions (all watches, or one with --watch). Extracts terms of mentions stored before term extraction existed.',
    )
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
        const progress = process.stderr.isTTY
          ? (done: number) => process.stderr.write(`\r  terms: ${done} mentions read`)
          : undefined;
        const stats = await rebuildRollups(services.db, watchId, progress);
        if (progress) process.stderr.write('\n');
        const extracted = stats.termsExtracted
          ? ` (terms extracted for ${stats.termsExtracted} older mentions)`
          : '';
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(
          `Rebuilt ${stats.buckets} hourly buckets and ${stats.termRows} term rows${extracted} in ${seconds}s.\n`,
        );
      } finally {
        await services.close();
      }
    });
}
