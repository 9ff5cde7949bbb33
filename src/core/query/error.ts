import { TrustwatchError } from '../errors.ts';

/**
 * A watch query that does not parse. `position` is the 0-based offset in the query (a JavaScript
 * string index, i.e. UTF-16 code units) of the problem; it is also in `details.position` so the API
 * can return it without knowing this class.
 */
export class QueryParseError extends TrustwatchError {
  readonly position: number;

  constructor(message: string, position: number) {
    super('QUERY_SYNTAX', message, { details: { position } });
    this.name = 'QueryParseError';
    this.position = position;
  }
}

export function isQueryParseError(err: unknown): err is QueryParseError {
  return err instanceof QueryParseError;
}

// Terminal width of one code point: 0 for marks and joiners, 2 for East Asian wide and emoji.
const ZERO_WIDTH = /^[\p{M}\u200b-\u200f\u2060\p{Variation_Selector}]$/u;
const WIDE =
  /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\u3000-\u303f\uff00-\uff60\uffe0-\uffe6\p{Extended_Pictographic}]$/u;

function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

/** Tabs, newlines and other controls would shift the caret; show them as one space each. */
function printable(s: string): string {
  return s.replace(/\p{Cc}/gu, ' ');
}

// Lines longer than this are cut around the error so the caret stays on screen.
const WINDOW_BEFORE = 50;
const WINDOW_AFTER = 30;

/**
 * The query with a caret under the error position, then the message; for CLI output:
 *
 *     telvana AND (outage
 *                 ^
 *     Unclosed "(" at position 12 (expected ")")
 *
 * Only the line of a multi-line query holding the error is shown, and long lines are cut with "…".
 */
export function formatQueryError(query: string, err: QueryParseError): string {
  const pos = Math.max(0, Math.min(err.position, query.length));
  const lineStart = pos === 0 ? 0 : query.lastIndexOf('\n', pos - 1) + 1;
  const newline = query.indexOf('\n', pos);
  const lineEnd = newline === -1 ? query.length : newline;
  let before = query.slice(lineStart, pos);
  let after = query.slice(pos, lineEnd);
  let prefix = '';
  let suffix = '';
  if (before.length > WINDOW_BEFORE) {
    before = Array.from(before).slice(-WINDOW_BEFORE).join('');
    prefix = '…';
  }
  if (after.length > WINDOW_AFTER) {
    after = Array.from(after).slice(0, WINDOW_AFTER).join('');
    suffix = '…';
  }
  const shown = printable(prefix + before);
  const line = `${shown}${printable(after)}${suffix}`;
  return `${line}\n${' '.repeat(displayWidth(shown))}^\n${err.message}`;
}
