import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  type Role,
  type TokenPrincipal,
  authenticateToken,
  hashToken,
} from '../store/repositories/tokens.ts';
import { type ApiDeps, type AppEnv, hasRole } from './context.ts';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, readSession } from './dashboard/sessions.ts';
import { problem } from './problem.ts';
import type { TtlCache } from './ttl-cache.ts';

/**
 * Requires `Authorization: Bearer <token>`; the token's workspace scopes every query downstream.
 * Without an Authorization header, a dashboard session cookie stands in for the token (the charts
 * fetch JSON with it); for anything but GET/HEAD it must come with the session's CSRF header, which a
 * cross-site page can neither read nor send.
 */
export function requireToken(
  deps: ApiDeps,
  /**
   * Recent lookups by token hash (TRUSTWATCH_TOKEN_CACHE_MS): spares a database read per request.
   * Token changes made through this process's API clear it; elsewhere they apply within its TTL.
   */
  principals?: TtlCache<TokenPrincipal | null>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const cookie = header ? undefined : getCookie(c, SESSION_COOKIE);
    if (cookie) {
      const session = await readSession(deps.db, cookie, deps.now?.() ?? new Date());
      if (session) {
        const safe = c.req.method === 'GET' || c.req.method === 'HEAD';
        if (!safe && !csrfMatches(session, c.req.header(CSRF_HEADER))) {
          return problem(
            c,
            403,
            'FORBIDDEN',
            `A session-authenticated ${c.req.method} needs the ${CSRF_HEADER} header`,
          );
        }
        c.set('principal', session.principal);
        return next();
      }
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer realm="trustwatch"');
      return problem(c, 401, 'UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>"');
    }
    const token = match[1];
    const principal = principals?.enabled
      ? await principals.get(hashToken(token), () => authenticateToken(deps.db, token))
      : await authenticateToken(deps.db, token);
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer realm="trustwatch", error="invalid_token"');
      return problem(c, 401, 'UNAUTHORIZED', 'Unknown or revoked API token');
    }
    c.set('principal', principal);
    await next();
  };
}

export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!hasRole(principal, role)) {
      return problem(
        c,
        403,
        'FORBIDDEN',
        `This action needs the ${role} role; the token has ${principal.role}`,
      );
    }
    await next();
  };
}
