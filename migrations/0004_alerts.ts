import { type Kysely, sql } from 'kysely';

/**
 * Alerting: routes (which alerts go where), the history of each alert, and what the outbox worker
 * needs on `deliveries` (route, lease, first due time for the deadline, last response).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  const uuid = sql`gen_random_uuid()`;

  await db.schema
    .createTable('alert_routes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // null: every watch of the workspace.
    .addColumn('watch_id', 'uuid', (c) => c.references('watches.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('slack', 'webhook')`))
    // { url, secret? }: secrets, never returned by the API.
    .addColumn('config', 'jsonb', (c) => c.notNull())
    // Alert kinds routed here; empty means all.
    .addColumn('kinds', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('min_severity', 'text', (c) =>
      c.notNull().defaultTo('warning').check(sql`min_severity in ('info', 'warning', 'critical')`),
    )
    .addColumn('cooldown_seconds', 'integer', (c) => c.notNull().defaultTo(600))
    // { start: 'HH:MM', end: 'HH:MM' } in time_zone, or null.
    .addColumn('quiet_hours', 'jsonb')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('digest', 'text', (c) =>
      c.notNull().defaultTo('off').check(sql`digest in ('off', 'daily', 'weekly')`),
    )
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('alert_routes_workspace_name_key', ['workspace_id', 'name'])
    .execute();

  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('alert_id', 'uuid', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('alert_events_alert_idx')
    .on('alert_events')
    .columns(['alert_id', 'id'])
    .execute();

  await db.schema
    .alterTable('alerts')
    .addColumn('detection_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('alerts').addColumn('last_detected_at', 'timestamptz').execute();
  await db.schema.alterTable('alerts').addColumn('last_bucket_start', 'timestamptz').execute();
  await db.schema.alterTable('alerts').addColumn('acknowledged_by', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('resolved_by', 'text').execute();
  // One live (open or acknowledged) alert per incident: concurrent detectors cannot open two.
  await db.schema
    .createIndex('alerts_live_dedupe_key')
    .on('alerts')
    .columns(['workspace_id', 'dedupe_key'])
    .unique()
    .where(sql.ref('state'), '<>', 'resolved')
    .execute();

  await db.schema
    .alterTable('deliveries')
    .addColumn('route_id', 'uuid', (c) => c.references('alert_routes.id').onDelete('set null'))
    .execute();
  for (const [name, type] of [
    ['event', 'text'],
    ['lease_owner', 'text'],
    ['lease_until', 'timestamptz'],
    ['due_at', 'timestamptz'],
    ['last_attempt_at', 'timestamptz'],
    ['last_status', 'integer'],
    ['dead_at', 'timestamptz'],
  ] as const) {
    await db.schema.alterTable('deliveries').addColumn(name, type).execute();
  }
  // Insertion order, to send the messages of one alert in the order they were written.
  await db.schema
    .alterTable('deliveries')
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .execute();
  await sql`update deliveries set event = 'alert.opened', due_at = created_at`.execute(db);
  await db.schema
    .createIndex('deliveries_alert_route_idx')
    .on('deliveries')
    .columns(['alert_id', 'route_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('deliveries_workspace_created_idx')
    .on('deliveries')
    .columns(['workspace_id', 'created_at desc'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_workspace_created_idx').ifExists().execute();
  await db.schema.dropIndex('deliveries_alert_route_idx').ifExists().execute();
  for (const col of [
    'seq',
    'dead_at',
    'last_status',
    'last_attempt_at',
    'due_at',
    'lease_until',
    'lease_owner',
    'event',
    'route_id',
  ]) {
    await db.schema.alterTable('deliveries').dropColumn(col).execute();
  }
  await db.schema.dropIndex('alerts_live_dedupe_key').ifExists().execute();
  for (const col of [
    'resolved_by',
    'acknowledged_by',
    'last_bucket_start',
    'last_detected_at',
    'detection_count',
  ]) {
    await db.schema.alterTable('alerts').dropColumn(col).execute();
  }
  await db.schema.dropTable('alert_events').ifExists().execute();
  await db.schema.dropTable('alert_routes').ifExists().execute();
}
