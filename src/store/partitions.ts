import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Monthly partitions of `mentions` and `mention_watches` (migration 0007): one partition per calendar
 * month (UTC) of `published_at`, named `<table>_pYYYY_MM`. A row whose month has no partition cannot
 * be stored, so partitions are created ahead by the service (the current and next two months, at start
 * and daily) and on demand by ingest for older months (an import of old posts).
 */

/** Partitioned tables, in the order they are created and locked (mentions first, as writers do). */
export const PARTITIONED_TABLES = ['mentions', 'mention_watches'] as const;

/** How many months past the current one the service keeps ready. */
export const MONTHS_AHEAD = 2;

/** Serializes partition creation across processes: two workers must not race one CREATE TABLE. */
const PARTITION_LOCK_KEY = 'trustwatch:partitions';

type Db = Kysely<Database> | Transaction<Database>;

/** Start (UTC) of the month containing `at`. */
export function monthOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function addMonths(month: Date, n: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));
}

/** `mentions_p2026_11` for November 2026. */
export function partitionName(table: string, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month a partition name stands for, or null for a name this module did not make. */
export function monthOfPartition(table: string, name: string): Date | null {
  const m = new RegExp(`^${table}_p(\\d{4})_(\\d{2})$`).exec(name);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return new Date(Date.UTC(Number(m[1]), month - 1, 1));
}

function distinctMonths(dates: Iterable<Date>): Date[] {
  const byTime = new Map<number, Date>();
  for (const d of dates) {
    const m = monthOf(d);
    byTime.set(m.getTime(), m);
  }
  return [...byTime.values()].sort((a, b) => a.getTime() - b.getTime());
}

/**
 * Of the months of `dates`, those without a partition yet (one catalog look-up). Checks the last
 * table created for a month, so a month counts as present only when all its partitions are.
 */
export async function missingMonths(db: Db, dates: Iterable<Date>): Promise<Date[]> {
  const months = distinctMonths(dates);
  if (months.length === 0) return [];
  const last = PARTITIONED_TABLES[PARTITIONED_TABLES.length - 1] as string;
  const names = months.map((m) => partitionName(last, m));
  const { rows } = await sql<{ name: string }>`
    select n as name from unnest(${names}::text[]) n where to_regclass(quote_ident(n)) is null
  `.execute(db);
  const missing = new Set(rows.map((r) => r.name));
  return months.filter((m) => missing.has(partitionName(last, m)));
}

/**
 * Creates the partitions of these months that do not exist yet, in the caller's transaction (or its
 * own), and returns the months it created. Safe under concurrency: a transaction-scoped advisory lock
 * makes a second creator wait for the first to commit and then find the month present, so two workers
 * racing for the same month never fail a batch. Creating a partition briefly locks the parent tables
 * (until the transaction ends), which is why the service creates months ahead and ingest only ever
 * creates old months on demand.
 */
export async function ensureMonthPartitions(db: Db, dates: Iterable<Date>): Promise<Date[]> {
  const months = distinctMonths(dates);
  if (months.length === 0) return [];
  if (!db.isTransaction) {
    return (db as Kysely<Database>).transaction().execute((trx) => ensureMonthPartitions(trx, months));
  }
  await sql`select pg_advisory_xact_lock(hashtext(${PARTITION_LOCK_KEY}))`.execute(db);
  // Checked again under the lock: another process may have created them while this one waited.
  const missing = await missingMonths(db, months);
  for (const month of missing) {
    const from = month.toISOString();
    const to = addMonths(month, 1).toISOString();
    for (const table of PARTITIONED_TABLES) {
      // Names come from dates, never from input, so formatting them into DDL is safe.
      await sql
        .raw(
          `create table if not exists ${partitionName(table, month)} partition of ${table} for values from ('${from}') to ('${to}')`,
        )
        .execute(db);
    }
  }
  return missing;
}

/** The current month and the next MONTHS_AHEAD, created if missing (service start and daily). */
export async function ensureMonthsAhead(db: Kysely<Database>, now = new Date()): Promise<Date[]> {
  const current = monthOf(now);
  const months = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => addMonths(current, i));
  return ensureMonthPartitions(db, months);
}

export interface PartitionInfo {
  table: string;
  name: string;
  month: Date;
}

/** The monthly partitions of the partitioned tables, oldest first. Others attached by hand are left out. */
export async function listPartitions(db: Db): Promise<PartitionInfo[]> {
  const { rows } = await sql<{ parent: string; name: string }>`
    select p.relname as parent, c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where i.inhparent in (${sql.join(PARTITIONED_TABLES.map((t) => sql`to_regclass(${t})`))})
  `.execute(db);
  const out: PartitionInfo[] = [];
  for (const r of rows) {
    const month = monthOfPartition(r.parent, r.name);
    if (month) out.push({ table: r.parent, name: r.name, month });
  }
  return out.sort((a, b) => a.month.getTime() - b.month.getTime() || a.table.localeCompare(b.table));
}
