import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  LastAdminError,
  createToken,
  getToken,
  listTokens,
  revokeToken,
  updateToken,
} from '../../store/repositories/tokens.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import {
  ProblemSchema,
  dateTime,
  jsonBody,
  jsonContent,
  listOf,
  resource,
  uuidParams,
} from '../openapi/schemas.ts';
import { problem } from '../problem.ts';

const roleSchema = z.enum(['viewer', 'reviewer', 'admin']);
const nameSchema = z.string().trim().min(1).max(100);

const TokenSchema = resource('ApiToken', {
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string().openapi({ description: 'The first characters of the token, to recognise it' }),
  createdAt: dateTime,
  lastUsedAt: dateTime.nullable(),
  revokedAt: dateTime.nullable(),
});

const CreatedTokenSchema = resource('ApiTokenCreated', {
  ...TokenSchema.shape,
  token: z.string().openapi({ description: 'The token itself, shown this once: only its hash is stored' }),
});

const newTokenSchema = z.object({ name: nameSchema, role: roleSchema }).strict();
const tokenPatchSchema = z
  .object({ name: nameSchema.optional(), role: roleSchema.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.role !== undefined, { message: 'send name and/or role' });

const lastAdmin = {
  description: 'It is the last active admin token of the workspace (code LAST_ADMIN), or it is revoked',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

/**
 * API tokens of the workspace (admin). The token is shown once, at creation; lists show its prefix,
 * never the token or its hash. A change that would leave the workspace without an active admin token
 * is refused with 409 LAST_ADMIN, so an admin cannot lock the team out by revoking or demoting itself.
 */
export function tokenRoutes(
  deps: ApiDeps,
  /** Called after a token's role or state changed, e.g. to drop cached token lookups. */
  opts: { onChange?: () => void } = {},
): OpenAPIHono<AppEnv> {
  const app = openApiRouter();

  app.openapi(
    apiRoute('admin', {
      method: 'get',
      path: '/',
      tags: ['tokens'],
      operationId: 'listTokens',
      summary: 'API tokens of the workspace',
      description: 'Active tokens first, then revoked ones; newest first within each.',
      responses: { 200: jsonContent(listOf(TokenSchema), 'The tokens') },
    }),
    async (c) => c.json({ items: await listTokens(deps.db, c.get('principal').workspaceId) }, 200),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/',
      tags: ['tokens'],
      operationId: 'createToken',
      summary: 'Create an API token',
      description: 'The response carries the token itself, this once. Store it: it cannot be read back.',
      request: { body: jsonBody(newTokenSchema) },
      responses: { 201: jsonContent(CreatedTokenSchema, 'The new token, with its secret') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const workspaceId = c.get('principal').workspaceId;
      const created = await createToken(deps.db, workspaceId, body, actorOf(c.get('principal')));
      const view = await getToken(deps.db, workspaceId, created.id);
      c.header('Cache-Control', 'no-store');
      return c.json({ ...view, token: created.token }, 201);
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'get',
      path: '/{id}',
      tags: ['tokens'],
      operationId: 'getToken',
      summary: 'One API token',
      request: { params: uuidParams },
      responses: { 200: jsonContent(TokenSchema, 'The token (without its secret)') },
    }),
    async (c) =>
      c.json(await getToken(deps.db, c.get('principal').workspaceId, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'patch',
      path: '/{id}',
      tags: ['tokens'],
      operationId: 'updateToken',
      summary: "Change a token's role or name",
      request: { params: uuidParams, body: jsonBody(tokenPatchSchema) },
      responses: { 200: jsonContent(TokenSchema, 'The token'), 409: lastAdmin },
    }),
    async (c) => {
      try {
        const token = await updateToken(
          deps.db,
          c.get('principal').workspaceId,
          c.req.valid('param').id,
          c.req.valid('json'),
          actorOf(c.get('principal')),
          { keepAnAdmin: true },
        );
        opts.onChange?.();
        return c.json(token, 200);
      } catch (err) {
        if (err instanceof LastAdminError) return problem(c, 409, 'LAST_ADMIN', err.message);
        throw err;
      }
    },
  );
  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/{id}/revoke',
      tags: ['tokens'],
      operationId: 'revokeToken',
      summary: 'Revoke a token',
      description: 'It stops working at once. Idempotent: revoking a revoked token returns it unchanged.',
      request: { params: uuidParams },
      responses: { 200: jsonContent(TokenSchema, 'The revoked token'), 409: lastAdmin },
    }),
    async (c) => {
      try {
        const { token, changed } = await revokeToken(
          deps.db,
          c.get('principal').workspaceId,
          c.req.valid('param').id,
          actorOf(c.get('principal')),
          { keepAnAdmin: true, ...(deps.now ? { now: deps.now() } : {}) },
        );
        if (changed) opts.onChange?.();
        return c.json(token, 200);
      } catch (err) {
        if (err instanceof LastAdminError) return problem(c, 409, 'LAST_ADMIN', err.message);
        throw err;
      }
    },
  );
  return app;
}
