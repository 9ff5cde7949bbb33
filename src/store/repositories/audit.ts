import type { Kysely, Transaction } from 'kysely';
import { ValidationError } from '../../core/errors.ts';
import { REDACTED_VALUE, isSecretParamName, redactUrl } from '../../core/redact-url.ts';
import type { Database } from '../schema.ts';

export interface AuditEntry {
  workspaceId: string | null;
  /** Who did it: `token:<id>`, `cli`, `scheduler`, `demo`. */
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Never secrets: callers pass redacted configs. */
  details?: Record<string, unknown>;
}

export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: entry.workspaceId,
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditView {
  id: number;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  workspaceId: string;
  /** `token` matches `token.create`, `token.revoke`...: a prefix of the action. */
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Inclusive lower and exclusive upper bound on the entry's time. */
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * Cursor = id of the last entry returned, opaque to clients. Entries are ordered by id (insertion
 * order), not by `at`: PostgreSQL keeps microseconds, which a JavaScript Date would round away, so a
 * time-based cursor could skip or repeat entries written within the same millisecond.
 */
function encodeAuditCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

function decodeAuditCursor(cursor: string): number {
  try {
    const [id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number];
    if (!Number.isSafeInteger(id)) throw new Error('bad cursor');
    return id;
  } catch {
    throw new ValidationError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor returned by this API' },
    ]);
  }
}

/** `like` pattern for "starts with": the user's % and _ are literal. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The workspace's audit log, newest (last written) first, keyset-paginated. Details pass through redactAuditDetails. */
export async function listAudit(
  db: Kysely<Database>,
  f: AuditFilter,
): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const after = f.cursor ? decodeAuditCursor(f.cursor) : undefined;
  let q = db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'target_type', 'target_id', 'details'])
    .where('workspace_id', '=', f.workspaceId)
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.action) q = q.where('action', 'like', likePrefix(f.action));
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (after !== undefined) q = q.where('id', '<', after);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: redactAuditDetails(r.details) as Record<string, unknown>,
    })),
    nextCursor: rows.length > f.limit && last ? encodeAuditCursor(Number(last.id)) : null,
  };
}

/** A plain API token anywhere in a string (`tw_` and 32 base64url characters, see tokens.ts). */
const API_TOKEN_TEXT = /\btw_[A-Za-z0-9_-]{20,}/g;

/**
 * Second line of defence for what the audit log shows: details are redacted when written (configs
 * masked, route URLs left out), but an entry written by older code or a careless caller must still
 * not show a secret. Keys that name a credential (`token`, `secret`, `apiKey`, `password`, `url` of a
 * webhook...) lose their value, URLs lose credential-like query values and userinfo, and anything
 * shaped like an API token is masked.
 */
export function redactAuditDetails(value: unknown, key = ''): unknown {
  if (key && (isSecretParamName(key) || /webhook_?url|^authorization$|^headers$/i.test(key))) {
    return value === null || value === undefined || value === '' ? value : REDACTED_VALUE;
  }
  if (typeof value === 'string') {
    const masked = value.replace(API_TOKEN_TEXT, REDACTED_VALUE);
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(masked) ? redactUrl(masked) : masked;
  }
  if (Array.isArray(value)) return value.map((v) => redactAuditDetails(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAuditDetails(v, k)]));
  }
  return value;
}
