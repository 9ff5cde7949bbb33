import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { lexiconSchema, newWatchSchema, validateWatchQueries } from '../../api/routes/watches.ts';
import { parseInput } from '../../api/validate.ts';
import { ValidationError } from '../../core/errors.ts';
import { createWatch, findWatch, listWatches, setWatchLexicon } from '../../store/repositories/watches.ts';
import { collect, table } from '../output.ts';
import { openServices, resolveWorkspace } from '../services.ts';

const LEXICON_HELP =
  'the watch\'s own sentiment words: "sick=3,killer=2.5,mid=-1" or a JSON file {"sick": 3}; weights -5..5';

/**
 * Reads `--lexicon`: a JSON file when the value names one (or ends in .json), else a comma list of
 * word=weight. Validation (ranges, sizes) is the API's, so both paths reject the same input.
 */
export function parseLexiconOption(spec: string): Record<string, number> {
  let raw: unknown;
  if (spec.endsWith('.json') || existsSync(spec)) {
    try {
      raw = JSON.parse(readFileSync(spec, 'utf8'));
    } catch (err) {
      throw new ValidationError(`Cannot read lexicon file ${spec}: ${(err as Error).message}`, [
        { path: 'lexicon', message: (err as Error).message },
      ]);
    }
  } else {
    const entries: [string, number][] = [];
    for (const part of spec.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.lastIndexOf('=');
      const word = eq > 0 ? part.slice(0, eq).trim() : '';
      const weight = eq > 0 ? Number(part.slice(eq + 1).trim()) : Number.NaN;
      if (!word || part.slice(eq + 1).trim() === '' || !Number.isFinite(weight)) {
        throw new ValidationError(`Invalid lexicon entry "${part.trim()}": expected word=weight`, [
          { path: 'lexicon', message: `"${part.trim()}" is not word=weight` },
        ]);
      }
      entries.push([word, weight]);
    }
    raw = Object.fromEntries(entries);
  }
  return parseInput(lexiconSchema, raw, 'lexicon');
}

export function registerWatch(program: Command): void {
  const watch = program.command('watch').description('Create and list watches (a brand and its query).');
  watch
    .command('add <name>')
    .description('Add a watch. Query syntax: docs/query-language.md')
    .requiredOption('-q, --query <query>', 'boolean query, e.g. \'telvana OR @telvanacare -"job offer"\'')
    .option('--competitor-of <watch>', 'make this a competitor watch of the given brand watch (id or name)')
    .option('-x, --exclude <query>', 'exclusion query (repeatable)', collect, [])
    .option(
      '--owned-handle <handle>',
      "the brand's own account (repeatable): not counted as customer voice",
      collect,
      [],
    )
    .option('--lexicon <words>', LEXICON_HELP)
    .option('-w, --workspace <slug>', 'workspace (default: the default one)')
    .action(
      async (
        name: string,
        opts: {
          query: string;
          competitorOf?: string;
          exclude: string[];
          ownedHandle: string[];
          lexicon?: string;
          workspace?: string;
        },
      ) => {
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const competitorOf = opts.competitorOf
            ? (await findWatch(services.db, ws.id, opts.competitorOf)).id
            : undefined;
          const input = parseInput(
            newWatchSchema,
            {
              name,
              query: opts.query,
              kind: competitorOf ? 'competitor' : 'brand',
              exclusions: opts.exclude,
              ownedHandles: opts.ownedHandle,
              competitorOf,
              lexicon: opts.lexicon ? parseLexiconOption(opts.lexicon) : {},
            },
            'watch',
          );
          validateWatchQueries(input);
          const created = await createWatch(services.db, ws.id, input, 'cli');
          process.stdout.write(`Created watch "${created.name}" (${created.id}) in workspace ${ws.slug}\n`);
        } finally {
          await services.close();
        }
      },
    );
  watch
    .command('lexicon <watch> [words]')
    .description(
      'Show or replace a watch\'s own sentiment words (weights -5..5), e.g. lexicon "Skate Co" "sick=3,mid=-1"',
    )
    .option('--clear', 'remove every word')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (idOrName: string, words: string | undefined, opts: { clear?: boolean; workspace?: string }) => {
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const found = await findWatch(services.db, ws.id, idOrName);
          if (!words && !opts.clear) {
            process.stdout.write(`${JSON.stringify(found.lexicon, null, 2)}\n`);
            return;
          }
          const lexicon = opts.clear ? {} : parseLexiconOption(words as string);
          const updated = await setWatchLexicon(services.db, ws.id, found.id, lexicon, 'cli');
          process.stdout.write(
            `Watch "${updated.name}" now has ${Object.keys(updated.lexicon).length} lexicon entries (applies to mentions stored from now on)\n`,
          );
        } finally {
          await services.close();
        }
      },
    );
  watch
    .command('list')
    .description('List watches.')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { json?: boolean; workspace?: string }) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const watches = await listWatches(services.db, ws.id);
        if (opts.json) process.stdout.write(`${JSON.stringify(watches, null, 2)}\n`);
        else
          process.stdout.write(
            `${table(watches as unknown as Record<string, unknown>[], ['id', 'name', 'kind', 'query'])}\n`,
          );
      } finally {
        await services.close();
      }
    });
}
