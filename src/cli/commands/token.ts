import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { TrustwatchError } from '../../core/errors.ts';
import { isUuid } from '../../store/ids.ts';
import {
  LastAdminError,
  type Role,
  type TokenView,
  createToken,
  listTokens,
  revokeToken,
} from '../../store/repositories/tokens.ts';
import type { Database } from '../../store/schema.ts';
import { ago, table } from '../output.ts';
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
  token
    .command('list')
    .description('List API tokens: name, role, prefix, created, last used (never the token or its hash).')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { all?: boolean; json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const tokens = await listTokens(services.db, ws.id, { includeRevoked: opts.all === true });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
          return;
        }
        const now = new Date();
        const rows = tokens.map((t) => ({
          id: t.id,
          prefix: `${t.prefix}…`,
          role: t.role,
          created: t.createdAt,
          'last used': ago(t.lastUsedAt, now),
          revoked: t.revokedAt ?? '-',
          name: t.name,
        }));
        const columns = [
          'id',
          'prefix',
          'role',
          'created',
          'last used',
          ...(opts.all ? ['revoked'] : []),
          'name',
        ];
        process.stdout.write(`${table(rows, columns)}\n`);
      } finally {
        await services.close();
      }
    });
  token
    .command('revoke')
    .description('Revoke an API token at once. Idempotent. Refuses the last admin token unless --force.')
    .argument('<token>', 'the token id (uuid) or its prefix as `token list` shows it (tw_xxxxx)')
    .option('--force', 'revoke even the last active admin token (create a new one with `token create`)')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (ref: string, opts: { force?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const target = await findToken(services.db, ws.id, ref);
        let result: Awaited<ReturnType<typeof revokeToken>>;
        try {
          result = await revokeToken(services.db, ws.id, target.id, 'cli', {
            keepAnAdmin: opts.force !== true,
          });
        } catch (err) {
          if (err instanceof LastAdminError) {
            throw new TrustwatchError('CONFLICT', `${err.message}, or pass --force`);
          }
          throw err;
        }
        process.stdout.write(`${result.token.id}\n`);
        process.stderr.write(
          result.changed
            ? `Revoked ${result.token.role} token "${result.token.name}" (${result.token.prefix}…) of workspace ${ws.slug}.\n`
            : `Token "${result.token.name}" was already revoked (${result.token.revokedAt?.toISOString()}).\n`,
        );
      } finally {
        await services.close();
      }
    });
}

/** A token of the workspace by id or by the prefix lists show; an ambiguous prefix is refused. */
async function findToken(db: Kysely<Database>, workspaceId: string, ref: string): Promise<TokenView> {
  const all = await listTokens(db, workspaceId);
  const wanted = ref.replace(/…$/, '');
  const found = isUuid(wanted)
    ? all.filter((t) => t.id === wanted.toLowerCase())
    : all.filter((t) => wanted.length >= 4 && t.prefix.startsWith(wanted));
  const [first, ...rest] = found;
  if (!first)
    throw new TrustwatchError('NOT_FOUND', `No API token "${ref}" in this workspace (see token list --all)`);
  if (rest.length > 0) {
    throw new TrustwatchError(
      'VALIDATION',
      `"${ref}" matches ${found.length} tokens (${found.map((t) => t.id).join(', ')}); give the id`,
    );
  }
  return first;
}
