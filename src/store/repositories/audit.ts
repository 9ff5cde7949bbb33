import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

export interface AuditEntry {
  workspaceId: string | null;
  /** Who did it: `token:<id>`, `cli`, `scheduler`, `demo`. */
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Never secrets: callers pass redacted configs. */
  details?: Record<string, unknown>;
}

export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: entry.workspaceId,
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
