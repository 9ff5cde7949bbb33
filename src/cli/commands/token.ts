import type { Command } from 'commander';
import { type Role, createToken } from '../../store/repositories/tokens.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description('Manage API tokens.');
  token
    .command('create')
    .description('Create an API token. It is printed once; only its hash is stored.')
    .option('--role <role>', 'viewer, reviewer or admin', 'admin')
    .option('--name <name>', 'a label to recognise the token', 'cli')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { role: string; name: string; workspace?: string }) => {
      if (!['viewer', 'reviewer', 'admin'].includes(opts.role)) {
        throw new Error(`--role must be viewer, reviewer or admin (got "${opts.role}")`);
      }
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const created = await createToken(
          services.db,
          ws.id,
          { name: opts.name, role: opts.role as Role },
          'cli',
        );
        process.stdout.write(`${created.token}\n`);
        process.stderr.write(
          `Created ${opts.role} token "${opts.name}" for workspace ${ws.slug}. Store it now: it is not shown again.\n`,
        );
      } finally {
        await services.close();
      }
    });
}
