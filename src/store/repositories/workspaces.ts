import type { Kysely } from 'kysely';
import type { WorkspaceRef } from '../../core/watch.ts';
import type { Database } from '../schema.ts';

export const DEFAULT_WORKSPACE_SLUG = 'default';

/** Returns the workspace with this slug, creating it if needed (idempotent, race-safe). */
export async function ensureWorkspace(
  db: Kysely<Database>,
  slug: string = DEFAULT_WORKSPACE_SLUG,
  name?: string,
): Promise<WorkspaceRef> {
  await db
    .insertInto('workspaces')
    .values({ slug, name: name ?? slug })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return db
    .selectFrom('workspaces')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
}

export async function findWorkspaceBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<WorkspaceRef | undefined> {
  return db
    .selectFrom('workspaces')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}
