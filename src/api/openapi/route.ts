import { OpenAPIHono, type RouteConfig, createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors.ts';
import type { Role } from '../../store/repositories/tokens.ts';
import { requireRole } from '../auth.ts';
import type { AppEnv } from '../context.ts';
import { zodIssues } from '../validate.ts';
import { ProblemSchema } from './schemas.ts';

/** The OpenAPI extension naming the least role an operation needs (viewer < reviewer < admin). */
export const ROLE_EXTENSION = 'x-required-role';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/**
 * A documented operation of the token-authenticated API: bearer security, the required role as
 * `x-required-role` and enforced by requireRole, and the problem+json errors every operation can give.
 */
export function apiRoute<P extends string, R extends Omit<RouteConfig, 'path' | 'middleware'> & { path: P }>(
  role: Role,
  config: R,
) {
  return createRoute({
    ...config,
    security: [{ bearerAuth: [] }],
    [ROLE_EXTENSION]: role,
    description: `${config.description ? `${config.description}\n\n` : ''}Requires the **${role}** role.`,
    middleware: role === 'viewer' ? [] : [requireRole(role)],
    responses: {
      ...config.responses,
      400: problem('Invalid input (the `errors` member names the field)'),
      401: problem('No token, or an unknown or revoked one'),
      ...(role === 'viewer' ? {} : { 403: problem(`The token's role is below ${role}`) }),
      404: problem('Not found in the token’s workspace'),
    },
  });
}

/**
 * A router whose request validation failures become our 400 problem+json, the same shape as
 * parseInput's ValidationError (field paths like `limit` or `config.url`).
 */
export function openApiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const what = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : result.target;
      const issues = zodIssues(result.error.issues, what);
      throw new ValidationError(
        `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      );
    },
  });
}
