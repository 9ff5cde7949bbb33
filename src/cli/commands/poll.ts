import { hostname } from 'node:os';
import type { Command } from 'commander';
import { pollSource } from '../../ingest/poll.ts';
import { claimDueSources, releaseLease } from '../../store/repositories/source-leases.ts';
import { type SourceRecord, findSource } from '../../store/repositories/sources.ts';
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
        // Due sources are claimed one at a time under a lease, like `trustwatch worker` does, so a
        // one-shot poll next to running workers never polls a source one of them is polling.
        const owner = `cli-${hostname()}-${process.pid}`;
        const polled: string[] = [];
        const next = async (): Promise<SourceRecord | undefined> => {
          if (opts.source) {
            if (polled.length > 0) return undefined;
            const ws = await resolveWorkspace(services.db, opts.workspace);
            return findSource(services.db, ws.id, opts.source);
          }
          const leaseMs = services.config.TRUSTWATCH_SOURCE_LEASE_MS;
          const [claimed] = await claimDueSources(services.db, owner, new Date(), leaseMs, 1, polled);
          return claimed?.source;
        };
        const rows: Record<string, unknown>[] = [];
        for (let s = await next(); s; s = await next()) {
          polled.push(s.id);
          process.stderr.write(`polling ${s.type} source "${s.name}"...\n`);
          const deps = opts.source ? services.pollDeps : { ...services.pollDeps, leaseOwner: owner };
          const outcome = await pollSource(deps, s, (p) => {
            process.stderr.write(
              `  page ${p.page}: ${p.stats.inserted} new, ${p.stats.updated} updated so far\n`,
            );
          }).finally(() => (opts.source ? undefined : releaseLease(services.db, s.id, owner)));
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
        if (rows.length === 0) {
          process.stdout.write('No source is due. Use --source NAME to poll one now.\n');
          return;
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
