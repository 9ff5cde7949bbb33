import { TrustwatchError } from '../core/errors.ts';

/** PostgreSQL's unique_violation, raised the same way by pg and PGlite. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** Runs an insert; a unique violation on the name becomes a CONFLICT that names the field. */
export async function withNameConflict<T>(what: string, name: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new TrustwatchError('CONFLICT', `A ${what} named "${name}" already exists`, {
        cause: err,
        details: { field: 'name' },
      });
    }
    throw err;
  }
}
