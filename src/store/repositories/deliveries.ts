import { type Kysely, type Transaction, sql } from 'kysely';
import { NotFoundError, TrustwatchError } from '../../core/errors.ts';
import { isUuid } from '../ids.ts';
import type { Database, DeliveryRow } from '../schema.ts';
import { recordAudit } from './audit.ts';

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'dead';

/** An outbox row. `destination` is the redacted display form; the real URL lives on the route. */
export interface Delivery {
  id: string;
  workspaceId: string;
  alertId: string | null;
  routeId: string | null;
  destination: string;
  event: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  dueAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  deadAt: Date | null;
  /** Insertion order. */
  seq: number;
}

type Db = Kysely<Database> | Transaction<Database>;

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    alertId: row.alert_id,
    routeId: row.route_id,
    destination: row.destination,
    event: row.event ?? 'alert.opened',
    payload: row.payload,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    dueAt: row.due_at ?? row.created_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
    seq: Number(row.seq),
  };
}

export interface NewDelivery {
  workspaceId: string;
  alertId: string | null;
  routeId: string;
  destination: string;
  event: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** Inserts one outbox row; returns false when the idempotency key already exists (digest periods). */
export async function insertDelivery(db: Db, d: NewDelivery): Promise<boolean> {
  const res = await db
    .insertInto('deliveries')
    .values({
      workspace_id: d.workspaceId,
      alert_id: d.alertId,
      route_id: d.routeId,
      destination: d.destination,
      event: d.event,
      payload: JSON.stringify(d.payload),
      idempotency_key: d.idempotencyKey,
      next_attempt_at: d.nextAttemptAt,
      due_at: d.nextAttemptAt,
      created_at: d.createdAt,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Folds a new alert update into a delivery of the same alert and route that has not been attempted
 * yet (state pending, no attempt): the receiver gets the newest state once instead of every step of a
 * storm. Never touches a delivery that was attempted, since the receiver may already hold its
 * idempotency key with the old body. Returns true when one was updated.
 */
export async function coalesceIntoPending(
  db: Db,
  alertId: string,
  routeId: string,
  payload: Record<string, unknown>,
): Promise<boolean> {
  const res = await db
    .updateTable('deliveries')
    .set({ payload: JSON.stringify(payload) })
    .where('alert_id', '=', alertId)
    .where('route_id', '=', routeId)
    .where('state', '=', 'pending')
    .where('attempts', '=', 0)
    .where('event', 'in', ['alert.opened', 'alert.reopened', 'alert.updated', 'alert.escalated'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** When the last delivery of this alert to this route was created (for the route's cooldown). */
export async function lastDeliveryAt(db: Db, alertId: string, routeId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('deliveries')
    .select(sql<Date | null>`max(created_at)`.as('at'))
    .where('alert_id', '=', alertId)
    .where('route_id', '=', routeId)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * Claims up to `limit` due deliveries for one worker: pending ones whose time has come, and ones
 * left `sending` by a worker whose lease ran out (it crashed or hung). `FOR UPDATE SKIP LOCKED` lets
 * several workers on PostgreSQL claim disjoint rows without waiting on each other; PGlite (one
 * connection) runs the same statement. Each claim counts as an attempt, so a delivery that crashes
 * its worker every time still reaches its deadline.
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Delivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<DeliveryRow>`
    update deliveries set state = 'sending', lease_owner = ${owner}, lease_until = ${leaseUntil},
      attempts = attempts + 1, last_attempt_at = ${now}
    where id in (
      select id from deliveries
      where (state = 'pending' and next_attempt_at <= ${now})
         or (state = 'sending' and lease_until < ${now})
      order by next_attempt_at, seq
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(db);
  // RETURNING has no order of its own.
  return result.rows
    .map(toDelivery)
    .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.seq - b.seq);
}

/**
 * Marks a claimed delivery delivered. Only the lease holder may, and only once: a worker whose lease
 * was taken over does not overwrite the new holder's outcome.
 */
export async function markDelivered(
  db: Db,
  id: string,
  owner: string,
  at: Date,
  status: number,
): Promise<boolean> {
  const res = await db
    .updateTable('deliveries')
    .set({
      state: 'delivered',
      delivered_at: at,
      last_status: status,
      last_error: null,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Extends a claimed delivery's lease just before it is sent, if this worker still holds it. A batch
 * is claimed at once but sent a few at a time, so the last ones of a slow batch could otherwise be
 * sent after their lease ran out and another worker had claimed (and sent) them too. The row lock
 * makes this atomic with a concurrent claim: whichever comes second sees the other's owner.
 */
export async function renewDeliveryLease(
  db: Db,
  id: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const res = await db
    .updateTable('deliveries')
    .set({ lease_until: new Date(now.getTime() + leaseMs) })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Records a failed attempt: back to pending at `nextAttemptAt`, or dead when `dead` is set. */
export async function markFailed(
  db: Db,
  id: string,
  owner: string,
  at: Date,
  outcome: { status: number | null; error: string; nextAttemptAt: Date | null },
): Promise<boolean> {
  const dead = outcome.nextAttemptAt === null;
  const res = await db
    .updateTable('deliveries')
    .set({
      state: dead ? 'dead' : 'pending',
      last_status: outcome.status,
      last_error: outcome.error.slice(0, 1000),
      lease_owner: null,
      lease_until: null,
      ...(dead ? { dead_at: at } : { next_attempt_at: outcome.nextAttemptAt ?? at }),
    })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Gives a claimed delivery back untried (worker shutting down before it sent anything). */
export async function releaseDelivery(db: Db, id: string, owner: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ state: 'pending', lease_owner: null, lease_until: null, attempts: sql`greatest(attempts - 1, 0)` })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('lease_owner', '=', owner)
    .execute();
}

export interface DeliveryFilter {
  state?: DeliveryState | undefined;
  alertId?: string | undefined;
  routeId?: string | undefined;
  limit?: number | undefined;
}

export async function listDeliveries(
  db: Db,
  workspaceId: string,
  filter: DeliveryFilter = {},
): Promise<Delivery[]> {
  let q = db.selectFrom('deliveries').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.alertId) q = q.where('alert_id', '=', filter.alertId);
  if (filter.routeId) q = q.where('route_id', '=', filter.routeId);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? 50)
    .execute();
  return rows.map(toDelivery);
}

export async function getDelivery(db: Db, workspaceId: string, id: string): Promise<Delivery> {
  const row = isUuid(id)
    ? await db
        .selectFrom('deliveries')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Delivery', id);
  return toDelivery(row);
}

/**
 * Manual retry of a dead (or waiting) delivery: due now, with a fresh deadline. A delivered one is
 * refused, because sending it again would be the double send the outbox exists to prevent.
 */
export async function retryDelivery(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  actor: string,
  now: Date,
): Promise<Delivery> {
  const current = await getDelivery(db, workspaceId, id);
  if (current.state === 'delivered') {
    throw new TrustwatchError('CONFLICT', `Delivery ${id} was already delivered; it is not sent twice`);
  }
  if (current.state === 'sending') {
    throw new TrustwatchError('CONFLICT', `Delivery ${id} is being sent right now`);
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('deliveries')
      .set({ state: 'pending', next_attempt_at: now, due_at: now, dead_at: null })
      .where('id', '=', current.id)
      .where('state', 'in', ['pending', 'dead'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new TrustwatchError('CONFLICT', `Delivery ${id} changed state; try again`);
    await recordAudit(trx, {
      workspaceId,
      actor,
      action: 'delivery.retry',
      targetType: 'delivery',
      targetId: row.id,
      details: { previousState: current.state, attempts: current.attempts },
    });
    return toDelivery(row);
  });
}

/** Counts per state, for the CLI summary and health. */
export async function deliveryCounts(db: Db, workspaceId: string): Promise<Record<DeliveryState, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('state')
    .execute();
  const out: Record<DeliveryState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}
