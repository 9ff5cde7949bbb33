import type { Command } from 'commander';
import { migrateToLatest } from '../../store/migrate.ts';
import { openServices } from '../services.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (serve and demo do this automatically).')
    .action(async () => {
      const services = await openServices({ migrate: false, logLevel: 'warn' });
      try {
        const { applied } = await migrateToLatest(services.db);
        process.stdout.write(
          applied.length
            ? `Applied ${applied.length} migration(s) to ${services.store.location}: ${applied.join(', ')}\n`
            : `${services.store.location} is up to date.\n`,
        );
      } finally {
        await services.close();
      }
    });
}
