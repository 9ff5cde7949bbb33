import type { Command } from 'commander';
import { getAdapter, parseSourceConfig, publicConfig, sourceAdapters } from '../../../sources/index.ts';
import { ValidationError } from '../../core/errors.ts';
import { createSource, listSources } from '../../store/repositories/sources.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { ago, collect, parseKeyValues, table } from '../output.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerSource(program: Command): void {
  const source = program
    .command('source')
    .description('Add and list sources (feeds, APIs, files) and their health.');
  source
    .command('add <type> <name>')
    .description(`Add a source. Types: ${sourceAdapters.map((a) => a.id).join(', ')}. See sources/README.md.`)
    .option('-c, --config <json>', 'adapter config as JSON, e.g. \'{"url":"https://example.com/feed"}\'')
    .option('-s, --set <key=value>', 'one config field (repeatable; dotted keys nest)', collect, [])
    .option(
      '--watch <watch>',
      'dedicate the source to one watch (id or name): its items need not match the query',
    )
    .option('--interval <seconds>', 'poll interval in seconds (default: the adapter default)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--disabled', 'create it disabled (not polled by the scheduler)')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (
        type: string,
        name: string,
        opts: {
          config?: string;
          set: string[];
          watch?: string;
          interval?: number;
          disabled?: boolean;
          workspace?: string;
        },
      ) => {
        const adapter = getAdapter(type);
        let raw: Record<string, unknown> = {};
        if (opts.config) {
          try {
            raw = JSON.parse(opts.config) as Record<string, unknown>;
          } catch {
            throw new ValidationError('--config is not valid JSON', [
              { path: 'config', message: 'invalid JSON' },
            ]);
          }
        }
        const config = parseSourceConfig(type, { ...raw, ...parseKeyValues(opts.set, '--set') });
        if (opts.interval !== undefined && (!Number.isFinite(opts.interval) || opts.interval < 30)) {
          throw new ValidationError('--interval must be at least 30 seconds', [
            { path: 'interval', message: '>= 30' },
          ]);
        }
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const watchId = opts.watch ? (await findWatch(services.db, ws.id, opts.watch)).id : null;
          const created = await createSource(
            services.db,
            ws.id,
            {
              type,
              name,
              config,
              watchId,
              intervalSeconds: opts.interval ?? adapter.defaultIntervalSeconds,
              enabled: !opts.disabled,
            },
            'cli',
            publicConfig(type, config),
          );
          // A push source is never polled: tell the user where to send items instead.
          const how = adapter.push
            ? `receives pushes at POST /api/v1/ingest/${created.id} (see sources/${type}/README.md)`
            : `polled every ${created.intervalSeconds}s`;
          process.stdout.write(`Created ${type} source "${created.name}" (${created.id}), ${how}\n`);
        } finally {
          await services.close();
        }
      },
    );
  source
    .command('list')
    .description('List sources with their health: last success, last error, next poll.')
    .option('--json', 'print JSON (secrets redacted)')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const sources = await listSources(services.db, ws.id);
        if (opts.json) {
          const out = sources.map((s) => ({
            ...s,
            config: publicConfig(s.type, s.config),
            cursor: undefined,
          }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const now = new Date();
        const rows = sources.map((s) => ({
          name: s.name,
          type: s.type,
          enabled: s.enabled ? 'yes' : 'no',
          'last success': ago(s.health.lastSuccessAt, now),
          'next poll': s.enabled ? ago(s.health.nextPollAt, now) : '-',
          failures: s.health.consecutiveFailures,
          'last error': s.health.lastError
            ? `[${s.health.lastErrorCode}] ${s.health.lastError} (${ago(s.health.lastErrorAt, now)})`
            : '-',
        }));
        process.stdout.write(
          `${table(rows, ['name', 'type', 'enabled', 'last success', 'next poll', 'failures', 'last error'])}\n`,
        );
      } finally {
        await services.close();
      }
    });
}
