import type { Command } from 'commander';
import { newWatchSchema, validateWatchQueries } from '../../api/routes/watches.ts';
import { parseInput } from '../../api/validate.ts';
import { createWatch, findWatch, listWatches } from '../../store/repositories/watches.ts';
import { collect, table } from '../output.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerWatch(program: Command): void {
  const watch = program.command('watch').description('Create and list watches (a brand and its query).');
  watch
    .command('add <name>')
    .description('Add a watch. Query syntax: docs/query-language.md')
    .requiredOption('-q, --query <query>', 'boolean query, e.g. \'telvana OR @telvanacare -"job offer"\'')
    .option('--competitor-of <watch>', 'make this a competitor watch of the given brand watch (id or name)')
    .option('-x, --exclude <query>', 'exclusion query (repeatable)', collect, [])
    .option(
      '--owned-handle <handle>',
      "the brand's own account (repeatable): not counted as customer voice",
      collect,
      [],
    )
    .option('-w, --workspace <slug>', 'workspace (default: the default one)')
    .action(
      async (
        name: string,
        opts: {
          query: string;
          competitorOf?: string;
          exclude: string[];
          ownedHandle: string[];
          workspace?: string;
        },
      ) => {
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const competitorOf = opts.competitorOf
            ? (await findWatch(services.db, ws.id, opts.competitorOf)).id
            : undefined;
          const input = parseInput(
            newWatchSchema,
            {
              name,
              query: opts.query,
              kind: competitorOf ? 'competitor' : 'brand',
              exclusions: opts.exclude,
              ownedHandles: opts.ownedHandle,
              competitorOf,
            },
            'watch',
          );
          validateWatchQueries(input);
          const created = await createWatch(services.db, ws.id, input, 'cli');
          process.stdout.write(`Created watch "${created.name}" (${created.id}) in workspace ${ws.slug}\n`);
        } finally {
          await services.close();
        }
      },
    );
  watch
    .command('list')
    .description('List watches.')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const watches = await listWatches(services.db, ws.id);
        if (opts.json) process.stdout.write(`${JSON.stringify(watches, null, 2)}\n`);
        else
          process.stdout.write(
            `${table(watches as unknown as Record<string, unknown>[], ['id', 'name', 'kind', 'query'])}\n`,
          );
      } finally {
        await services.close();
      }
    });
}
