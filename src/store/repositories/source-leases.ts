import { type Kysely, sql } from 'kysely';
import { TrustwatchError } from '../../core/errors.ts';
import type { Database, SourceRow } from '../schema.ts';
import { type SourceRecord, toSource } from './sources.ts';

/**
 * Source leases: many worker processes share one PostgreSQL and each due source is polled by exactly
 * one of them. A worker claims due sources by writing its id and an expiry on the rows (claims skip
 * rows another worker is claiming at that instant: `FOR UPDATE SKIP LOCKED`), extends the expiry
 * while it polls (heartbeat), and clears it when the poll is done (the poll itself sets next_poll_at).
 * A worker that dies keeps its lease until it expires; then any worker takes the source over.
 * The same statements run on PGlite (one connection, so there is nothing to skip).
 */

/** A claimed source, and the worker whose expired lease was taken over (null: the source was free). */
export interface ClaimedSource {
  source: SourceRecord;
  takenOverFrom: string | null;
}

/** Thrown inside a poll whose lease another worker took over: it stops without writing anything more. */
export class LeaseLostError extends TrustwatchError {
  constructor(sourceId: string, owner: string) {
    super('CONFLICT', `Lease on source ${sourceId} was lost by ${owner}; another worker polls it now`, {
      details: { sourceId, owner },
    });
  }
}

export function isLeaseLost(err: unknown): err is LeaseLostError {
  return err instanceof LeaseLostError;
}

/**
 * Claims up to `limit` enabled, due sources whose lease is free or expired, oldest due first, for
 * `owner` until `now + leaseMs`. `exclude` keeps sources this worker already polled in the current
 * pass out (a source cut short by the page limit is due again at once, and must not hog the pass).
 */
export async function claimDueSources(
  db: Kysely<Database>,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
  exclude: readonly string[] = [],
): Promise<ClaimedSource[]> {
  if (limit <= 0) return [];
  const until = new Date(now.getTime() + leaseMs);
  const notExcluded =
    exclude.length > 0 ? sql`and id not in (${sql.join(exclude.map((id) => sql`${id}::uuid`))})` : sql``;
  // The CTE reads the previous owner before the update overwrites it (RETURNING shows new values).
  const result = await sql<SourceRow & { previous_owner: string | null }>`
    with picked as (
      select id, lease_owner as previous_owner from sources
      where enabled and next_poll_at <= ${now}
        and (lease_expires_at is null or lease_expires_at < ${now})
        ${notExcluded}
      order by next_poll_at
      limit ${limit}
      for update skip locked
    )
    update sources s set lease_owner = ${owner}, lease_expires_at = ${until}
    from picked where s.id = picked.id
    returning s.*, picked.previous_owner`.execute(db);
  return result.rows
    .map((row) => {
      const { previous_owner, ...source } = row;
      return { source: toSource(source), takenOverFrom: previous_owner };
    })
    .sort((a, b) => a.source.health.nextPollAt.getTime() - b.source.health.nextPollAt.getTime());
}

/**
 * Extends `owner`'s leases on `ids` to `now + leaseMs`. Returns the ids whose lease is still held;
 * the others were taken over (this worker stalled past its lease) and their polls must stop.
 */
export async function heartbeatLeases(
  db: Kysely<Database>,
  owner: string,
  ids: readonly string[],
  now: Date,
  leaseMs: number,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable('sources')
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs) })
    .where('id', 'in', [...ids])
    .where('lease_owner', '=', owner)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Gives a source back after its poll (or untried, on shutdown). Only the holder's lease is cleared. */
export async function releaseLease(db: Kysely<Database>, id: string, owner: string): Promise<boolean> {
  const res = await db
    .updateTable('sources')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Releases every lease `owner` still holds (shutdown). Returns how many. */
export async function releaseAllLeases(db: Kysely<Database>, owner: string): Promise<number> {
  const res = await db
    .updateTable('sources')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Saves a poll's cursor only while `owner` holds the source's lease, so a worker whose lease was
 * taken over cannot move the new owner's cursor back. Returns false when the lease is lost.
 */
export async function saveCursorAsOwner(
  db: Kysely<Database>,
  id: string,
  owner: string,
  cursor: unknown,
): Promise<boolean> {
  const res = await db
    .updateTable('sources')
    .set({ cursor: JSON.stringify(cursor ?? null), updated_at: new Date() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Throws LeaseLostError unless `owner` still holds the lease (checked before a poll records its end). */
export async function assertLease(db: Kysely<Database>, id: string, owner: string): Promise<void> {
  const row = await db
    .selectFrom('sources')
    .select('id')
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  if (!row) throw new LeaseLostError(id, owner);
}

/**
 * Claims slot `slot` of a once-per-slot job (the hourly detection run) for `owner`: true when this
 * process runs it. A slot already finished, or held by a live lease, is refused; the lease of a
 * process that died mid-run expires after `leaseMs` and another process may run the slot then.
 */
export async function claimJobSlot(
  db: Kysely<Database>,
  job: string,
  slot: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const until = new Date(now.getTime() + leaseMs);
  const result = await sql<{ owner: string }>`
    insert into job_leases (job, slot, owner, lease_expires_at) values (${job}, ${slot}, ${owner}, ${until})
    on conflict (job, slot) do update set owner = excluded.owner, lease_expires_at = excluded.lease_expires_at
      where job_leases.finished_at is null and job_leases.lease_expires_at < ${now}
    returning owner`.execute(db);
  return result.rows.length === 1;
}

/** Marks a claimed job slot done so that no one runs it again. */
export async function finishJobSlot(
  db: Kysely<Database>,
  job: string,
  slot: string,
  owner: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ finished_at: at })
    .where('job', '=', job)
    .where('slot', '=', slot)
    .where('owner', '=', owner)
    .execute();
}

/**
 * Claims one source for `owner` (a queue consumer) when it is due and its lease is free, expired or
 * held by `dispatcher`, the cron tick that queued it: the message hands that lease over. Returns null
 * when another consumer holds it or it is no longer due, which is what a duplicate or late message
 * finds (Cloudflare Queues deliver at least once).
 */
export async function claimQueuedSource(
  db: Kysely<Database>,
  id: string,
  dispatcher: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<SourceRecord | null> {
  const row = await db
    .updateTable('sources')
    .set({ lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs) })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .where('next_poll_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('lease_owner', '=', dispatcher),
        eb('lease_expires_at', 'is', null),
        eb('lease_expires_at', '<', now),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ? toSource(row) : null;
}

/** Moves `from`'s lease on a source to `to` until `until` (a delayed retry keeps the source reserved). */
export async function transferLease(
  db: Kysely<Database>,
  id: string,
  from: string,
  to: string,
  until: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('sources')
    .set({ lease_owner: to, lease_expires_at: until })
    .where('id', '=', id)
    .where('lease_owner', '=', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
