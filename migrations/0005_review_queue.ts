import { type Kysely, sql } from 'kysely';

/**
 * The comms review queue: one item per (mention, watch) that needs a human, its notes and history,
 * and the workspace's rules that auto-assign, auto-dismiss, prioritise and tag what enters.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;
  const uuid = sql`gen_random_uuid()`;

  await db.schema
    .createTable('review_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // Rules apply in this order (then by creation): the first that assigns wins.
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    // { signals?, authors?, negativeHighReach?, query?, watchId? }
    .addColumn('match', 'jsonb', (c) => c.notNull())
    // { assign?, dismiss?, priority?, tags? }
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('review_rules_workspace_name_key', ['workspace_id', 'name'])
    .execute();

  await db.schema
    .createTable('review_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(uuid))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('mention_id', 'bigint', (c) => c.notNull().references('mentions.id').onDelete('cascade'))
    .addColumn('watch_id', 'uuid', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('new')
        .check(sql`state in ('new', 'in_review', 'responded', 'escalated', 'dismissed')`),
    )
    .addColumn('assignee', 'text')
    .addColumn('tags', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('priority', 'text', (c) =>
      c.notNull().defaultTo('normal').check(sql`priority in ('low', 'normal', 'high', 'urgent')`),
    )
    // Why it entered: [{type: 'signal', kinds}, {type: 'negative_high_reach', ...}, {type: 'rule', ruleId, name}]
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The mention's signal kinds, for the `signal` filter without reading mentions.
    .addColumn('signal_kinds', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // When the post was published: first-response time counts from here, as the customer waits.
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('responded_at', 'timestamptz')
    .addColumn('response_url', 'text')
    .addColumn('first_response_seconds', 'integer')
    .addUniqueConstraint('review_items_mention_watch_key', ['mention_id', 'watch_id'])
    .execute();
  // The list: a workspace's items, newest posts first (keyset on published_at, id).
  await db.schema
    .createIndex('review_items_workspace_published_idx')
    .on('review_items')
    .columns(['workspace_id', 'published_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('review_items_workspace_state_idx')
    .on('review_items')
    .columns(['workspace_id', 'state'])
    .execute();
  // Stats: responses per watch over a window.
  await db.schema
    .createIndex('review_items_watch_responded_idx')
    .on('review_items')
    .columns(['watch_id', 'responded_at'])
    .where(sql.ref('responded_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('review_notes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('review_items.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('review_notes_item_idx')
    .on('review_notes')
    .columns(['item_id', 'id'])
    .execute();

  await db.schema
    .createTable('review_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('review_items.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('review_history_item_idx')
    .on('review_history')
    .columns(['item_id', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('review_history').ifExists().execute();
  await db.schema.dropTable('review_notes').ifExists().execute();
  await db.schema.dropTable('review_items').ifExists().execute();
  await db.schema.dropTable('review_rules').ifExists().execute();
}
