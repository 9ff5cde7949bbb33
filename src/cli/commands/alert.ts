import type { Command } from 'commander';
import { transitionAlert } from '../../alert/lifecycle.ts';
import { alertSettings } from '../../alert/settings.ts';
import { type AlertState, alertEvents, getAlert, listAlerts } from '../../store/repositories/alerts.ts';
import { listDeliveries } from '../../store/repositories/deliveries.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { ago, listLimit, oneOf, table } from '../output.ts';
import { type Services, openServices, resolveWorkspace } from '../services.ts';

const STATES: readonly AlertState[] = ['open', 'acknowledged', 'resolved'];

export function cliAlertSettings(services: Services) {
  return alertSettings(services.config, `http://${services.config.HOST}:${services.config.PORT}`);
}

export function registerAlert(program: Command): void {
  const alert = program
    .command('alert')
    .description('List, show, acknowledge and resolve alerts (see also: route, delivery).');
  alert
    .command('list')
    .description('Alerts, newest first.')
    .option('--state <state>', `only ${STATES.join(', ')}`)
    .option('--watch <watch>', 'only this watch (id or name)')
    .option('--limit <n>', 'how many (1-500)', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (opts: { state?: string; watch?: string; limit: number; json?: boolean; workspace?: string }) => {
        const state = oneOf(opts.state, STATES, 'state');
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const watchId = opts.watch ? (await findWatch(services.db, ws.id, opts.watch)).id : undefined;
          const { items } = await listAlerts(services.db, ws.id, {
            state,
            watchId,
            limit: listLimit(opts.limit),
          });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
            return;
          }
          const now = new Date();
          const rows = items.map((a) => ({
            id: a.id,
            severity: a.severity,
            state: a.state,
            opened: ago(a.openedAt, now),
            detections: a.detectionCount,
            title: `${a.title}${a.details.summary ? ` — ${a.details.summary}` : ''}`,
          }));
          process.stdout.write(
            `${table(rows, ['id', 'severity', 'state', 'opened', 'detections', 'title'])}\n`,
          );
        } finally {
          await services.close();
        }
      },
    );
  alert
    .command('show <id>')
    .description('One alert with its history and deliveries.')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (id: string, opts: { json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const a = await getAlert(services.db, ws.id, id);
        const events = await alertEvents(services.db, a.id);
        const deliveries = await listDeliveries(services.db, ws.id, { alertId: a.id, limit: 100 });
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ ...a, events, deliveries: deliveries.map(({ payload: _p, ...d }) => d) }, null, 2)}\n`,
          );
          return;
        }
        const d = a.details;
        process.stdout.write(
          [
            `${a.title}  [${a.severity}, ${a.state}]`,
            d.summary ?? '',
            `observed ${d.observed ?? '-'} vs expected ${d.expected ?? '-'} (${d.unit ?? ''})${d.trend ? `  trend ${d.trend}` : ''}`,
            `opened ${a.openedAt.toISOString()}, ${a.detectionCount} detection(s), dedupe key ${a.dedupeKey}`,
            ...(d.topMentions ?? [])
              .slice(0, 3)
              .map((m) => `  • ${m.text.slice(0, 120)}${m.url ? ` <${m.url}>` : ''}`),
            '',
            'History:',
            table(
              events.map((e) => ({ at: e.at, action: e.action, actor: e.actor })),
              ['at', 'action', 'actor'],
            ),
            '',
            'Deliveries:',
            table(
              deliveries.map((x) => ({ ...x, error: x.lastError })),
              ['id', 'event', 'destination', 'state', 'attempts', 'error'],
            ),
            '',
          ].join('\n'),
        );
      } finally {
        await services.close();
      }
    });
  for (const [verb, to] of [
    ['ack', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    alert
      .command(`${verb} <id>`)
      .description(
        verb === 'ack' ? 'Acknowledge an alert (routes are told).' : 'Resolve an alert (routes are told).',
      )
      .option('-w, --workspace <slug>', 'workspace')
      .action(async (id: string, opts: { workspace?: string }) => {
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const { alert: a, changed } = await transitionAlert(services.db, ws.id, id, to, 'cli', {
            baseUrl: cliAlertSettings(services).baseUrl,
          });
          process.stdout.write(
            changed
              ? `${a.title}: ${to}. Notifications are queued (sent by the running service, or: trustwatch delivery run).\n`
              : `${a.title} was already ${a.state}.\n`,
          );
        } finally {
          await services.close();
        }
      });
  }
}
