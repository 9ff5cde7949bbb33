import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Detection } from '../core/detection.ts';
import type { AppLogger } from '../core/logger.ts';
import { claimJobSlot, finishJobSlot } from '../store/repositories/source-leases.ts';
import type { Database } from '../store/schema.ts';
import { type DetectionOutcome, recordDetections, resolveQuietAlerts } from './lifecycle.ts';

/**
 * Runs a detector over every workspace as each hourly bucket closes and turns what it finds into
 * alerts. The detector is injected (the runtime passes src/detect's runner), so the alert layer does
 * not depend on how detections are made. Timed to the bucket boundary so that an alert reaches Slack
 * within about a second of the bucket closing.
 */
export type DetectFn = (
  db: Kysely<Database>,
  opts: { workspaceId: string; now: Date },
) => Promise<Detection[]>;

export interface DetectionLoopOptions {
  bucketMs?: number;
  /** How long after the boundary to run, so that items published in the last instant are stored. */
  graceMs?: number;
  baseUrl: string;
  reopenWindowMs?: number;
  /** Resolve alerts with no detection for this long (0 or unset: never). */
  autoResolveMs?: number;
  onEnqueued?: () => void;
  now?: () => Date;
  /** This process's id in the run lease (several processes share one database; one runs each hour). */
  workerId?: string;
}

/** How long a process may take over one hourly run before another may run that hour instead. */
const RUN_LEASE_MS = 15 * 60_000;

export class DetectionLoop {
  readonly #db: Kysely<Database>;
  readonly #log: AppLogger;
  readonly #detect: DetectFn;
  readonly #opts: DetectionLoopOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;
  #owner: string | undefined;

  constructor(db: Kysely<Database>, log: AppLogger, detect: DetectFn, opts: DetectionLoopOptions) {
    this.#db = db;
    this.#log = log;
    this.#detect = detect;
    this.#opts = opts;
  }

  #now(): Date {
    return (this.#opts.now ?? (() => new Date()))();
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    const bucket = this.#opts.bucketMs ?? 3_600_000;
    const now = this.#now().getTime();
    const next = Math.floor(now / bucket) * bucket + bucket + (this.#opts.graceMs ?? 250);
    this.#timer = setTimeout(() => {
      this.#running = this.runClaimed(this.#now())
        .catch((err) => this.#log.error({ err: String(err) }, 'detection run failed'))
        .finally(() => this.#arm());
    }, next - now);
  }

  /**
   * Runs the bucket that closed before `now` if this process claims it: with many worker processes
   * on one database, each closes the same hour, and only the first to claim it records detections
   * (the others would count every detection again). Returns null when another process has it.
   */
  async runClaimed(now: Date): Promise<DetectionOutcome[] | null> {
    const bucket = this.#opts.bucketMs ?? 3_600_000;
    // The slot is the boundary just passed: every process computes the same one for the same hour.
    const slot = new Date(Math.floor(now.getTime() / bucket) * bucket).toISOString();
    this.#owner ??= this.#opts.workerId ?? `detector-${randomUUID().slice(0, 8)}`;
    if (!(await claimJobSlot(this.#db, 'detection', slot, this.#owner, now, RUN_LEASE_MS))) {
      this.#log.debug({ slot }, 'detection run for this hour belongs to another worker');
      return null;
    }
    const out = await this.runOnce(now);
    await finishJobSlot(this.#db, 'detection', slot, this.#owner, this.#now());
    return out;
  }

  /** Detects for every workspace at `now` and records the alerts. Public for tests and the CLI. */
  async runOnce(now: Date): Promise<DetectionOutcome[]> {
    const workspaces = await this.#db.selectFrom('workspaces').select('id').execute();
    const out: DetectionOutcome[] = [];
    for (const ws of workspaces) {
      const detections = await this.#detect(this.#db, { workspaceId: ws.id, now });
      if (detections.length === 0) continue;
      const r = await recordDetections(this.#db, detections, {
        now: () => now,
        baseUrl: this.#opts.baseUrl,
        ...(this.#opts.reopenWindowMs !== undefined ? { reopenWindowMs: this.#opts.reopenWindowMs } : {}),
        ...(this.#opts.onEnqueued ? { onEnqueued: this.#opts.onEnqueued } : {}),
      });
      this.#log.info(
        { workspace: ws.id, detections: detections.length, ...r, alertIds: undefined },
        'detections recorded',
      );
      out.push(r);
    }
    const quiet = this.#opts.autoResolveMs ?? 0;
    if (quiet > 0) {
      const resolved = await resolveQuietAlerts(this.#db, now, quiet, {
        baseUrl: this.#opts.baseUrl,
        ...(this.#opts.onEnqueued ? { onEnqueued: this.#opts.onEnqueued } : {}),
      });
      if (resolved.length) this.#log.info({ resolved: resolved.length }, 'quiet alerts auto-resolved');
    }
    return out;
  }
}
