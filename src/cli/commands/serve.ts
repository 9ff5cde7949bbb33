import type { Command } from 'commander';
import { loadLanguageDetector } from '../../ingest/language.ts';
import { closeOnSignals, startNodeService } from '../../runtime/node.ts';
import { openServices } from '../services.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API (and, unless --no-scheduler, the source poller). Migrates the database first.',
    )
    .option('--host <host>', 'interface to listen on (env HOST)')
    .option('--port <port>', 'port to listen on (env PORT)', (v) => Number.parseInt(v, 10))
    .option('--no-scheduler', 'serve the API only; do not poll sources in this process')
    .action(async (opts: { host?: string; port?: number; scheduler: boolean }) => {
      const services = await openServices();
      const { config, log } = services;
      const runScheduler = opts.scheduler && config.TRUSTWATCH_SCHEDULER;
      // A process that polls loads the language model up front (see `worker`); an API-only one never does.
      if (runScheduler) await loadLanguageDetector();
      const service = await startNodeService({
        db: services.db,
        log,
        storage: services.store.dialect,
        host: opts.host ?? config.HOST,
        port: opts.port ?? config.PORT,
        maxBodyBytes: config.TRUSTWATCH_API_MAX_BODY_BYTES,
        scorer: services.pollDeps.scorer,
        scheduler: runScheduler
          ? { deps: services.pollDeps, tickMs: config.TRUSTWATCH_SCHEDULER_TICK_MS }
          : undefined,
      });
      process.stdout.write(
        `trustwatch is listening on ${service.url}${config.TRUSTWATCH_BASE_URL ? ` (public URL ${config.TRUSTWATCH_BASE_URL})` : ''} (${services.store.location}; scheduler ${runScheduler ? 'on' : 'off'})\n`,
      );
      closeOnSignals(async () => {
        await service.close();
        await services.close();
      }, log);
    });
}
