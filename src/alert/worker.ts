import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppLogger } from '../core/logger.ts';
import { routeById } from '../store/repositories/alert-routes.ts';
import {
  type Delivery,
  claimDeliveries,
  markDelivered,
  markFailed,
  releaseDelivery,
  renewDeliveryLease,
} from '../store/repositories/deliveries.ts';
import type { Database } from '../store/schema.ts';
import { backoffDelay } from './backoff.ts';
import { type SendOutcome, sendDelivery } from './send.ts';

/**
 * The outbox worker: claims due deliveries under a lease, sends each once per attempt, records the
 * outcome. At-least-once: a delivery is marked delivered only after the receiver answered 2xx, so a
 * crash before that leaves it claimable again when the lease runs out (same idempotency key); a
 * delivered row is never claimed again, so a confirmed delivery is never re-sent.
 */
export interface DeliveryWorkerOptions {
  /** Polling interval when nothing wakes the worker. */
  tickMs: number;
  /** Time limit of one HTTP attempt (a hanging receiver is cut here). */
  timeoutMs: number;
  /** Give up (dead letter) when a delivery is still failing this long after it first became due. */
  deadlineMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Longest Retry-After honoured (a receiver asking for a day is retried within the deadline). */
  maxRetryAfterMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** Lease per claim; longer than the timeout so that a live worker never loses its lease. */
  leaseMs?: number;
  userAgent?: string;
  workerId?: string;
}

export interface DeliveryWorkerDeps {
  db: Kysely<Database>;
  log: AppLogger;
  now?: () => Date;
  fetch?: typeof fetch;
  random?: () => number;
  /** Extra work per tick (the digest scheduler). */
  onTick?: (now: Date) => Promise<void>;
}

export interface TickResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

export class DeliveryWorker {
  readonly id: string;
  readonly #deps: DeliveryWorkerDeps;
  readonly #opts: Required<DeliveryWorkerOptions>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #wakeRequested = false;
  #abort = new AbortController();

  constructor(deps: DeliveryWorkerDeps, opts: DeliveryWorkerOptions) {
    this.#deps = deps;
    this.id = opts.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
    this.#opts = {
      batchSize: 20,
      concurrency: 4,
      leaseMs: opts.timeoutMs * 2 + 5000,
      maxRetryAfterMs: 3_600_000,
      userAgent: 'trustwatch/0.1 (+https://github.com/trustwatch/trustwatch)',
      workerId: this.id,
      ...opts,
    };
  }

  #now(): Date {
    return (this.#deps.now ?? (() => new Date()))();
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    this.#schedule(0);
  }

  /** Run a tick now (new deliveries were committed); coalesces with a tick in progress. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeRequested = true;
      return;
    }
    this.#schedule(0);
  }

  /** Stops: attempts in flight are aborted and their deliveries stay claimable (nothing is lost). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped || this.#running) return;
      this.#running = this.#loop().finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#wakeRequested;
        this.#wakeRequested = false;
        this.#schedule(again ? 0 : this.#opts.tickMs);
      });
    }, ms);
  }

  async #loop(): Promise<void> {
    try {
      await this.#deps.onTick?.(this.#now());
      // Drain: keep claiming while full batches come back, so a backlog does not wait a tick per batch.
      for (let i = 0; i < 50 && !this.#abort.signal.aborted; i++) {
        const r = await this.tick();
        if (r.claimed < this.#opts.batchSize) break;
      }
    } catch (err) {
      this.#deps.log.error({ err: String(err) }, 'delivery worker tick failed');
    }
  }

  /** One claim-and-send pass. Public for tests and the CLI (`delivery run`). */
  async tick(): Promise<TickResult> {
    const result: TickResult = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    const claimed = await claimDeliveries(
      this.#deps.db,
      this.id,
      this.#now(),
      this.#opts.leaseMs,
      this.#opts.batchSize,
    );
    result.claimed = claimed.length;
    // Messages about one alert go one after the other (opened before acknowledged before resolved);
    // different alerts go in parallel.
    const groups = new Map<string, Delivery[]>();
    for (const d of claimed) {
      const key = d.alertId ?? d.id;
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    const queue = [...groups.values()];
    const left: Delivery[] = [];
    const run = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const d of group) {
          if (this.#abort.signal.aborted) {
            left.push(d);
            continue;
          }
          const outcome = await this.#attempt(d);
          result[outcome]++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, queue.length) }, run));
    // Claimed but never started (stopped mid-batch): give them back untried.
    for (const d of left) await releaseDelivery(this.#deps.db, d.id, this.id);
    return result;
  }

  async #attempt(d: Delivery): Promise<'delivered' | 'retried' | 'dead'> {
    const db = this.#deps.db;
    const log = this.#deps.log;
    const route = d.routeId ? await routeById(db, d.routeId) : undefined;
    if (!route) {
      await markFailed(db, d.id, this.id, this.#now(), {
        status: null,
        error: 'route deleted',
        nextAttemptAt: null,
      });
      return 'dead';
    }
    if (this.#abort.signal.aborted) {
      await releaseDelivery(db, d.id, this.id);
      return 'retried';
    }
    // Claimed with its batch, possibly a while ago: send only while still holding the lease, with a
    // full lease (longer than the timeout) ahead, so no other worker can be sending it at the same time.
    if (!(await renewDeliveryLease(db, d.id, this.id, this.#now(), this.#opts.leaseMs))) {
      log.info({ delivery: d.id }, 'delivery lease lost before sending; another worker has it');
      return 'retried';
    }
    const outcome: SendOutcome = await sendDelivery(route, d, {
      timeoutMs: this.#opts.timeoutMs,
      now: this.#now(),
      userAgent: this.#opts.userAgent,
      signal: this.#abort.signal,
      ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}),
    });
    const now = this.#now();
    const ctx = { delivery: d.id, route: route.name, event: d.event, attempt: d.attempts };
    if (outcome.ok) {
      await markDelivered(db, d.id, this.id, now, outcome.status);
      log.debug({ ...ctx, status: outcome.status }, 'delivered');
      return 'delivered';
    }
    if (this.#abort.signal.aborted) {
      // Stopped mid-request: the receiver may or may not have it. Due again at once, same key.
      await markFailed(db, d.id, this.id, now, { status: null, error: outcome.error, nextAttemptAt: now });
      return 'retried';
    }
    const deadline = d.dueAt.getTime() + this.#opts.deadlineMs;
    let next: Date | null = null;
    if (!outcome.permanent && now.getTime() < deadline) {
      const wait =
        outcome.retryAfterMs !== undefined
          ? Math.min(outcome.retryAfterMs, this.#opts.maxRetryAfterMs)
          : backoffDelay(d.attempts, {
              baseMs: this.#opts.backoffBaseMs,
              maxMs: this.#opts.backoffMaxMs,
              ...(this.#deps.random ? { random: this.#deps.random } : {}),
            });
      // The last try lands on the deadline rather than being skipped.
      next = new Date(Math.min(now.getTime() + wait, deadline));
    }
    await markFailed(db, d.id, this.id, now, {
      status: outcome.status,
      error: outcome.error,
      nextAttemptAt: next,
    });
    if (next) {
      log.warn(
        { ...ctx, status: outcome.status, error: outcome.error, retryAt: next },
        'delivery failed, will retry',
      );
      return 'retried';
    }
    log.error(
      { ...ctx, status: outcome.status, error: outcome.error },
      'delivery dead (retry by hand: trustwatch delivery retry)',
    );
    return 'dead';
  }
}
