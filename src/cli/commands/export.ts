import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { EXPORT_FORMATS, exportStream } from '../../api/export/stream.ts';
import { mentionExportQuerySchema, mentionFilterOf } from '../../api/routes/mentions.ts';
import { parseInput } from '../../api/validate.ts';
import { ValidationError } from '../../core/errors.ts';
import { SIGNAL_KINDS } from '../../core/mention.ts';
import { MENTION_SORTS, streamMentions } from '../../store/repositories/mentions.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { openServices, resolveWorkspace } from '../services.ts';

interface ExportOptions {
  watch: string;
  format: string;
  out?: string;
  from?: string;
  to?: string;
  source?: string;
  label?: string;
  signal?: string;
  sentimentMin?: string;
  sentimentMax?: string;
  language?: string;
  ratingMin?: string;
  ratingMax?: string;
  search?: string;
  author?: string;
  sort: string;
  includeDuplicates?: boolean;
  quiet?: boolean;
  workspace?: string;
}

/** API parameter -> the flag that sets it, so a validation error names what the user typed. */
const FLAGS: Record<string, string> = {
  format: '--format',
  from: '--from',
  to: '--to',
  source: '--source',
  label: '--label',
  signal: '--signal',
  sentimentMin: '--sentiment-min',
  sentimentMax: '--sentiment-max',
  language: '--language',
  ratingMin: '--rating-min',
  ratingMax: '--rating-max',
  q: '--search',
  author: '--author',
  sort: '--sort',
};

/** The options as the export endpoint's query, validated by the same schema (one set of rules for both). */
function filterQuery(watchId: string, o: ExportOptions) {
  const query: Record<string, string> = { watch: watchId, format: o.format, sort: o.sort };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  set('from', o.from);
  set('to', o.to);
  set('source', o.source);
  set('label', o.label);
  set('signal', o.signal);
  set('sentimentMin', o.sentimentMin);
  set('sentimentMax', o.sentimentMax);
  set('language', o.language);
  set('ratingMin', o.ratingMin);
  set('ratingMax', o.ratingMax);
  set('q', o.search);
  set('author', o.author);
  if (o.includeDuplicates) query.include_duplicates = 'true';
  try {
    return parseInput(mentionExportQuerySchema, query, 'options');
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const issues = err.issues.map((i) => {
      const key = i.path.split('.')[0] ?? i.path;
      return { path: FLAGS[key] ?? i.path, message: i.message };
    });
    throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
}

/** Resolves once `out` can take more (backpressure), or rejects if it failed (EPIPE, disk full). */
function writeChunk(out: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    // A Buffer view of the same bytes (no copy): what Node streams expect.
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const ok = out.write(bytes, (err) => {
      if (err) reject(err);
    });
    if (ok) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "Write a watch's mentions as CSV or JSON Lines to a file or stdout, streamed (any size, constant memory). " +
        'Same filters and columns as GET /api/v1/mentions/export.',
    )
    .requiredOption('--watch <watch>', 'the watch (id or name)')
    .option('--format <format>', `${EXPORT_FORMATS.join(' or ')}`, 'csv')
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .option('--from <date>', 'published at or after (ISO 8601)')
    .option('--to <date>', 'published before (ISO 8601)')
    .option('--source <id>', 'only this source')
    .option('--label <labels>', 'one or a comma list of positive, neutral, negative')
    .option('--signal <kinds>', `any of these signal kinds (${SIGNAL_KINDS.join(', ')})`)
    .option('--sentiment-min <score>', 'score at least (-1..1)')
    .option('--sentiment-max <score>', 'score at most (-1..1)')
    .option('--language <codes>', 'one or a comma list of language codes (und: unknown)')
    .option('--rating-min <stars>', 'rating at least, in stars out of 5 (0..5)')
    .option('--rating-max <stars>', 'rating at most, in stars out of 5 (0..5)')
    .option('--search <words>', 'words that must all appear in the title or text (case-insensitive)')
    .option('--author <author>', 'author handle or name (case-insensitive)')
    .option('--sort <order>', MENTION_SORTS.join(', '), 'newest')
    .option('--include-duplicates', 'include repeats of other mentions')
    .option('-q, --quiet', 'no progress output')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: ExportOptions) => {
      const services = await openServices({ logLevel: 'warn' });
      try {
        const ws = await resolveWorkspace(services.db, opts.workspace);
        const watch = await findWatch(services.db, ws.id, opts.watch);
        const q = filterQuery(watch.id, opts);
        const target = opts.out ? basename(opts.out) : 'stdout';
        const interactive = process.stderr.isTTY === true;
        const started = performance.now();
        let failure: { code: string; rows: number } | undefined;
        let exported = 0;
        let last = 0;
        const progress = (rows: number, bytes: number) => {
          if (opts.quiet) return;
          const now = performance.now();
          // Non-interactive (a log file): a line every few seconds rather than one per batch.
          if (now - last < (interactive ? 200 : 5000)) return;
          last = now;
          const rate = Math.round(rows / Math.max((now - started) / 1000, 0.001));
          const line = `exporting "${watch.name}" to ${target}: ${rows.toLocaleString('en')} mentions, ${mb(bytes)} (${rate.toLocaleString('en')} rows/s)`;
          process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
        };
        const { db } = services;
        const stream = exportStream(streamMentions(db, { ...mentionFilterOf(ws.id, q), watchId: watch.id }), {
          format: q.format,
          onProgress: progress,
          onEnd: (rows) => {
            exported = rows;
          },
          onError: (err, code, rows) => {
            failure = { code, rows };
            services.log.error(
              { code, rows, err: err instanceof Error ? err.message : String(err) },
              'export failed',
            );
          },
        });
        // A file is written under a temporary name and renamed when complete, so a reader never takes a
        // half-written file for a finished one; a failed export keeps its error line, under the final name.
        const partial = opts.out ? `${opts.out}.partial` : undefined;
        const out: Writable = partial ? createWriteStream(partial) : process.stdout;
        let bytes = 0;
        const reader = stream.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            bytes += value.byteLength;
            await writeChunk(out, value);
          }
        } catch (err) {
          await reader.cancel().catch(() => {});
          if (partial) {
            out.destroy();
            await rm(partial, { force: true });
          }
          throw err;
        }
        if (partial && opts.out) {
          await new Promise<void>((resolve, reject) =>
            out.end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
          await rename(partial, opts.out);
        }
        if (interactive && !opts.quiet) process.stderr.write('\n');
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (failure) {
          process.stderr.write(
            `error [${failure.code}]: the export stopped after ${failure.rows.toLocaleString('en')} mentions; ${target} ends with an error line\n`,
          );
          process.exitCode = 1;
          return;
        }
        if (!opts.quiet) {
          process.stderr.write(
            `Exported ${exported.toLocaleString('en')} mentions of "${watch.name}" (${mb(bytes)}, ${q.format}) to ${target} in ${seconds} s\n`,
          );
        }
      } finally {
        await services.close();
      }
    });
}
