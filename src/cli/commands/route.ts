import type { Command } from 'commander';
import { enqueueTestMessage } from '../../alert/enqueue.ts';
import {
  newRouteSchema,
  routePatchSchema,
  routeView,
  toRouteInput,
  toRoutePatch,
} from '../../alert/route-input.ts';
import { parseInput } from '../../api/validate.ts';
import { ValidationError } from '../../core/errors.ts';
import {
  createRoute,
  deleteRoute,
  findRoute,
  listRoutes,
  updateRoute,
} from '../../store/repositories/alert-routes.ts';
import { getDelivery } from '../../store/repositories/deliveries.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { table } from '../output.ts';
import { type Services, openServices, resolveWorkspace } from '../services.ts';
import { cliAlertSettings } from './alert.ts';
import { sendDueNow } from './delivery.ts';

interface RouteOpts {
  type?: string;
  url?: string;
  secret?: string;
  watch?: string;
  kinds?: string;
  minSeverity?: string;
  cooldown?: string;
  quiet?: string;
  tz?: string;
  digest?: string;
  disabled?: boolean;
  enabled?: boolean;
  workspace?: string;
}

function withRouteOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'Slack incoming-webhook URL or webhook endpoint (kept secret, shown redacted)')
    .option(
      '--secret <whsec>',
      'webhook signing secret whsec_<base64> (default for webhooks: a new one, printed once)',
    )
    .option('--watch <watch>', 'only alerts of this watch (id or name); default all watches')
    .option('--kinds <list>', 'only these alert kinds, comma-separated (e.g. volume_spike,negativity_spike)')
    .option('--min-severity <s>', 'info, warning or critical')
    .option('--cooldown <seconds>', 'at most one update message per alert in this many seconds')
    .option('--quiet <HH:MM-HH:MM>', 'quiet hours: non-critical messages wait until the end ("off" to clear)')
    .option('--tz <zone>', 'IANA time zone for quiet hours and digests (e.g. Europe/Paris)')
    .option('--digest <when>', 'off, daily or weekly digest to this route (Slack)')
    .option('-w, --workspace <slug>', 'workspace');
}

async function fields(services: Services, wsId: string, opts: RouteOpts): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (opts.type !== undefined) out.type = opts.type;
  if (opts.url !== undefined) out.url = opts.url;
  if (opts.secret !== undefined) out.secret = opts.secret;
  if (opts.watch !== undefined) out.watchId = (await findWatch(services.db, wsId, opts.watch)).id;
  if (opts.kinds !== undefined)
    out.kinds = opts.kinds
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  if (opts.minSeverity !== undefined) out.minSeverity = opts.minSeverity;
  if (opts.cooldown !== undefined) out.cooldownSeconds = Number(opts.cooldown);
  if (opts.quiet !== undefined) {
    if (opts.quiet === 'off') out.quietHours = null;
    else {
      const [start, end] = opts.quiet.split('-');
      if (!start || !end) {
        throw new ValidationError('--quiet must look like 22:00-07:00', [
          { path: 'quietHours', message: 'HH:MM-HH:MM' },
        ]);
      }
      out.quietHours = { start, end };
    }
  }
  if (opts.tz !== undefined) out.timeZone = opts.tz;
  if (opts.digest !== undefined) out.digest = opts.digest;
  return out;
}

export function registerRoute(program: Command): void {
  const route = program
    .command('route')
    .description('Alert routes: which alerts (kinds, severity, watch) go to which Slack channel or webhook.');
  withRouteOptions(
    route
      .command('add <name>')
      .description(
        'Add a route, e.g. route add comms --type slack --url https://hooks.slack.com/services/...',
      )
      .requiredOption('--type <type>', 'slack or webhook'),
  )
    .option('--disabled', 'create it disabled')
    .action(async (name: string, opts: RouteOpts) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const body = parseInput(
          newRouteSchema,
          { name, ...(await fields(services, ws.id, opts)), ...(opts.disabled ? { enabled: false } : {}) },
          'route',
        );
        const { input, generatedSecret } = toRouteInput(body);
        const created = await createRoute(services.db, ws.id, input, 'cli');
        process.stdout.write(
          `Created ${created.type} route "${created.name}" (${created.id}) to ${routeView(created).url}\n`,
        );
        if (generatedSecret) {
          process.stdout.write(`${generatedSecret}\n`);
          process.stderr.write(
            'That is the signing secret for the receiver (docs/webhooks.md). It is not shown again.\n',
          );
        }
        process.stderr.write(`Check it with: trustwatch route test ${created.name}\n`);
      } finally {
        await services.close();
      }
    });
  withRouteOptions(route.command('update <route>').description('Change a route (id or name).'))
    .option('--name <name>', 'rename')
    .option('--enable', 'enable')
    .option('--disable', 'disable')
    .action(
      async (idOrName: string, opts: RouteOpts & { name?: string; enable?: boolean; disable?: boolean }) => {
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const current = await findRoute(services.db, ws.id, idOrName);
          const body = parseInput(
            routePatchSchema,
            {
              ...(await fields(services, ws.id, opts)),
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
            },
            'route',
          );
          const updated = await updateRoute(
            services.db,
            ws.id,
            current.id,
            toRoutePatch(current, body),
            'cli',
          );
          process.stdout.write(`Updated route "${updated.name}"\n`);
        } finally {
          await services.close();
        }
      },
    );
  route
    .command('list')
    .description('Routes (URLs redacted, secrets never shown).')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const views = (await listRoutes(services.db, ws.id)).map(routeView);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
          return;
        }
        const rows = views.map((r) => ({
          ...r,
          kinds: r.kinds.length ? r.kinds.join(',') : 'all',
          'min severity': r.minSeverity,
          cooldown: `${r.cooldownSeconds}s`,
          quiet: r.quietHours ? `${r.quietHours.start}-${r.quietHours.end} ${r.timeZone}` : '-',
          enabled: r.enabled ? 'yes' : 'no',
        }));
        process.stdout.write(
          `${table(rows, ['name', 'type', 'enabled', 'kinds', 'min severity', 'cooldown', 'quiet', 'digest', 'url'])}\n`,
        );
      } finally {
        await services.close();
      }
    });
  route
    .command('remove <route>')
    .description('Delete a route (id or name); its unsent deliveries are marked dead.')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (idOrName: string, opts: { workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const r = await findRoute(services.db, ws.id, idOrName);
        await deleteRoute(services.db, ws.id, r.id, 'cli');
        process.stdout.write(`Removed route "${r.name}"\n`);
      } finally {
        await services.close();
      }
    });
  route
    .command('test <route>')
    .description('Send a test message to a route now and print how it went.')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (idOrName: string, opts: { workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const r = await findRoute(services.db, ws.id, idOrName);
        const id = await enqueueTestMessage(services.db, r, {
          now: new Date(),
          baseUrl: cliAlertSettings(services).baseUrl,
        });
        await sendDueNow(services, 1);
        const d = await getDelivery(services.db, ws.id, id);
        if (d.state === 'delivered') {
          process.stdout.write(`Test message delivered to ${d.destination} (HTTP ${d.lastStatus}).\n`);
        } else {
          process.stdout.write(
            `Test message not delivered yet to ${d.destination}: ${d.lastError ?? 'not attempted'} (state ${d.state}; see trustwatch delivery list).\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await services.close();
      }
    });
}
