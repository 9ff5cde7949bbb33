import { type Kysely, sql } from 'kysely';

/**
 * Many workers on one PostgreSQL: a source is polled by whoever holds its lease (owner and expiry on
 * the row, extended by heartbeats, taken over once expired), and once-per-slot jobs (the hourly
 * detection run) are claimed in `job_leases` so that only one process runs each slot.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sources').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('sources').addColumn('lease_expires_at', 'timestamptz').execute();
  // Claims look for due sources whose lease is free or expired; leased rows are few, so the existing
  // (enabled, next_poll_at) index serves the due scan and this one the heartbeat and release by owner.
  await db.schema
    .createIndex('sources_lease_owner_idx')
    .on('sources')
    .column('lease_owner')
    .where(sql.ref('lease_owner'), 'is not', null)
    .execute();

  await db.schema
    .createTable('job_leases')
    // What runs (`detection`) and which slot of it (the bucket start, as ISO text).
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('job_leases_pkey', ['job', 'slot'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_leases').ifExists().execute();
  await db.schema.dropIndex('sources_lease_owner_idx').ifExists().execute();
  await db.schema.alterTable('sources').dropColumn('lease_expires_at').execute();
  await db.schema.alterTable('sources').dropColumn('lease_owner').execute();
}
