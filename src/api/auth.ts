import type { MiddlewareHandler } from 'hono';
import { type Role, authenticateToken } from '../store/repositories/tokens.ts';
import { type ApiDeps, type AppEnv, ROLE_RANK } from './context.ts';
import { problem } from './problem.ts';

/** Requires `Authorization: Bearer <token>`; the token's workspace scopes every query downstream. */
export function requireToken(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      c.header('WWW-Authenticate', 'Bearer realm="trustwatch"');
      return problem(c, 401, 'UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>"');
    }
    const principal = await authenticateToken(deps.db, match[1]);
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
    if (ROLE_RANK[principal.role] < ROLE_RANK[role]) {
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
