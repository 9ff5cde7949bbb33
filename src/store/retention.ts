import { type Kysely, sql } from 'kysely';
import { describeError } from '../core/errors.ts';
import type { AppLogger } from '../core/logger.ts';
import { addMonths, ensureMonthsAhead, listPartitions, monthOf } from './partitions.ts';
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

const RETENTION_LOCK_KEY = 'trustwatch:retention';
const DAY_MS = 24 * 60 * 60 * 1000;

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
    const done = await db.transaction().execute(async (trx) => {
      // Two processes running retention at once: the second waits here, then finds the month gone.
      await sql`select pg_advisory_xact_lock(hashtext(${RETENTION_LOCK_KEY}))`.execute(trx);
      const { rows: present } = await sql<{ n: number }>`
        select count(*)::int as n from unnest(${partitions}::text[]) p where to_regclass(quote_ident(p)) is not null
      `.execute(trx);
      if ((present[0]?.n ?? 0) === 0) return false;
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
      for (const [parent, name] of [
        ['mention_watches', entry.links],
        ['mentions', entry.mentions],
      ] as const) {
        if (!name) continue;
        await sql`alter table ${sql.table(parent)} detach partition ${sql.table(name)}`.execute(trx);
        await sql`drop table ${sql.table(name)}`.execute(trx);
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
      return true;
    });
    if (done) months.push(info);
  }
  return { cutoff, months, dryRun };
}

export interface PartitionMaintenanceOptions {
  /** TRUSTWATCH_RETENTION_MONTHS: 0 keeps everything. */
  retentionMonths: number;
  /** Default daily. */
  intervalMs?: number;
  now?: () => Date;
}

/**
 * The service's daily partition job: months ahead are created (current + next two), then retention
 * runs when it is on. Runs once at start, then every `intervalMs`. Every process of a deployment may
 * run it: both steps are idempotent and serialized by advisory locks. A failure is logged and retried
 * at the next run; ingest still creates a missing month on demand.
 */
export function startPartitionMaintenance(
  db: Kysely<Database>,
  log: AppLogger,
  opts: PartitionMaintenanceOptions,
): { ready: Promise<void>; stop(): Promise<void> } {
  const interval = opts.intervalMs ?? DAY_MS;
  const now = opts.now ?? (() => new Date());
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      const created = await ensureMonthsAhead(db, now());
      if (created.length) {
        log.info({ months: created.map((m) => m.toISOString().slice(0, 7)) }, 'created monthly partitions');
      }
      const result = await applyRetention(db, {
        keepMonths: opts.retentionMonths,
        now: now(),
        actor: 'scheduler',
      });
      for (const m of result.months) {
        log.info(
          { month: m.month.toISOString().slice(0, 7), mentions: m.mentions, reviewItems: m.reviewItems },
          'retention dropped a month of mentions',
        );
      }
    } catch (err) {
      log.warn({ err: describeError(err) }, 'partition maintenance failed; retrying at the next run');
    }
  };
  running = run();
  const timer = setInterval(() => {
    running = running.then(run);
  }, interval);
  timer.unref();
  return {
    ready: running,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
