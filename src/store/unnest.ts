import { type RawBuilder, sql } from 'kysely';

/**
 * Batched writes as `INSERT ... SELECT FROM unnest($1::type[], $2::type[], ...)`: one parameter per
 * column instead of one per value, which PostgreSQL (and PGlite) plan and parse many times faster
 * than a multi-row VALUES list of thousands of parameters.
 */
export interface UnnestColumn {
  name: string;
  /** PostgreSQL element type: text, uuid, int, bigint, real, float8, bool, timestamptz, jsonb. */
  type: string;
  values: unknown[];
}

export function unnestSelect(columns: UnnestColumn[]): RawBuilder<unknown> {
  const arrays = columns.map((c) => sql`${c.values}::${sql.raw(c.type)}[]`);
  const names = columns.map((c) => sql.ref(c.name));
  return sql`select * from unnest(${sql.join(arrays)}) as t(${sql.join(names)})`;
}

export function columnList(columns: UnnestColumn[]): RawBuilder<unknown> {
  return sql`(${sql.join(columns.map((c) => sql.ref(c.name)))})`;
}

/**
 * JSON text safe for a jsonb column: PostgreSQL rejects the NUL character (\u0000) in jsonb strings,
 * and one upstream item carrying it must not fail its whole batch.
 */
export function toJsonb(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1');
}
