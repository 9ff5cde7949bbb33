import type { Command } from 'commander';
import { pollSource } from '../../ingest/poll.ts';
import { type SourceRecord, dueSources, findSource } from '../../store/repositories/sources.ts';
import { table } from '../output.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerPoll(program: Command): void {
  program
    .command('poll')
    .description('Poll sources now. With --once, poll every due source one time and exit.')
    .option('--once', 'poll once and exit (the only mode for now; `serve` polls continuously)')
    .option('--source <source>', 'poll this source (id or name) even if it is not due')
    .option('-w, --workspace <slug>', 'workspace (with --source)')
    .action(async (opts: { once?: boolean; source?: string; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        let targets: SourceRecord[];
        if (opts.source) {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          targets = [await findSource(services.db, ws.id, opts.source)];
        } else {
          targets = await dueSources(services.db, new Date(), 1000);
        }
        if (targets.length === 0) {
          process.stdout.write('No source is due. Use --source NAME to poll one now.\n');
          return;
        }
        const rows: Record<string, unknown>[] = [];
        for (const s of targets) {
          process.stderr.write(`polling ${s.type} source "${s.name}"...\n`);
          const outcome = await pollSource(services.pollDeps, s, (p) => {
            process.stderr.write(
              `  page ${p.page}: ${p.stats.inserted} new, ${p.stats.updated} updated so far\n`,
            );
          });
          rows.push({
            source: s.name,
            result: outcome.ok ? 'ok' : `error [${outcome.error?.code}]`,
            new: outcome.stats.inserted,
            updated: outcome.stats.updated,
            unchanged: outcome.stats.unchanged,
            duplicates: outcome.stats.duplicates,
            unmatched: outcome.stats.unmatched,
            detail:
              outcome.error?.message ??
              (outcome.warnings.length ? `${outcome.warnings.length} warnings` : ''),
          });
        }
        process.stdout.write(
          `${table(rows, ['source', 'result', 'new', 'updated', 'unchanged', 'duplicates', 'unmatched', 'detail'])}\n`,
        );
        if (rows.some((r) => r.result !== 'ok')) process.exitCode = 1;
      } finally {
        await services.close();
      }
    });
}
