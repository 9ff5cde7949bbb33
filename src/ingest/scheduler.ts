import type { Kysely } from 'kysely';
import type { Logger } from '../core/source.ts';
import { type SourceRecord, dueSources } from '../store/repositories/sources.ts';
import type { Database } from '../store/schema.ts';
import { type PollDeps, pollSource } from './poll.ts';

/**
 * Polls every enabled source when it is due. One scheduler per process; each due source is first
 * pushed out by a lease so that a crash mid-poll does not make it hot-loop, and polls run with a
 * small concurrency limit so one slow upstream does not hold up the others.
 */
export interface SchedulerOptions {
  tickMs: number;
  concurrency?: number;
  /** How long a claimed source stays out of the due list while it is polled. */
  leaseMs?: number;
}

export class Scheduler {
  #deps: PollDeps;
  readonly #opts: Required<SchedulerOptions>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running = new Set<string>();
  #ticking: Promise<void> | undefined;
  #stopped = false;
  #abort = new AbortController();

  constructor(deps: PollDeps, opts: SchedulerOptions) {
    this.#deps = { ...deps, signal: this.#abort.signal };
    this.#log = deps.log;
    this.#opts = { concurrency: 2, leaseMs: 10 * 60_000, ...opts };
  }

  start(): void {
    this.#stopped = false;
    if (this.#abort.signal.aborted) {
      this.#abort = new AbortController();
      this.#deps = { ...this.#deps, signal: this.#abort.signal };
    }
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

  /** Stops polling: polls in flight finish their current page, then the scheduler resolves. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#ticking;
  }

  /** One pass: poll every due source (bounded concurrency). Returns when they are all done. */
  async tick(): Promise<void> {
    const db: Kysely<Database> = this.#deps.db;
    const now = this.#deps.now();
    const due = (await dueSources(db, now, 50)).filter((s) => !this.#running.has(s.id));
    if (due.length === 0) return;
    const leaseUntil = new Date(now.getTime() + this.#opts.leaseMs);
    for (const s of due) {
      await db.updateTable('sources').set({ next_poll_at: leaseUntil }).where('id', '=', s.id).execute();
    }
    const queue = [...due];
    const worker = async () => {
      for (let s = queue.shift(); s && !this.#stopped; s = queue.shift()) await this.#poll(s);
    };
    await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, queue.length) }, worker));
  }

  async #poll(source: SourceRecord): Promise<void> {
    this.#running.add(source.id);
    try {
      await pollSource(this.#deps, source);
    } finally {
      this.#running.delete(source.id);
    }
  }
}
