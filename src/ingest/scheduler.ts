import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from '../core/source.ts';
import {
  type ClaimedSource,
  claimDueSources,
  heartbeatLeases,
  releaseAllLeases,
  releaseLease,
} from '../store/repositories/source-leases.ts';
import type { Database } from '../store/schema.ts';
import { type PollDeps, type PollOutcome, pollSource } from './poll.ts';

/**
 * Polls every enabled source when it is due. Any number of schedulers (one per process, across
 * machines) share one database: each claims due sources under a lease (src/store/repositories/
 * source-leases.ts), only as many as it has free poll slots, extends its leases while polling and
 * gives each source back when its poll is done. A scheduler that dies keeps its leases until they
 * expire; then another one takes its sources over. So each source is polled by one worker at a time.
 */
export interface SchedulerOptions {
  tickMs: number;
  /** Polls run at once in this process. */
  concurrency?: number;
  /** Lease length: a worker that stops heartbeating loses its sources after this long. */
  leaseMs?: number;
  /** How often leases of polls in flight are extended (default a third of the lease). */
  heartbeatMs?: number;
  /** This worker's id in leases and logs (default `<hostname-less random id>`). */
  workerId?: string;
}

/** What a scheduler has done since it started (for progress output). */
export interface SchedulerStats {
  polled: number;
  failed: number;
  leasesLost: number;
  takenOver: number;
  inserted: number;
}

export class Scheduler {
  readonly id: string;
  #deps: PollDeps;
  readonly #opts: Required<SchedulerOptions>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  /** Polls in flight, by source id, with the controller that stops each one. */
  #running = new Map<string, AbortController>();
  #ticking: Promise<void> | undefined;
  #stopped = false;
  #abort = new AbortController();
  readonly stats: SchedulerStats = { polled: 0, failed: 0, leasesLost: 0, takenOver: 0, inserted: 0 };

  constructor(deps: PollDeps, opts: SchedulerOptions) {
    this.#deps = { ...deps, signal: this.#abort.signal };
    this.#log = deps.log;
    const leaseMs = opts.leaseMs ?? 60_000;
    this.id = opts.workerId ?? `poller-${randomUUID().slice(0, 8)}`;
    this.#opts = {
      concurrency: 2,
      leaseMs,
      workerId: this.id,
      ...opts,
      // A heartbeat slower than half the lease could let a live poll's lease expire.
      heartbeatMs: Math.min(opts.heartbeatMs ?? Math.floor(leaseMs / 3), Math.floor(leaseMs / 2)),
    };
  }

  get running(): number {
    return this.#running.size;
  }

  start(): void {
    this.#stopped = false;
    if (this.#abort.signal.aborted) {
      this.#abort = new AbortController();
      this.#deps = { ...this.#deps, signal: this.#abort.signal };
    }
    this.#heartbeat = setInterval(() => {
      this.heartbeat().catch((err) => this.#log.error({ err: String(err) }, 'lease heartbeat failed'));
    }, this.#opts.heartbeatMs);
    const loop = () => {
      if (this.#stopped) return;
      this.#ticking = this.tick()
        .catch((err) => this.#log.error({ err: String(err) }, 'scheduler tick failed'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(loop, this.#opts.tickMs);
        });
    };
    loop();
  }

  /**
   * Stops polling: polls in flight finish their current page, their sources are given back, then
   * the scheduler resolves. Leases this worker still holds are released so others need not wait.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#ticking;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const left = await releaseAllLeases(this.#deps.db, this.id);
    if (left > 0) this.#log.info({ worker: this.id, released: left }, 'leases released');
  }

  /** Extends the leases of the polls in flight; a poll whose lease was taken over is stopped. */
  async heartbeat(): Promise<void> {
    const ids = [...this.#running.keys()];
    if (ids.length === 0) return;
    const held = await heartbeatLeases(this.#deps.db, this.id, ids, this.#deps.now(), this.#opts.leaseMs);
    for (const id of ids) {
      if (held.has(id)) continue;
      this.#log.warn({ worker: this.id, sourceId: id }, 'lease lost: stopping this poll');
      this.#running.get(id)?.abort();
    }
  }

  /**
   * One pass: claims due sources as poll slots free up and polls them, until nothing is due (each
   * source at most once per pass). Returns when they are all done.
   */
  async tick(): Promise<void> {
    const db: Kysely<Database> = this.#deps.db;
    const seen = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    let drained = false;
    while (!this.#stopped || inFlight.size > 0) {
      const free = this.#opts.concurrency - inFlight.size;
      if (!drained && !this.#stopped && free > 0) {
        const claimed = await claimDueSources(db, this.id, this.#deps.now(), this.#opts.leaseMs, free, [
          ...seen,
        ]);
        if (claimed.length < free) drained = true;
        for (const c of claimed) {
          seen.add(c.source.id);
          const p: Promise<void> = this.#poll(c).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
  }

  async #poll(claim: ClaimedSource): Promise<void> {
    const { source, takenOverFrom } = claim;
    if (takenOverFrom && takenOverFrom !== this.id) {
      this.stats.takenOver++;
      this.#log.info(
        { worker: this.id, sourceId: source.id, source: source.name, from: takenOverFrom },
        'took over an expired lease',
      );
    }
    const abort = new AbortController();
    this.#running.set(source.id, abort);
    let outcome: PollOutcome | undefined;
    try {
      outcome = await pollSource(
        {
          ...this.#deps,
          signal: AbortSignal.any([this.#abort.signal, abort.signal]),
          leaseOwner: this.id,
        },
        source,
      );
    } finally {
      this.#running.delete(source.id);
      // The poll has set next_poll_at; give the source back (a no-op if the lease was taken over).
      const released = await releaseLease(this.#deps.db, source.id, this.id).catch(() => false);
      if (outcome?.ok) {
        this.stats.polled++;
        this.stats.inserted += outcome.stats.inserted;
      } else if (!released || outcome?.error?.code === 'CONFLICT') this.stats.leasesLost++;
      else this.stats.failed++;
    }
  }
}
