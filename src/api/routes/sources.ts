import { Hono } from 'hono';
import { z } from 'zod';
import { getAdapter, parseSourceConfig, publicConfig } from '../../../sources/index.ts';
import { type SourceRecord, createSource, getSource, listSources } from '../../store/repositories/sources.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput, readJson } from '../validate.ts';

export const newSourceSchema = z.object({
  type: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  config: z.record(z.string(), z.unknown()),
  watchId: z.uuid().nullish(),
  intervalSeconds: z
    .number()
    .int()
    .min(30)
    .max(7 * 86400)
    .optional(),
  enabled: z.boolean().default(true),
});

/** A source as the API shows it: secrets masked, cursor omitted, health spelled out. */
export function sourceView(s: SourceRecord) {
  return {
    id: s.id,
    type: s.type,
    name: s.name,
    config: publicConfig(s.type, s.config),
    watchId: s.watchId,
    enabled: s.enabled,
    intervalSeconds: s.intervalSeconds,
    health: s.health,
    createdAt: s.createdAt,
  };
}

export function sourceRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const sources = await listSources(deps.db, c.get('principal').workspaceId);
    return c.json({ items: sources.map(sourceView) });
  });
  app.get('/:id', async (c) =>
    c.json(sourceView(await getSource(deps.db, c.get('principal').workspaceId, c.req.param('id')))),
  );
  app.post('/', requireRole('admin'), async (c) => {
    const input = parseInput(newSourceSchema, await readJson(c.req), 'body');
    const adapter = getAdapter(input.type);
    const config = parseSourceConfig(input.type, input.config);
    const principal = c.get('principal');
    if (input.watchId) await getWatch(deps.db, principal.workspaceId, input.watchId);
    const source = await createSource(
      deps.db,
      principal.workspaceId,
      {
        type: input.type,
        name: input.name,
        config,
        watchId: input.watchId ?? null,
        intervalSeconds: input.intervalSeconds ?? adapter.defaultIntervalSeconds,
        enabled: input.enabled,
      },
      `token:${principal.tokenId}`,
      publicConfig(input.type, config),
    );
    return c.json(sourceView(source), 201);
  });
  return app;
}
