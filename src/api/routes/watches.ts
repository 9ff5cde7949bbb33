import { Hono } from 'hono';
import { z } from 'zod';
import { QueryParseError, compileQuery } from '../../core/query/index.ts';
import { createWatch, getWatch, listWatches, setWatchLexicon } from '../../store/repositories/watches.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { parseInput, readJson } from '../validate.ts';

/** Most entries a watch's lexicon may hold: it corrects a few words, it is not a second lexicon. */
export const MAX_LEXICON_ENTRIES = 500;

/**
 * A watch's lexicon: word or phrase -> weight on AFINN's -5..5 scale. Keys are folded to lower case
 * and trimmed, the way the scorer looks them up.
 */
export const lexiconSchema = z
  .record(
    z.string().trim().min(1, 'a lexicon word cannot be empty').max(100),
    z.number().finite().min(-5).max(5),
  )
  .refine((r) => Object.keys(r).length <= MAX_LEXICON_ENTRIES, {
    message: `at most ${MAX_LEXICON_ENTRIES} entries`,
  })
  .transform((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.trim().toLowerCase().replace(/\s+/g, ' '), v])),
  );

export const newWatchSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['brand', 'competitor']).default('brand'),
  query: z.string().trim().min(1).max(2000),
  exclusions: z.array(z.string().trim().min(1).max(2000)).max(100).default([]),
  ownedHandles: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  competitorOf: z.uuid().nullish(),
  lexicon: lexiconSchema.default({}),
});

/**
 * Validates a watch's query and exclusions. A syntax error keeps its position and gains the field
 * (`query` or `exclusions.N`) and the offending text, so the API and CLI can point at it.
 */
export function validateWatchQueries(input: { query: string; exclusions: string[] }): void {
  const fields: [string, string][] = [
    ['query', input.query],
    ...input.exclusions.map((q, i): [string, string] => [`exclusions.${i}`, q]),
  ];
  for (const [field, text] of fields) {
    try {
      compileQuery(text);
    } catch (err) {
      if (err instanceof QueryParseError) Object.assign(err.details, { field, query: text });
      throw err;
    }
  }
}

export function watchRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const watches = await listWatches(deps.db, c.get('principal').workspaceId);
    return c.json({ items: watches });
  });
  app.get('/:id', async (c) =>
    c.json(await getWatch(deps.db, c.get('principal').workspaceId, c.req.param('id'))),
  );
  app.post('/', requireRole('admin'), async (c) => {
    const input = parseInput(newWatchSchema, await readJson(c.req), 'body');
    validateWatchQueries(input);
    const principal = c.get('principal');
    const watch = await createWatch(deps.db, principal.workspaceId, input, `token:${principal.tokenId}`);
    return c.json(watch, 201);
  });
  // Replaces the whole lexicon ({} clears it); new and re-fetched mentions are scored with it.
  app.put('/:id/lexicon', requireRole('admin'), async (c) => {
    const lexicon = parseInput(lexiconSchema, await readJson(c.req), 'body');
    const principal = c.get('principal');
    const watch = await setWatchLexicon(
      deps.db,
      principal.workspaceId,
      c.req.param('id'),
      lexicon,
      `token:${principal.tokenId}`,
    );
    return c.json(watch);
  });
  return app;
}
