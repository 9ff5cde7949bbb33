import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TokenPrincipal } from '../../store/repositories/tokens.ts';
import type { Database } from '../../store/schema.ts';

/** The cookie holding the dashboard session id (HttpOnly, SameSite=Lax, Path=/, Secure over https). */
export const SESSION_COOKIE = 'tw_session';
/** A session lasts this long from sign-in; then the browser signs in again. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** Header carrying the CSRF token on the dashboard's own fetch() calls to /api/v1 (cookie-authenticated). */
export const CSRF_HEADER = 'x-csrf-token';
/** Form field carrying the CSRF token in every dashboard form. */
export const CSRF_FIELD = '_csrf';

export interface DashboardSession {
  principal: TokenPrincipal;
  /** Per-session CSRF token: derived from the session id, so it is never stored and dies with it. */
  csrf: string;
  expiresAt: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Session ids are 256 random bits; anything else in the cookie is not looked up at all. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf\0${sessionId}`).digest('base64url');
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(session: DashboardSession, presented: string | undefined | null): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts a session for an authenticated token; returns the id for the cookie (stored only hashed). */
export async function createSession(
  db: Kysely<Database>,
  principal: TokenPrincipal,
  now: Date,
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Expired sessions are swept on sign-in, so the table stays the size of the active sessions.
  await db.deleteFrom('dashboard_sessions').where('expires_at', '<=', now).execute();
  await db
    .insertInto('dashboard_sessions')
    .values({
      id_hash: sha256(id),
      token_id: principal.tokenId,
      workspace_id: principal.workspaceId,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
    })
    .execute();
  return { id, expiresAt };
}

/**
 * The live session for a cookie value, or null when unknown, expired, or its token was revoked. The
 * role and workspace are read from the token each time, so a role change applies at once.
 */
export async function readSession(
  db: Kysely<Database>,
  id: string | undefined,
  now: Date,
): Promise<DashboardSession | null> {
  if (!id || !SESSION_ID.test(id)) return null;
  const row = await db
    .selectFrom('dashboard_sessions as s')
    .innerJoin('api_tokens as t', 't.id', 's.token_id')
    .select(['s.id_hash', 's.expires_at', 's.last_seen_at', 't.id', 't.workspace_id', 't.role', 't.name'])
    .where('s.id_hash', '=', sha256(id))
    .where('s.expires_at', '>', now)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('dashboard_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  return {
    principal: { tokenId: row.id, workspaceId: row.workspace_id, role: row.role, name: row.name },
    csrf: csrfTokenFor(id),
    expiresAt: row.expires_at,
  };
}

/** Ends a session (sign-out). Unknown ids are ignored. */
export async function deleteSession(db: Kysely<Database>, id: string | undefined): Promise<void> {
  if (!id || !SESSION_ID.test(id)) return;
  await db.deleteFrom('dashboard_sessions').where('id_hash', '=', sha256(id)).execute();
}
