import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '../../store/repositories/audit.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonContent, pageOf, resource } from '../openapi/schemas.ts';
import { isoDate } from './trends.ts';

const AuditEntrySchema = resource('AuditEntry', {
  id: z.number().int(),
  at: dateTime,
  actor: z.string().openapi({ description: '`token:<id>`, `cli`, `scheduler`, `demo`, ...' }),
  action: z.string().openapi({ example: 'token.revoke' }),
  targetType: z.string().openapi({ example: 'api_token' }),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).openapi({ description: 'What changed; secrets never appear' }),
});

const text = (description: string) => z.string().trim().min(1).max(200).optional().openapi({ description });

export const auditQuerySchema = z
  .object({
    action: text('Prefix of the action: `token` gives token.create, token.revoke, ...'),
    actor: text('Exact actor, e.g. `token:<id>` or `cli`'),
    targetType: text('Exact target type: `api_token`, `watch`, `source`, `alert_route`, ...'),
    targetId: text('Exact target id'),
    from: isoDate.optional().openapi({ description: 'From this time (inclusive)' }),
    to: isoDate.optional().openapi({ description: 'Up to this time (exclusive)' }),
    cursor: z.string().max(500).optional().openapi({ description: '`nextCursor` of the previous page' }),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/** The workspace's audit log (admin): who changed what, newest first. */
export function auditRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('admin', {
      method: 'get',
      path: '/',
      tags: ['audit'],
      operationId: 'listAudit',
      summary: 'Audit log of the workspace',
      description:
        'Newest first, cursor-paginated. Details were redacted when written and are checked again.',
      request: { query: auditQuerySchema },
      responses: { 200: jsonContent(pageOf(AuditEntrySchema), 'A page of entries') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listAudit(deps.db, { workspaceId: c.get('principal').workspaceId, ...q });
      return c.json(page, 200);
    },
  );
  return app;
}
