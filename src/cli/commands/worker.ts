import { hostname } from 'node:os';
import type { Command } from 'commander';
import { DetectionLoop } from '../../alert/detection-loop.ts';
import { digestTicker } from '../../alert/digest.ts';
import { DeliveryWorker } from '../../alert/worker.ts';
import { ValidationError } from '../../core/errors.ts';
import { runDetectors } from '../../detect/runner.ts';
import { loadLanguageDetector } from '../../ingest/language.ts';
import { Scheduler } from '../../ingest/scheduler.ts';
import { closeOnSignals } from '../../runtime/node.ts';
import { startPartitionMaintenance } from '../../store/retention.ts';
import { openServices } from '../services.ts';
import { cliAlertSettings } from './alert.ts';

/**
 * `trustwatch worker`: the background half of `serve` without the API. Run any number of them on
 * one PostgreSQL: sources are claimed under leases (each polled by one worker at a time, a dead
 * worker's sources taken over when its leases expire), deliveries likewise, and the hourly detection
 * run by whichever worker claims that hour first.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'Poll sources, send alert deliveries and run hourly detection without the API. Run several on one PostgreSQL to scale out.',
    )
    .option('--concurrency <n>', 'sources polled at once (env TRUSTWATCH_POLL_CONCURRENCY)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--id <id>', 'worker id in leases and logs (default HOSTNAME-PID)')
    .option('--progress-ms <ms>', 'how often to log progress', (v) => Number.parseInt(v, 10), 10_000)
    .action(async (opts: { concurrency?: number; id?: string; progressMs: number }) => {
      if (opts.concurrency !== undefined && !(opts.concurrency >= 1 && opts.concurrency <= 64)) {
        throw new ValidationError('--concurrency must be a whole number from 1 to 64', [
          { path: 'concurrency', message: 'out of range' },
        ]);
      }
      if (opts.id !== undefined && !/^[\w.:@-]{1,100}$/.test(opts.id)) {
        throw new ValidationError('--id may use letters, digits and . _ : @ - (at most 100)', [
          { path: 'id', message: 'invalid' },
        ]);
      }
      const services = await openServices();
      // Load the ~180 MB language model now, not inside the first poll: loading it blocks the event
      // loop for a second or more, which could make an in-flight delivery time out after its receiver
      // had answered (and another worker send it again).
      await loadLanguageDetector();
      const { config, log } = services;
      const id = opts.id ?? `${hostname()}-${process.pid}`;
      const alerts = cliAlertSettings(services);
      const concurrency = opts.concurrency ?? config.TRUSTWATCH_POLL_CONCURRENCY;
      const scheduler = new Scheduler(services.pollDeps, {
        tickMs: config.TRUSTWATCH_SCHEDULER_TICK_MS,
        concurrency,
        leaseMs: config.TRUSTWATCH_SOURCE_LEASE_MS,
        heartbeatMs: config.TRUSTWATCH_SOURCE_HEARTBEAT_MS,
        workerId: id,
      });
      const deliveryWorker = new DeliveryWorker(
        { db: services.db, log, onTick: digestTicker(services.db, alerts.baseUrl) },
        { ...alerts.worker, workerId: id },
      );
      const detectionLoop = new DetectionLoop(services.db, log, runDetectors, {
        baseUrl: alerts.baseUrl,
        reopenWindowMs: alerts.reopenWindowMs,
        autoResolveMs: alerts.autoResolveMs,
        onEnqueued: () => deliveryWorker.wake(),
        workerId: id,
      });
      scheduler.start();
      deliveryWorker.start();
      detectionLoop.start();
      // Monthly partitions ahead and retention, daily (idempotent and locked: every worker may run it).
      const partitions = startPartitionMaintenance(services.db, log, {
        retentionMonths: config.TRUSTWATCH_RETENTION_MONTHS,
      });
      log.info(
        {
          worker: id,
          concurrency,
          leaseMs: config.TRUSTWATCH_SOURCE_LEASE_MS,
          store: services.store.location,
        },
        'worker started',
      );
      process.stdout.write(
        `trustwatch worker ${id} started (${services.store.location}; ${concurrency} polls at once)\n`,
      );
      let last = '';
      const progress = setInterval(
        () => {
          const line = JSON.stringify(scheduler.stats);
          if (line === last) return;
          last = line;
          log.info({ worker: id, running: scheduler.running, ...scheduler.stats }, 'worker progress');
        },
        Math.max(opts.progressMs || 10_000, 100),
      );
      closeOnSignals(async () => {
        clearInterval(progress);
        // Polls finish their current page and give their sources back; then the other loops stop.
        await scheduler.stop();
        await partitions.stop();
        await detectionLoop.stop();
        await deliveryWorker.stop();
        log.info({ worker: id, ...scheduler.stats }, 'worker stopped');
        await services.close();
      }, log);
    });
}
