import { type Kysely, sql } from 'kysely';
import { addMonths, listPartitions, monthOf } from './partitions.ts';
import { recordAudit } from './repositories/audit.ts';
import type { Database } from './schema.ts';

/**
 * Retention (TRUSTWATCH_RETENTION_MONTHS): whole monthly partitions of `mentions` and
 * `mention_watches` older than the kept window are detached and dropped, which frees their space at
 * once and costs nothing per row (a DELETE of millions of rows would bloat the table and take hours).
 * Rollups and term rollups are kept, so trends and alerts over the dropped months stay as they were.
 * Review items of the dropped mentions go with them (they point at mentions that no longer exist);
 * their notes and history follow by cascade.
 */

export interface RetentionMonth {
  month: Date;
  /** Partition names, mentions first. */
  partitions: string[];
  mentions: number;
  links: number;
  reviewItems: number;
  bytes: number;
}

export interface RetentionResult {
  /** Months before this one are dropped (null: retention off). */
  cutoff: Date | null;
  months: RetentionMonth[];
  dryRun: boolean;
}

/** First kept month: the current month minus `keepMonths`. */
export function retentionCutoff(keepMonths: number, now = new Date()): Date {
  return addMonths(monthOf(now), -keepMonths);
}

/**
 * Drops the months before the cutoff (or, with `dryRun`, only says what it would drop). `keepMonths`
 * 0 means retention is off: nothing is dropped. Each month goes in its own short transaction and is
 * audit-logged, so an interrupted run keeps what it did and the next run continues.
 */
export async function applyRetention(
  db: Kysely<Database>,
  opts: { keepMonths: number; dryRun?: boolean; now?: Date; actor?: string },
): Promise<RetentionResult> {
  const dryRun = opts.dryRun ?? false;
  if (!(opts.keepMonths > 0)) return { cutoff: null, months: [], dryRun };
  const cutoff = retentionCutoff(opts.keepMonths, opts.now);
  const byMonth = new Map<number, { month: Date; mentions?: string; links?: string }>();
  for (const p of await listPartitions(db)) {
    if (p.month.getTime() >= cutoff.getTime()) continue;
    const entry = byMonth.get(p.month.getTime()) ?? { month: p.month };
    if (p.table === 'mentions') entry.mentions = p.name;
    else entry.links = p.name;
    byMonth.set(p.month.getTime(), entry);
  }
  const months: RetentionMonth[] = [];
  for (const entry of [...byMonth.values()].sort((a, b) => a.month.getTime() - b.month.getTime())) {
    const from = entry.month;
    const to = addMonths(from, 1);
    const partitions = [entry.mentions, entry.links].filter((n): n is string => n !== undefined);
    const count = async (table: string | undefined) =>
      table
        ? Number(
            (await sql<{ n: number }>`select count(*)::bigint as n from ${sql.table(table)}`.execute(db))
              .rows[0]?.n ?? 0,
          )
        : 0;
    const bytes = Number(
      (
        await sql<{ n: number }>`
          select coalesce(sum(pg_total_relation_size(to_regclass(quote_ident(p)))), 0)::bigint as n
          from unnest(${partitions}::text[]) p
        `.execute(db)
      ).rows[0]?.n ?? 0,
    );
    const info: RetentionMonth = {
      month: from,
      partitions,
      mentions: await count(entry.mentions),
      links: await count(entry.links),
      reviewItems: 0,
      bytes,
    };
    const items = db
      .selectFrom('review_items')
      .where('published_at', '>=', from)
      .where('published_at', '<', to);
    if (dryRun) {
      info.reviewItems = Number(
        (await items.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0,
      );
      months.push(info);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      // Review items reference the month's mentions by (id, published_at, workspace_id): they go first,
      // or detaching the partition would violate their foreign key.
      const deleted = await trx
        .deleteFrom('review_items')
        .where('published_at', '>=', from)
        .where('published_at', '<', to)
        .executeTakeFirst();
      info.reviewItems = Number(deleted.numDeletedRows ?? 0);
      // Links first (they reference mentions), then the mentions. DETACH before DROP: a partition of a
      // table other tables reference cannot be dropped while attached.
      if (entry.links) {
        await sql`alter table mention_watches detach partition ${sql.table(entry.links)}`.execute(trx);
        await sql`drop table ${sql.table(entry.links)}`.execute(trx);
      }
      if (entry.mentions) {
        await sql`alter table mentions detach partition ${sql.table(entry.mentions)}`.execute(trx);
        await sql`drop table ${sql.table(entry.mentions)}`.execute(trx);
      }
      await recordAudit(trx, {
        workspaceId: null,
        actor: opts.actor ?? 'retention',
        action: 'retention.drop_month',
        targetType: 'partition',
        targetId: partitions.join(','),
        details: {
          month: from.toISOString().slice(0, 7),
          keepMonths: opts.keepMonths,
          mentions: info.mentions,
          links: info.links,
          reviewItems: info.reviewItems,
          bytes: info.bytes,
        },
      });
    });
    months.push(info);
  }
  return { cutoff, months, dryRun };
}
