import type { Kysely } from 'kysely';
import { NotFoundError, TrustwatchError, ValidationError } from '../../core/errors.ts';
import type { WorkspaceRef } from '../../core/watch.ts';
import { isUuid } from '../ids.ts';
import type { Database } from '../schema.ts';
import { isUniqueViolation } from '../unique.ts';
import { recordAudit } from './audit.ts';

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

/** A workspace as the API and CLI show it, with what it holds. */
export interface WorkspaceSummary extends WorkspaceRef {
  createdAt: Date;
  counts: { watches: number; sources: number; tokens: number };
}

/** Lower-case letters, digits and inner hyphens: slugs appear in URLs and CLI flags. */
export const WORKSPACE_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Summaries of the given workspaces (all when `ids` is absent), oldest first. `tokens` counts the
 * active (unrevoked) API tokens.
 */
async function summaries(db: Kysely<Database>, ids?: string[]): Promise<WorkspaceSummary[]> {
  let q = db
    .selectFrom('workspaces as w')
    .select((eb) => [
      'w.id',
      'w.slug',
      'w.name',
      'w.created_at',
      eb
        .selectFrom('watches')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('watches.workspace_id', '=', 'w.id')
        .as('watches'),
      eb
        .selectFrom('sources')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('sources.workspace_id', '=', 'w.id')
        .as('sources'),
      eb
        .selectFrom('api_tokens')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('api_tokens.workspace_id', '=', 'w.id')
        .where('api_tokens.revoked_at', 'is', null)
        .as('tokens'),
    ])
    .orderBy('w.created_at')
    .orderBy('w.slug');
  if (ids) q = q.where('w.id', 'in', ids);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    createdAt: r.created_at,
    counts: {
      watches: Number(r.watches ?? 0),
      sources: Number(r.sources ?? 0),
      tokens: Number(r.tokens ?? 0),
    },
  }));
}

/** The workspace with its counts; NOT_FOUND if it was deleted under a still-cached token. */
export async function getWorkspaceSummary(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<WorkspaceSummary> {
  if (!isUuid(workspaceId)) throw new NotFoundError('Workspace', workspaceId);
  const [summary] = await summaries(db, [workspaceId]);
  if (!summary) throw new NotFoundError('Workspace', workspaceId);
  return summary;
}

export async function listWorkspaces(db: Kysely<Database>): Promise<WorkspaceSummary[]> {
  return summaries(db);
}

/**
 * Creates a workspace (an install-admin job: the CLI, never the API). CONFLICT if the slug is taken,
 * VALIDATION if it is not a slug.
 */
export async function createWorkspace(
  db: Kysely<Database>,
  input: { slug: string; name?: string | undefined },
  actor: string,
): Promise<WorkspaceSummary> {
  if (!WORKSPACE_SLUG.test(input.slug)) {
    throw new ValidationError(
      `Invalid workspace slug "${input.slug}": use lower-case letters, digits and inner hyphens (at most 63)`,
      [{ path: 'slug', message: 'lower-case letters, digits and inner hyphens, at most 63 characters' }],
    );
  }
  const name = input.name?.trim() || input.slug;
  let row: { id: string };
  try {
    row = await db
      .insertInto('workspaces')
      .values({ slug: input.slug, name })
      .returning('id')
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new TrustwatchError('CONFLICT', `A workspace with slug "${input.slug}" already exists`, {
        cause: err,
        details: { field: 'slug' },
      });
    }
    throw err;
  }
  await recordAudit(db, {
    workspaceId: row.id,
    actor,
    action: 'workspace.create',
    targetType: 'workspace',
    targetId: row.id,
    details: { slug: input.slug, name },
  });
  return getWorkspaceSummary(db, row.id);
}

/** Renames a workspace (the slug stays: scripts and CLI flags use it). Audited with the old name. */
export async function renameWorkspace(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
  actor: string,
): Promise<WorkspaceSummary> {
  const before = await getWorkspaceSummary(db, workspaceId);
  if (before.name !== name) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('workspaces').set({ name }).where('id', '=', workspaceId).execute();
      await recordAudit(trx, {
        workspaceId,
        actor,
        action: 'workspace.rename',
        targetType: 'workspace',
        targetId: workspaceId,
        details: { from: before.name, to: name },
      });
    });
  }
  return { ...before, name };
}
