import type { MentionView } from '../../store/repositories/mentions.ts';

/**
 * JSON Lines: one mention per line, the same object as an item of GET /api/v1/mentions (dates as
 * ISO 8601 strings). JSON.stringify escapes CR and LF inside strings, so a record is always one line;
 * U+2028/U+2029 are escaped too, for readers that treat them as line ends.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}\n`;
}

export function mentionJsonLine(m: MentionView): string {
  return jsonLine(m);
}

/** The last line of an export that stopped part-way, with the error's stable code. */
export function jsonlErrorLine(code: string, message: string): string {
  return jsonLine({ error: { code, message } });
}
