import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, type Transaction, sql } from 'kysely';
import { NotFoundError, TrustwatchError } from '../../core/errors.ts';
import { isUuid } from '../ids.ts';
import type { ApiTokenRow, Database } from '../schema.ts';
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

/** A token as lists show it: never its hash, only the prefix to recognise it. */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const VIEW_COLUMNS = ['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

function toView(row: Pick<ApiTokenRow, (typeof VIEW_COLUMNS)[number]>): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** The workspace's tokens, active ones first, then newest first. */
export async function listTokens(
  db: Kysely<Database>,
  workspaceId: string,
  opts: { includeRevoked?: boolean } = {},
): Promise<TokenView[]> {
  let q = db
    .selectFrom('api_tokens')
    .select(VIEW_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .orderBy(sql`revoked_at is not null`)
    .orderBy('created_at', 'desc')
    .orderBy('id');
  if (opts.includeRevoked === false) q = q.where('revoked_at', 'is', null);
  return (await q.execute()).map(toView);
}

export async function getToken(db: Kysely<Database>, workspaceId: string, id: string): Promise<TokenView> {
  if (!isUuid(id)) throw new NotFoundError('API token', id);
  const row = await db
    .selectFrom('api_tokens')
    .select(VIEW_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('API token', id);
  return toView(row);
}

/**
 * Refused change: it would leave the workspace without an active admin token, so nobody could
 * manage tokens any more through the API. `details.reason` is `LAST_ADMIN`.
 */
export class LastAdminError extends TrustwatchError {
  constructor(action: 'revoke' | 'demote') {
    super(
      'CONFLICT',
      `Cannot ${action} the last active admin token of the workspace: create another admin token first`,
      { details: { reason: 'LAST_ADMIN' } },
    );
    this.name = 'LastAdminError';
  }
}

export interface TokenChangeOptions {
  /**
   * Refuse (LastAdminError) a change that leaves no active admin token. The API always keeps one;
   * the CLI (the install admin, who can always create a new token) may skip the check.
   */
  keepAnAdmin?: boolean;
}

/**
 * Runs a change to one token in a transaction that first locks the workspace's active admin tokens,
 * so two admins revoking each other at once cannot both succeed and lock everyone out.
 */
async function changeToken<T>(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  change: (trx: Transaction<Database>, current: TokenView, activeAdmins: string[]) => Promise<T>,
): Promise<T> {
  if (!isUuid(id)) throw new NotFoundError('API token', id);
  return db.transaction().execute(async (trx) => {
    const admins = await trx
      .selectFrom('api_tokens')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'admin')
      .where('revoked_at', 'is', null)
      .forUpdate()
      .execute();
    const row = await trx
      .selectFrom('api_tokens')
      .select(VIEW_COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('API token', id);
    return change(
      trx,
      toView(row),
      admins.map((a) => a.id),
    );
  });
}

function isLastAdmin(current: TokenView, activeAdmins: string[]): boolean {
  return (
    current.revokedAt === null && current.role === 'admin' && activeAdmins.every((a) => a === current.id)
  );
}

/** Changes a token's role and/or name. A revoked token cannot change (CONFLICT). */
export async function updateToken(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: { role?: Role | undefined; name?: string | undefined },
  actor: string,
  opts: TokenChangeOptions = {},
): Promise<TokenView> {
  return changeToken(db, workspaceId, id, async (trx, current, admins) => {
    if (current.revokedAt) {
      throw new TrustwatchError('CONFLICT', `API token ${id} is revoked; create a new one instead`, {
        details: { reason: 'REVOKED' },
      });
    }
    const role = patch.role ?? current.role;
    const name = patch.name ?? current.name;
    if (role === current.role && name === current.name) return current;
    if (opts.keepAnAdmin !== false && role !== 'admin' && isLastAdmin(current, admins)) {
      throw new LastAdminError('demote');
    }
    await trx.updateTable('api_tokens').set({ role, name }).where('id', '=', id).execute();
    const details: Record<string, unknown> = {};
    if (role !== current.role) details.role = { from: current.role, to: role };
    if (name !== current.name) details.name = { from: current.name, to: name };
    await recordAudit(trx, {
      workspaceId,
      actor,
      action: role !== current.role ? 'token.role' : 'token.rename',
      targetType: 'api_token',
      targetId: id,
      details,
    });
    return { ...current, role, name };
  });
}

/**
 * Revokes a token: it stops authenticating at once. Idempotent: revoking a revoked token returns it
 * unchanged (with its first revocation time) and audits nothing.
 */
export async function revokeToken(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  actor: string,
  opts: TokenChangeOptions & { now?: Date } = {},
): Promise<{ token: TokenView; changed: boolean }> {
  return changeToken(db, workspaceId, id, async (trx, current, admins) => {
    if (current.revokedAt) return { token: current, changed: false };
    if (opts.keepAnAdmin !== false && isLastAdmin(current, admins)) throw new LastAdminError('revoke');
    const revokedAt = opts.now ?? new Date();
    await trx.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    await recordAudit(trx, {
      workspaceId,
      actor,
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: id,
      details: { name: current.name, role: current.role },
    });
    return { token: { ...current, revokedAt }, changed: true };
  });
}
