import { type Kysely, sql } from 'kysely';

/**
 * Dashboard sign-in sessions: a browser exchanges an API token for a random session id kept in an
 * HttpOnly cookie. Only the id's sha256 is stored (a database leak yields no usable cookie); the session
 * acts with its token's role and workspace, so revoking the token (or deleting it) ends its sessions.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_id', 'uuid', (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Sign-in sweeps expired sessions; revocation looks them up by token.
  await db.schema
    .createIndex('dashboard_sessions_expires_idx')
    .on('dashboard_sessions')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('dashboard_sessions_token_idx')
    .on('dashboard_sessions')
    .column('token_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_sessions').ifExists().execute();
}
