import type { Kysely, Transaction } from 'kysely';
import type { Selectable } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import {
  type ReviewRule,
  type ReviewRuleActions,
  type ReviewRuleMatch,
  validateReviewRule,
} from '../../core/review.ts';
import { isUuid } from '../ids.ts';
import type { Database, ReviewRulesTable } from '../schema.ts';
import { withNameConflict } from '../unique.ts';
import { recordAudit } from './audit.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredReviewRule extends ReviewRule {
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReviewRuleInput {
  name: string;
  enabled?: boolean | undefined;
  position?: number | undefined;
  match: ReviewRuleMatch;
  actions: ReviewRuleActions;
}

function toRule(row: Selectable<ReviewRulesTable>): StoredReviewRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    match: row.match as ReviewRuleMatch,
    actions: row.actions as ReviewRuleActions,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The workspace's rules in the order they apply. */
export async function listReviewRules(
  db: Db,
  workspaceId: string,
  opts: { enabledOnly?: boolean } = {},
): Promise<StoredReviewRule[]> {
  let q = db.selectFrom('review_rules').selectAll().where('workspace_id', '=', workspaceId);
  if (opts.enabledOnly) q = q.where('enabled', '=', true);
  const rows = await q.orderBy('position').orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

export async function getReviewRule(db: Db, workspaceId: string, id: string): Promise<StoredReviewRule> {
  if (!isUuid(id)) throw new NotFoundError('Review rule', id);
  const row = await db
    .selectFrom('review_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Review rule', id);
  return toRule(row);
}

/** Drops empty conditions so that stored rules only say what they check. */
function cleanMatch(m: ReviewRuleMatch): ReviewRuleMatch {
  const out: ReviewRuleMatch = {};
  if (m.signals?.length) out.signals = [...new Set(m.signals)];
  if (m.authors?.length) out.authors = [...new Set(m.authors.map((a) => a.replace(/^@/, '')))];
  if (m.negativeHighReach) out.negativeHighReach = true;
  if (m.query?.trim()) out.query = m.query.trim();
  if (m.watchId) out.watchId = m.watchId;
  return out;
}

function cleanActions(a: ReviewRuleActions): ReviewRuleActions {
  const out: ReviewRuleActions = {};
  if (a.assign) out.assign = a.assign;
  if (a.dismiss) out.dismiss = true;
  if (a.priority) out.priority = a.priority;
  if (a.tags?.length) out.tags = [...new Set(a.tags)];
  return out;
}

export async function createReviewRule(
  db: Kysely<Database>,
  workspaceId: string,
  input: ReviewRuleInput,
  actor: string,
): Promise<StoredReviewRule> {
  const match = cleanMatch(input.match);
  const actions = cleanActions(input.actions);
  validateReviewRule(match, actions);
  const row = await withNameConflict('review rule', input.name, () =>
    db
      .insertInto('review_rules')
      .values({
        workspace_id: workspaceId,
        name: input.name,
        enabled: input.enabled ?? true,
        position: input.position ?? 0,
        match: JSON.stringify(match),
        actions: JSON.stringify(actions),
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  await recordAudit(db, {
    workspaceId,
    actor,
    action: 'review_rule.create',
    targetType: 'review_rule',
    targetId: row.id,
    details: { name: row.name, match, actions },
  });
  return toRule(row);
}

export async function updateReviewRule(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  patch: Partial<ReviewRuleInput>,
  actor: string,
): Promise<StoredReviewRule> {
  const current = await getReviewRule(db, workspaceId, id);
  const match = cleanMatch(patch.match ?? current.match);
  const actions = cleanActions(patch.actions ?? current.actions);
  validateReviewRule(match, actions);
  const name = patch.name ?? current.name;
  const row = await withNameConflict('review rule', name, () =>
    db
      .updateTable('review_rules')
      .set({
        name,
        enabled: patch.enabled ?? current.enabled,
        position: patch.position ?? current.position,
        match: JSON.stringify(match),
        actions: JSON.stringify(actions),
        updated_at: new Date(),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  await recordAudit(db, {
    workspaceId,
    actor,
    action: 'review_rule.update',
    targetType: 'review_rule',
    targetId: id,
    details: { name, enabled: row.enabled, match, actions },
  });
  return toRule(row);
}

export async function deleteReviewRule(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  actor: string,
): Promise<void> {
  const rule = await getReviewRule(db, workspaceId, id);
  await db.deleteFrom('review_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  await recordAudit(db, {
    workspaceId,
    actor,
    action: 'review_rule.delete',
    targetType: 'review_rule',
    targetId: id,
    details: { name: rule.name },
  });
}
