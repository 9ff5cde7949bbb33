import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { TrustwatchError } from '../../src/core/errors.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { type FetchContext, type FetchResult, defineSource } from '../../src/core/source.ts';
import { readRecords } from './records.ts';
import { type FieldMapping, MAPPABLE_FIELDS, type MappableField, getPath, mapRow } from './row-mapping.ts';

/**
 * Imports mentions from a local JSONL or CSV file (platform exports, survey results, review
 * dumps). Reads one page of rows per call from a byte offset, so a big import is resumable after
 * a crash and the CLI can show progress; rows without an id column get a content hash as id, so
 * importing the same file twice never duplicates.
 */

export type ImportFormat = 'jsonl' | 'csv';

const EXTENSIONS: Record<string, ImportFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'csv',
};

/** The format implied by the file name, if any. */
export function formatFromPath(path: string): ImportFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

const ref = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(`Column (CSV) or field path (JSONL, dots allowed) holding ${what}.`);

export const importMappingSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .default('text')
      .describe(
        'Column (CSV) or field path (JSONL, dots allowed) holding the text. Rows without it are skipped.',
      ),
    externalId: ref('a stable row id; without it the id is a hash of the row'),
    title: ref('the title'),
    url: ref('the link (http/https)'),
    authorName: ref('the author display name'),
    authorHandle: ref('the author handle (leading @ removed)'),
    publishedAt: ref('the date (ISO 8601, epoch seconds/ms, YYYY-MM-DD HH:mm; no zone means UTC)'),
    rating: ref('a star rating or survey score on the ratingScale'),
    language: ref('an ISO 639-1 language code'),
    parentId: ref('the id of the row this one replies to'),
  })
  .strict()
  .describe(
    'Where each field comes from. Fields left out are read from a column/field of the same name when there is one.',
  );

export const importConfigSchema = z
  .object({
    path: z.string().trim().min(1).describe('Path of the local .jsonl/.ndjson or .csv/.tsv file to import.'),
    format: z.enum(['jsonl', 'csv']).optional().describe('File format; by default taken from the extension.'),
    mapping: importMappingSchema.default({ text: 'text' }),
    ratingScale: z
      .number()
      .positive()
      .max(1000)
      .default(5)
      .describe('Top of the rating scale: 5 for stars, 10 for an NPS or 0-10 survey score.'),
    delimiter: z
      .string()
      .length(1)
      .optional()
      .describe('CSV field delimiter, one character (default "," or tab for .tsv).'),
    pageSize: z.number().int().min(1).max(100_000).default(1000).describe('Rows read per fetch call.'),
  })
  .superRefine((config, ctx) => {
    if (!config.format && !formatFromPath(config.path)) {
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: 'cannot tell the format from the file extension; set format to "jsonl" or "csv"',
      });
    }
    if (config.delimiter && /["\r\n]/.test(config.delimiter)) {
      ctx.addIssue({ code: 'custom', path: ['delimiter'], message: 'cannot be a quote or a line break' });
    }
  });

export type ImportConfig = z.output<typeof importConfigSchema>;

/** Where the next page starts: a byte offset, the lines before it, and the CSV header once read. */
export interface ImportCursor {
  offset: number;
  line: number;
  header?: string[] | undefined;
}

/** A page of an import: the usual result plus the rows skipped or partly ignored, by file and line. */
export type ImportFetchResult = FetchResult<ImportCursor> & { warnings: string[] };

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
}

/**
 * How far an import has got, for progress displays. Synchronous and never throws: a file that
 * cannot be read reports 0 total bytes (the fetch itself raises IMPORT_FILE).
 */
export function importProgress(
  config: ImportConfig,
  cursor: ImportCursor | null | undefined,
): ImportProgress {
  let totalBytes = 0;
  try {
    totalBytes = statSync(config.path).size;
  } catch {
    // Reported by fetch.
  }
  return { bytesRead: cursor?.offset ?? 0, totalBytes, lines: cursor?.line ?? 0 };
}

function fileError(path: string, err: unknown): TrustwatchError {
  const code = (err as { code?: string }).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : err instanceof Error
            ? err.message
            : String(err);
  return new TrustwatchError('IMPORT_FILE', `cannot read import file ${path}: ${why}`, {
    cause: err,
    details: { path },
  });
}

// Records are split by readRecords on unquoted '\n' (a trailing '\r' removed); csv-parse must not
// guess another record delimiter from a stray '\r'.
const CSV_OPTIONS = { relax_quotes: true, relax_column_count: true, record_delimiter: '\n' } as const;

function parseCsvRecord(text: string, delimiter: string): string[] {
  const rows = parseCsv(text, { ...CSV_OPTIONS, delimiter }) as string[][];
  if (rows.length !== 1 || !rows[0]) throw new Error(`expected one CSV record, got ${rows.length}`);
  return rows[0];
}

/**
 * Fields of a page of records in one csv-parse call (a parser per record costs ~20 us). If the
 * batch fails or disagrees with our record boundaries, undefined: parse record by record, so that
 * one bad row costs only itself.
 */
function parseCsvBatch(texts: string[], delimiter: string): string[][] | undefined {
  if (texts.length === 0) return [];
  try {
    const rows = parseCsv(texts.join('\n'), { ...CSV_OPTIONS, delimiter }) as string[][];
    return rows.length === texts.length ? rows : undefined;
  } catch {
    return undefined;
  }
}

/** The mapping with defaults filled in: unmapped fields read a column of the same name, if present. */
function effectiveMapping(mapping: FieldMapping, has: (name: string) => string | undefined): FieldMapping {
  const out: FieldMapping = {};
  for (const field of MAPPABLE_FIELDS) {
    const wanted = mapping[field];
    const found = wanted === undefined ? has(field) : (has(wanted) ?? wanted);
    if (found !== undefined) out[field as MappableField] = found;
  }
  if (!out.text) out.text = mapping.text ?? 'text';
  return out;
}

/** Header lookup: exact name first, then case- and space-insensitive. */
function headerLookup(header: string[]) {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  header.forEach((name, i) => {
    if (!exact.has(name)) exact.set(name, i);
    const key = name.trim().toLowerCase();
    if (!loose.has(key)) loose.set(key, i);
  });
  const indexOf = (name: string) => exact.get(name) ?? loose.get(name.trim().toLowerCase());
  return {
    indexOf,
    has: (name: string) => {
      const i = indexOf(name);
      return i === undefined ? undefined : header[i];
    },
  };
}

/** Reads the next page of an import. `importSource.fetch` is this function. */
export async function fetchImportPage(
  config: ImportConfig,
  cursor: ImportCursor | null,
  ctx?: Pick<FetchContext, 'log'>,
): Promise<ImportFetchResult> {
  const { path } = config;
  const format = config.format ?? formatFromPath(path) ?? 'jsonl';
  const delimiter = config.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
  const warnings: string[] = [];
  const warn = (line: number, cause: string) => warnings.push(`${path}:${line}: ${cause}`);

  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = info.size;
  } catch (err) {
    throw fileError(path, err);
  }

  let offset = cursor?.offset ?? 0;
  let line = cursor?.line ?? 0;
  let header = cursor?.header;
  if (offset > size) {
    // The file was replaced by a shorter one. Ids are stable, so reading again is harmless.
    warnings.push(
      `${path}: file is shorter than the saved position (${size} < ${offset} bytes); reading it again`,
    );
    offset = 0;
    line = 0;
    header = undefined;
  }

  const read = async (start: number, startLine: number, maxRecords: number) => {
    try {
      return await readRecords(path, {
        kind: format === 'csv' ? 'csv' : 'lines',
        delimiter,
        start,
        startLine,
        maxRecords,
      });
    } catch (err) {
      throw fileError(path, err);
    }
  };

  if (format === 'csv' && !header) {
    const first = await read(0, 0, 1);
    const record = first.records[0];
    if (!record)
      return { items: [], nextCursor: { offset: first.end, line: first.line }, more: false, warnings };
    try {
      if (record.error) throw new Error(record.error);
      header = parseCsvRecord(record.text, delimiter).map((h) => h.trim());
    } catch (err) {
      throw new TrustwatchError(
        'IMPORT_MALFORMED',
        `${path}:${record.line}: cannot read the CSV header (${err instanceof Error ? err.message : String(err)})`,
        { cause: err, details: { path, line: record.line } },
      );
    }
    if (offset === 0) {
      offset = first.end;
      line = first.line;
    }
  }

  const page = await read(offset, line, config.pageSize);
  const firstText = page.records[0]?.text.trimStart() ?? '';
  if (format === 'jsonl' && offset === 0 && firstText.startsWith('[')) {
    // A JSON array (often pretty-printed) would otherwise give one warning per line.
    throw new TrustwatchError(
      'IMPORT_MALFORMED',
      `${path}: this is a JSON array, not JSON Lines (one object per line); convert it with: jq -c '.[]' ${path}`,
      { details: { path } },
    );
  }
  const items: SourceItem[] = [];
  const lookup = header ? headerLookup(header) : undefined;
  const mapping = lookup
    ? effectiveMapping(config.mapping, lookup.has)
    : effectiveMapping(config.mapping, (name) => name);
  if (lookup) {
    // A typo in the mapping would otherwise silently drop a field from every row.
    const missing = MAPPABLE_FIELDS.filter((f) => {
      const column = mapping[f];
      return column !== undefined && lookup.indexOf(column) === undefined;
    });
    if (missing.length > 0) {
      throw new TrustwatchError(
        'IMPORT_MALFORMED',
        `${path}: mapped column(s) not in the CSV header: ${missing.map((f) => `${f}="${mapping[f]}"`).join(', ')} (header: ${header?.join(', ')})`,
        { details: { path, fields: missing.map((f) => `mapping.${f}`) } },
      );
    }
  }

  const good = page.records.filter((r) => !r.error);
  const batch =
    format === 'csv'
      ? parseCsvBatch(
          good.map((r) => r.text),
          delimiter,
        )
      : undefined;
  const batchFields = new Map(batch ? good.map((r, i) => [r, batch[i]]) : []);

  for (const record of page.records) {
    if (record.error) {
      warn(record.line, `skipped: ${record.error}`);
      continue;
    }
    let get: (ref: string) => unknown;
    let raw: unknown;
    let hashSource: string;
    if (format === 'csv' && header && lookup) {
      let fields: string[];
      try {
        fields = batchFields.get(record) ?? parseCsvRecord(record.text, delimiter);
      } catch (err) {
        warn(record.line, `skipped: malformed CSV (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      if (fields.length !== header.length) {
        warn(record.line, `skipped: ${fields.length} columns where the header has ${header.length}`);
        continue;
      }
      const row = Object.fromEntries(header.map((name, i) => [name, fields[i]]));
      get = (name) => {
        const i = lookup.indexOf(name);
        return i === undefined ? undefined : fields[i];
      };
      raw = row;
      hashSource = JSON.stringify(fields);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(record.text);
      } catch (err) {
        warn(record.line, `skipped: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        warn(record.line, 'skipped: line is not a JSON object');
        continue;
      }
      get = (ref) => getPath(value, ref);
      raw = value;
      hashSource = record.text.trim();
    }
    const mapped = mapRow(get, mapping, { ratingScale: config.ratingScale, hashSource, raw });
    for (const note of mapped.notes) warn(record.line, note);
    if (mapped.item) items.push(mapped.item);
    else warn(record.line, `skipped: ${mapped.skip ?? 'unusable row'}`);
  }

  if (warnings.length > 0)
    ctx?.log.warn({ path, warnings: warnings.length }, 'import rows skipped or partly ignored');
  return {
    items,
    nextCursor: { offset: page.end, line: page.line, ...(header ? { header } : {}) },
    more: !page.eof,
    warnings,
  };
}

export const importSource = defineSource<ImportConfig, ImportCursor>({
  id: 'import',
  name: 'File import (JSONL / CSV)',
  description: 'Imports mentions from a local JSONL or CSV file (exports, surveys, reviews), resumably.',
  configSchema: importConfigSchema,
  secretFields: [],
  example: {
    path: './exports/survey-2024-q1.csv',
    format: 'csv',
    mapping: { text: 'comment', externalId: 'response_id', rating: 'score', publishedAt: 'submitted_at' },
    ratingScale: 10,
    delimiter: ',',
    pageSize: 1000,
  },
  // Imports run by hand; if scheduled, a daily look for appended rows is plenty.
  defaultIntervalSeconds: 86_400,
  fetch: (config, cursor, ctx) => fetchImportPage(config, cursor, ctx),
});
