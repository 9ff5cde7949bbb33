/** Plain-text output helpers for the CLI: aligned tables and short durations, option checks. */

import { ValidationError } from '../core/errors.ts';

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  // The last column is not cut: it is where long text (error messages) goes.
  const cells = rows.map((r) =>
    columns.map((c, i) => formatCell(r[c], i === columns.length - 1 ? 2000 : 80)),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

function formatCell(v: unknown, max: number): string {
  if (v === null || v === undefined) return '-';
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v).replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

export function ago(date: Date | null, now = new Date()): string {
  if (!date) return 'never';
  const s = Math.round((now.getTime() - date.getTime()) / 1000);
  const abs = Math.abs(s);
  const unit =
    abs < 90
      ? `${abs}s`
      : abs < 5400
        ? `${Math.round(abs / 60)}m`
        : abs < 129600
          ? `${Math.round(abs / 3600)}h`
          : `${Math.round(abs / 86400)}d`;
  return s >= 0 ? `${unit} ago` : `in ${unit}`;
}

/** Parses repeated `key=value` options into an object (values that look like JSON are parsed). */
export function parseKeyValues(pairs: string[], what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${what} "${pair}" must look like key=value`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    if (/^(-?\d+(\.\d+)?|true|false|null|\[.*\]|\{.*\})$/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    setPath(out, key.split('.'), value);
  }
  return out;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) cur[last] = value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Checks an enumerated option such as `--state` and narrows its type: absent stays undefined, an
 * unknown value is a ValidationError naming the allowed ones.
 */
export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`--${flag} must be one of ${allowed.join(', ')}`, [
      { path: flag, message: 'invalid' },
    ]);
  }
  return value as T;
}

/** A `--limit` for list commands: 50 when unset or not a number, kept within 1..500. */
export function listLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit || 50, 1), 500);
}
