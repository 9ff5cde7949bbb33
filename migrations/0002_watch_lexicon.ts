import { type Kysely, sql } from 'kysely';

/**
 * Issue 5: a watch's own sentiment lexicon, and an index for filtering mentions by red-flag signal.
 * Runs unchanged on PGlite and PostgreSQL.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  // word or phrase -> weight on AFINN's -5..5 scale ({"sick": 3}); empty for most watches.
  await db.schema
    .alterTable('watches')
    .addColumn('lexicon', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  // `GET /mentions?signal=churn_intent` is a containment test (signals @> '[{"kind":"churn_intent"}]');
  // jsonb_path_ops keeps the index small and serves exactly that operator.
  await sql`create index mentions_signals_idx on mentions using gin (signals jsonb_path_ops)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists mentions_signals_idx`.execute(db);
  await db.schema.alterTable('watches').dropColumn('lexicon').execute();
}
