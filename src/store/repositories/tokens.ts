import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { recordAudit } from './audit.ts';

export type Role = 'viewer' | 'reviewer' | 'admin';

export interface TokenPrincipal {
  tokenId: string;
  workspaceId: string;
  role: Role;
  name: string;
}

const TOKEN_PREFIX = 'tw_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; the plain token is returned once and only its hash is stored. */
export async function createToken(
  db: Kysely<Database>,
  workspaceId: string,
  input: { name: string; role: Role; token?: string },
  actor: string,
): Promise<{ id: string; token: string }> {
  const token = input.token ?? `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  const hash = hashToken(token);
  const row = await db
    .insertInto('api_tokens')
    .values({
      workspace_id: workspaceId,
      name: input.name,
      role: input.role,
      token_hash: hash,
      prefix: token.slice(0, 8),
    })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ revoked_at: null, role: input.role }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    workspaceId,
    actor,
    action: 'token.create',
    targetType: 'api_token',
    targetId: row.id,
    details: { name: input.name, role: input.role },
  });
  return { id: row.id, token };
}

/** Resolves a presented token to its principal, or null. Records last use at most once a minute. */
export async function authenticateToken(db: Kysely<Database>, token: string): Promise<TokenPrincipal | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'workspace_id', 'role', 'name', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = new Date();
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { tokenId: row.id, workspaceId: row.workspace_id, role: row.role, name: row.name };
}
