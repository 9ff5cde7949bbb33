import { basename, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { type ImportConfig, type ImportCursor, importProgress } from '../../../sources/import/adapter.ts';
import { parseSourceConfig, publicConfig } from '../../../sources/index.ts';
import { pollSource } from '../../ingest/poll.ts';
import { createSource, findSource } from '../../store/repositories/sources.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { collect, parseKeyValues } from '../output.ts';
import { openServices, resolveWorkspace } from '../services.ts';

export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description(
      'Import mentions from a JSONL or CSV file (exports, surveys) into a watch. Re-running resumes or updates; it never duplicates.',
    )
    .requiredOption('--watch <watch>', 'the watch the rows belong to (id or name)')
    .option('--format <format>', 'jsonl or csv (default: from the file extension)')
    .option(
      '-m, --map <field=column>',
      'where a field comes from (repeatable): text, externalId, title, url, authorName, authorHandle, publishedAt, rating, language, parentId',
      collect,
      [],
    )
    .option('--rating-scale <n>', 'scale of the rating column (5 for stars, 10 for NPS)', (v) => Number(v))
    .option('--delimiter <char>', 'CSV delimiter (default: ",", or tab for .tsv)')
    .option('--name <name>', 'source name (default: import:<file name>)')
    .option('--restart', 'read the file from the top even if an earlier import of it stopped part-way')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (
        file: string,
        opts: {
          watch: string;
          format?: string;
          map: string[];
          ratingScale?: number;
          delimiter?: string;
          name?: string;
          restart?: boolean;
          workspace?: string;
        },
      ) => {
        const path = resolve(file);
        const mapping = parseKeyValues(opts.map, '--map');
        const config = parseSourceConfig('import', {
          path,
          ...(opts.format ? { format: opts.format } : {}),
          ...(Object.keys(mapping).length ? { mapping } : {}),
          ...(opts.ratingScale ? { ratingScale: opts.ratingScale } : {}),
          ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
        });
        const services = await openServices({ logLevel: 'warn' });
        try {
          const ws = await resolveWorkspace(services.db, opts.workspace);
          const watch = await findWatch(services.db, ws.id, opts.watch);
          const name = opts.name ?? `import:${basename(path)}`;
          let source = await findSource(services.db, ws.id, name).catch(() => undefined);
          if (!source) {
            // Imports are run by hand, so the source is created disabled: the scheduler never re-reads the file.
            source = await createSource(
              services.db,
              ws.id,
              { type: 'import', name, config, watchId: watch.id, intervalSeconds: 86400, enabled: false },
              'cli',
              publicConfig('import', config),
            );
          } else {
            // An import that stopped part-way (crash, error, Ctrl+C) with the same settings resumes where
            // it stopped; otherwise the file is read from the top and unchanged rows are skipped.
            const sameSettings = isDeepStrictEqual(source.config, config) && source.watchId === watch.id;
            const progress = importProgress(config as ImportConfig, source.cursor as ImportCursor | null);
            const unfinished = progress.bytesRead > 0 && progress.bytesRead < progress.totalBytes;
            const cursor = sameSettings && unfinished && !opts.restart ? source.cursor : null;
            if (cursor) process.stderr.write(`resuming ${basename(path)} at line ${progress.lines}\n`);
            await services.db
              .updateTable('sources')
              .set({ config: JSON.stringify(config), cursor: JSON.stringify(cursor), watch_id: watch.id })
              .where('id', '=', source.id)
              .execute();
            source = { ...source, config, cursor, watchId: watch.id };
          }
          const started = Date.now();
          const interactive = process.stderr.isTTY;
          const outcome = await pollSource(services.pollDeps, source, (p) => {
            const prog = importProgress(config as ImportConfig, p.cursor as ImportCursor | null);
            const pct = prog.totalBytes ? Math.floor((prog.bytesRead / prog.totalBytes) * 100) : 100;
            const rate = Math.round(p.stats.received / Math.max((Date.now() - started) / 1000, 0.001));
            const line = `importing ${basename(path)}: ${pct}% (${prog.lines} lines, ${p.stats.inserted} new, ${p.stats.updated} updated, ${p.stats.unchanged} unchanged, ${rate} rows/s)`;
            process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
            for (const w of p.warnings.slice(0, 5))
              process.stderr.write(`${interactive ? '\n' : ''}warning: ${w}\n`);
          });
          if (interactive) process.stderr.write('\n');
          const s = outcome.stats;
          process.stdout.write(
            `${outcome.ok ? 'Imported' : 'Import stopped with an error after storing'} ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.duplicates} duplicates, ${s.empty} empty rows; ${outcome.warnings.length} rows skipped (see warnings) into watch "${watch.name}".\n`,
          );
          if (!outcome.ok) {
            process.stderr.write(`error [${outcome.error?.code}]: ${outcome.error?.message}\n`);
            process.exitCode = 1;
          }
        } finally {
          await services.close();
        }
      },
    );
}
