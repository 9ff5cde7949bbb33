import type { Command } from 'commander';
import { DeliveryWorker } from '../../alert/worker.ts';
import {
  type DeliveryState,
  deliveryCounts,
  listDeliveries,
  retryDelivery,
} from '../../store/repositories/deliveries.ts';
import { ago, listLimit, oneOf, table } from '../output.ts';
import { type Services, openServices, resolveWorkspace } from '../services.ts';
import { cliAlertSettings } from './alert.ts';

const STATES: readonly DeliveryState[] = ['pending', 'sending', 'delivered', 'dead'];

/** Sends what is due now from this process (when no service is running), bounded to a few passes. */
export async function sendDueNow(services: Services, rounds = 5) {
  const worker = new DeliveryWorker(
    { db: services.db, log: services.log },
    cliAlertSettings(services).worker,
  );
  const total = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
  for (let i = 0; i < rounds; i++) {
    const r = await worker.tick();
    total.claimed += r.claimed;
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.dead += r.dead;
    if (r.claimed === 0) break;
  }
  return total;
}

export function registerDelivery(program: Command): void {
  const delivery = program
    .command('delivery')
    .description('The alert outbox: list deliveries (dead letters included), retry, send due ones now.');
  delivery
    .command('list')
    .description('Deliveries, newest first, with attempts and the last error.')
    .option('--state <state>', `only ${STATES.join(', ')} (e.g. --state dead for the dead letters)`)
    .option('--alert <id>', 'only deliveries of this alert')
    .option('--limit <n>', 'how many (1-500)', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (opts: { state?: string; alert?: string; limit: number; json?: boolean; workspace?: string }) => {
        const state = oneOf(opts.state, STATES, 'state');
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const items = await listDeliveries(services.db, ws.id, {
            state,
            alertId: opts.alert,
            limit: listLimit(opts.limit),
          });
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify(
                items.map(({ payload: _p, ...d }) => d),
                null,
                2,
              )}\n`,
            );
            return;
          }
          const now = new Date();
          const counts = await deliveryCounts(services.db, ws.id);
          const rows = items.map((d) => ({
            id: d.id,
            event: d.event,
            destination: d.destination,
            state: d.state,
            attempts: d.attempts,
            when:
              d.state === 'delivered'
                ? ago(d.deliveredAt, now)
                : d.state === 'pending'
                  ? `next ${ago(d.nextAttemptAt, now)}`
                  : ago(d.lastAttemptAt, now),
            'last error': d.lastError ? `${d.lastStatus ? `[${d.lastStatus}] ` : ''}${d.lastError}` : '-',
          }));
          process.stdout.write(
            `${table(rows, ['id', 'event', 'destination', 'state', 'attempts', 'when', 'last error'])}\n` +
              `pending ${counts.pending}, sending ${counts.sending}, delivered ${counts.delivered}, dead ${counts.dead}\n`,
          );
        } finally {
          await services.close();
        }
      },
    );
  delivery
    .command('retry <id>')
    .description(
      'Send a dead (or waiting) delivery again now, with a fresh deadline. Delivered ones are never re-sent.',
    )
    .option('--now', 'also send it from this process instead of waiting for the service')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (id: string, opts: { now?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const d = await retryDelivery(services.db, ws.id, id, 'cli', new Date());
        process.stdout.write(`Delivery ${d.id} to ${d.destination} is due again.\n`);
        if (opts.now) {
          const r = await sendDueNow(services);
          process.stdout.write(`Sent: ${r.delivered} delivered, ${r.retried} to retry, ${r.dead} dead.\n`);
        }
      } finally {
        await services.close();
      }
    });
  delivery
    .command('run')
    .description('Send every due delivery now from this process (the service does this on its own).')
    .action(async () => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const r = await sendDueNow(services, 50);
        process.stdout.write(
          `${r.claimed} due: ${r.delivered} delivered, ${r.retried} will be retried, ${r.dead} dead.\n`,
        );
      } finally {
        await services.close();
      }
    });
}
