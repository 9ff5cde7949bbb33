import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { getWorkspaceSummary, renameWorkspace } from '../../store/repositories/workspaces.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import { dateTime, jsonBody, jsonContent, resource } from '../openapi/schemas.ts';

const WorkspaceSchema = resource('Workspace', {
  id: z.uuid(),
  slug: z.string().openapi({ description: 'Stable: used by the CLI (`--workspace`) and scripts' }),
  name: z.string(),
  createdAt: dateTime,
  counts: z.object({
    watches: z.number().int(),
    sources: z.number().int(),
    tokens: z.number().int().openapi({ description: 'Active (unrevoked) API tokens' }),
  }),
});

const workspacePatchSchema = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/**
 * The token's own workspace. There is no way to list or reach another one through the API: creating
 * workspaces is a job for whoever runs the install (`trustwatch workspace create`).
 */
export function workspaceRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: ['workspace'],
      operationId: 'getWorkspace',
      summary: "The token's workspace",
      responses: { 200: jsonContent(WorkspaceSchema, 'The workspace with its counts') },
    }),
    async (c) => c.json(await getWorkspaceSummary(deps.db, c.get('principal').workspaceId), 200),
  );
  app.openapi(
    apiRoute('admin', {
      method: 'patch',
      path: '/',
      tags: ['workspace'],
      operationId: 'updateWorkspace',
      summary: 'Rename the workspace',
      description: 'The slug does not change.',
      request: { body: jsonBody(workspacePatchSchema) },
      responses: { 200: jsonContent(WorkspaceSchema, 'The workspace') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const ws = await renameWorkspace(
        deps.db,
        principal.workspaceId,
        c.req.valid('json').name,
        actorOf(principal),
      );
      return c.json(ws, 200);
    },
  );
  return app;
}
