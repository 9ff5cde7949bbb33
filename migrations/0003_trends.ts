import { type Kysely, sql } from 'kysely';

/**
 * Richer trends (issue 6): signal counts, ratings, reach and source mix in the hourly rollups; term,
 * hashtag and author counts per watch and hour; custom metric series. Runs unchanged on PGlite and
 * PostgreSQL. Existing rollups get zeros here; `trustwatch rollups rebuild` fills them from mentions.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  // Signals and source types as jsonb maps ({"churn_intent": 3}): a signal kind added to the scorer
  // is counted at once, without a migration, and a bucket stores only the kinds it saw.
  await db.schema
    .alterTable('rollups')
    .addColumn('signals', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('rating_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('followers_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('followers_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('engagement_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('rollups')
    .addColumn('sources', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  // The bounded term list of each mention (top terms after stop words, hashtags), extracted once at
  // ingest so that rollup deltas and rebuilds never re-tokenize. Null: stored before this migration;
  // `rollups rebuild` extracts it.
  await db.schema.alterTable('mentions').addColumn('terms', 'jsonb').execute();

  await db.schema
    .createTable('term_rollups')
    .addColumn('watch_id', 'uuid', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('term', 'hashtag', 'author')`))
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('mentions', 'integer', (c) => c.notNull())
    // Key order serves both reads: top terms of a window and one term's counts across buckets.
    .addPrimaryKeyConstraint('term_rollups_pkey', ['watch_id', 'kind', 'bucket_start', 'term'])
    .execute();

  await db.schema
    .createTable('metric_points')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('metric_points_pkey', ['workspace_id', 'name', 'at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('metric_points').ifExists().execute();
  await db.schema.dropTable('term_rollups').ifExists().execute();
  await db.schema.alterTable('mentions').dropColumn('terms').execute();
  for (const col of [
    'signals',
    'rating_sum',
    'rating_count',
    'followers_sum',
    'followers_count',
    'engagement_sum',
    'sources',
  ]) {
    await db.schema.alterTable('rollups').dropColumn(col).execute();
  }
}
