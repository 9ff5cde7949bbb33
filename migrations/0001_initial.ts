import { type Kysely, sql } from 'kysely';

/**
 * The initial schema. Runs unchanged on PGlite and PostgreSQL.
 * Ids are uuids except for the high-volume tables (mentions, audit_log), which use bigint identities.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  const uuid = sql`gen_random_uuid()`;

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('watches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('brand', 'competitor')`))
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('exclusions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('owned_handles', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('competitor_of', 'uuid', (c) => c.references('watches.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('watches_workspace_name_key', ['workspace_id', 'name'])
    .execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('watch_id', 'uuid', (c) => c.references('watches.id').onDelete('set null'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('cursor', 'jsonb')
    .addColumn('next_poll_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_polled_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_stats', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('sources_workspace_name_key', ['workspace_id', 'name'])
    .execute();
  // The scheduler's "what is due" query.
  await db.schema.createIndex('sources_due_idx').on('sources').columns(['enabled', 'next_poll_at']).execute();

  await db.schema
    .createTable('mentions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('source_id', 'uuid', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('canonical_url', 'text')
    .addColumn('author_name', 'text')
    .addColumn('author_handle', 'text')
    .addColumn('author_followers', 'integer')
    .addColumn('title', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addColumn('engagement', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('rating', 'real')
    .addColumn('rating_scale', 'real')
    .addColumn('parent_id', 'text')
    .addColumn('thread_id', 'text')
    .addColumn('sentiment_score', 'real', (c) => c.notNull())
    .addColumn('sentiment_label', 'text', (c) => c.notNull())
    .addColumn('signals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('duplicate_of', 'bigint')
    .addColumn('raw', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('mentions_source_external_key', ['source_id', 'external_id'])
    .execute();
  // Dedupe look-ups: same canonical URL / same text in the workspace.
  await db.schema
    .createIndex('mentions_canonical_url_idx')
    .on('mentions')
    .columns(['workspace_id', 'canonical_url'])
    .where(sql.ref('canonical_url'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('mentions_text_hash_idx')
    .on('mentions')
    .columns(['workspace_id', 'text_hash', 'published_at'])
    .execute();
  // Listing by source, newest first.
  await db.schema
    .createIndex('mentions_source_published_idx')
    .on('mentions')
    .columns(['source_id', 'published_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('mentions_workspace_published_idx')
    .on('mentions')
    .columns(['workspace_id', 'published_at desc', 'id desc'])
    .execute();

  await db.schema
    .createTable('mention_watches')
    .addColumn('mention_id', 'bigint', (c) => c.notNull().references('mentions.id').onDelete('cascade'))
    .addColumn('watch_id', 'uuid', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sentiment_score', 'real', (c) => c.notNull())
    .addColumn('sentiment_label', 'text', (c) => c.notNull())
    .addColumn('owned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('duplicate', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('matched_terms', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addPrimaryKeyConstraint('mention_watches_pkey', ['watch_id', 'mention_id'])
    .execute();
  // Listing a watch's mentions newest first, and rebuilding its rollup buckets.
  await db.schema
    .createIndex('mention_watches_watch_published_idx')
    .on('mention_watches')
    .columns(['watch_id', 'published_at desc', 'mention_id desc'])
    .execute();
  await db.schema
    .createIndex('mention_watches_mention_idx')
    .on('mention_watches')
    .column('mention_id')
    .execute();

  await db.schema
    .createTable('rollups')
    .addColumn('watch_id', 'uuid', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('mentions', 'integer', (c) => c.notNull())
    .addColumn('positive', 'integer', (c) => c.notNull())
    .addColumn('negative', 'integer', (c) => c.notNull())
    .addColumn('neutral', 'integer', (c) => c.notNull())
    .addColumn('sentiment_sum', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('rollups_pkey', ['watch_id', 'bucket_start'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('watch_id', 'uuid', (c) => c.references('watches.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('info', 'warning', 'critical')`))
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`state in ('open', 'acknowledged', 'resolved')`),
    )
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('alerts_workspace_state_idx')
    .on('alerts')
    .columns(['workspace_id', 'state', 'opened_at desc'])
    .execute();
  await db.schema
    .createIndex('alerts_dedupe_idx')
    .on('alerts')
    .columns(['workspace_id', 'dedupe_key'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('alert_id', 'uuid', (c) => c.references('alerts.id').onDelete('cascade'))
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`state in ('pending', 'sending', 'delivered', 'dead')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  // The outbox worker's "what is due" query.
  await db.schema
    .createIndex('deliveries_due_idx')
    .on('deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'reviewer', 'admin')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workspace_id', 'uuid', (c) => c.references('workspaces.id').onDelete('cascade'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('audit_log_workspace_at_idx')
    .on('audit_log')
    .columns(['workspace_id', 'at desc'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'api_tokens',
    'deliveries',
    'alerts',
    'rollups',
    'mention_watches',
    'mentions',
    'sources',
    'watches',
    'workspaces',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
