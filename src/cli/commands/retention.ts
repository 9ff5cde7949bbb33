import type { Command } from 'commander';
import { TrustwatchError } from '../../core/errors.ts';
import { listPartitions } from '../../store/partitions.ts';
import { type RetentionResult, applyRetention } from '../../store/retention.ts';
import { openServices } from '../services.ts';

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What a retention run did (or would do), one line per month. */
export function formatRetention(result: RetentionResult, keepMonths: number): string {
  if (!result.cutoff) {
    return 'Retention is off (TRUSTWATCH_RETENTION_MONTHS=0 or unset): every month is kept.\n';
  }
  const cutoff = result.cutoff.toISOString().slice(0, 7);
  const head = `Keeping ${cutoff} onwards (the current month and ${keepMonths} before it).`;
  if (result.months.length === 0) return `${head}\nNothing older to drop.\n`;
  const verb = result.dryRun ? 'Would drop' : 'Dropped';
  const lines = result.months.map(
    (m) =>
      `  ${verb} ${m.month.toISOString().slice(0, 7)}: ${m.mentions} mentions, ${m.links} watch links, ${m.reviewItems} review items, ${mib(m.bytes)} (${m.partitions.join(', ')})`,
  );
  const tail = result.dryRun
    ? 'Dry run: nothing was changed. Rollups and term rollups are always kept.'
    : 'Rollups and term rollups were kept, so trends over these months stay.';
  return `${head}\n${lines.join('\n')}\n${tail}\n`;
}

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description(
      'Drop monthly partitions of mentions (and their watch links and review items) older than TRUSTWATCH_RETENTION_MONTHS; rollups are kept. The service runs this daily.',
    )
    .option('--dry-run', 'only print what would be dropped')
    .option(
      '--months <n>',
      'keep this many months before the current one (overrides TRUSTWATCH_RETENTION_MONTHS)',
    )
    .option('--list', 'list the monthly partitions and exit')
    .action(async (opts: { dryRun?: boolean; months?: string; list?: boolean }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        if (opts.list) {
          const parts = await listPartitions(services.db);
          const months = [...new Set(parts.map((p) => p.month.toISOString().slice(0, 7)))];
          process.stdout.write(`${months.length} monthly partitions: ${months.join(', ')}\n`);
          return;
        }
        let keepMonths = services.config.TRUSTWATCH_RETENTION_MONTHS;
        if (opts.months !== undefined) {
          keepMonths = Number(opts.months);
          if (!Number.isInteger(keepMonths) || keepMonths < 1) {
            throw new TrustwatchError(
              'VALIDATION',
              `--months must be a whole number of months, 1 or more (got "${opts.months}")`,
            );
          }
        }
        const result = await applyRetention(services.db, {
          keepMonths,
          dryRun: opts.dryRun ?? false,
          actor: 'cli',
        });
        process.stdout.write(formatRetention(result, keepMonths));
      } finally {
        await services.close();
      }
    });
}
