import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { TrustwatchError } from '../core/errors.ts';

export interface MigrateOutcome {
  applied: string[];
}

/** Brings the schema up to date. Safe to run on every start: applied migrations are skipped. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema type.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  // Kysely looks for its bookkeeping tables in every schema; pinning them to the current schema keeps
  // two trustwatch databases in one PostgreSQL (or parallel test runs, one schema each) apart.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new TrustwatchError('DATABASE', `Migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return { applied };
}
