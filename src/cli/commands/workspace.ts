import type { Command } from 'commander';
import { createWorkspace, listWorkspaces } from '../../store/repositories/workspaces.ts';
import { table } from '../output.ts';
import { openServices } from '../services.ts';

/**
 * Workspaces are created by whoever runs the install, never through the API: an API token belongs
 * to one workspace and sees nothing else.
 */
export function registerWorkspace(program: Command): void {
  const workspace = program
    .command('workspace')
    .description('Manage workspaces (each has its own watches, sources, tokens).');
  workspace
    .command('create')
    .description('Create a workspace. Then give it an admin token: trustwatch token create -w <slug>.')
    .argument('<slug>', 'short id: lower-case letters, digits and inner hyphens (used by --workspace)')
    .option('--name <name>', 'display name (default: the slug)')
    .option('--json', 'print JSON')
    .action(async (slug: string, opts: { name?: string; json?: boolean }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await createWorkspace(services.db, { slug, name: opts.name }, 'cli');
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(ws, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${ws.id}\n`);
        process.stderr.write(
          `Created workspace ${ws.slug} ("${ws.name}"). Next: trustwatch token create --role admin -w ${ws.slug}\n`,
        );
      } finally {
        await services.close();
      }
    });
  workspace
    .command('list')
    .description('List workspaces with their watches, sources and active tokens.')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const all = await listWorkspaces(services.db);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        const rows = all.map((w) => ({
          slug: w.slug,
          watches: w.counts.watches,
          sources: w.counts.sources,
          tokens: w.counts.tokens,
          created: w.createdAt,
          id: w.id,
          name: w.name,
        }));
        process.stdout.write(
          `${table(rows, ['slug', 'watches', 'sources', 'tokens', 'created', 'id', 'name'])}\n`,
        );
      } finally {
        await services.close();
      }
    });
}
