import type { MentionView } from '../../store/repositories/mentions.ts';

/**
 * CSV per RFC 4180: comma-separated, CRLF line ends, a field quoted (with `"` doubled) when it holds
 * a comma, a quote, CR or LF. Text that a spreadsheet would run as a formula (a cell starting with
 * `=`, `+`, `-`, `@`, tab or CR: CSV/formula injection, e.g. `=HYPERLINK(...)` in a post) gets a
 * leading single quote, so it is shown as text. Numbers we write ourselves (scores, counts) are not
 * text and are left as they are, so a negative score stays a number.
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

/** One field: numbers and booleans as written, null/undefined empty, text guarded and quoted as needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The export's columns: the list API's fields, flattened (author.*, sentiment.*), in this order. */
export const MENTION_CSV_COLUMNS = [
  'id',
  'publishedAt',
  'sourceId',
  'externalId',
  'url',
  'title',
  'text',
  'authorName',
  'authorHandle',
  'authorFollowers',
  'language',
  'sentimentScore',
  'sentimentLabel',
  'signals',
  'rating',
  'ratingScale',
  'engagement',
  'parentId',
  'threadId',
  'duplicateOf',
  'fetchedAt',
] as const;

export function mentionCsvHeader(): string {
  return csvRecord(MENTION_CSV_COLUMNS);
}

/** Signal kinds once each, `;`-separated (`complaint;churn_intent`). */
function signalKinds(signals: unknown[]): string {
  const kinds = signals.map((s) => (s && typeof s === 'object' && 'kind' in s ? String(s.kind) : ''));
  return [...new Set(kinds.filter(Boolean))].join(';');
}

export function mentionCsvRecord(m: MentionView): string {
  const engagement = Object.keys(m.engagement ?? {}).length ? JSON.stringify(m.engagement) : '';
  return csvRecord([
    m.id,
    m.publishedAt.toISOString(),
    m.sourceId,
    m.externalId,
    m.url,
    m.title,
    m.text,
    m.author.name,
    m.author.handle,
    m.author.followers,
    m.language,
    m.sentiment.score,
    m.sentiment.label,
    signalKinds(m.signals),
    m.rating,
    m.ratingScale,
    engagement,
    m.parentId,
    m.threadId,
    m.duplicateOf,
    m.fetchedAt.toISOString(),
  ]);
}

/** The last line of an export that stopped part-way: not a record, so a reader cannot mistake the file for complete. */
export function csvErrorLine(code: string): string {
  return `# error: ${code}\r\n`;
}
