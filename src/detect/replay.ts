import type { Kysely } from 'kysely';
import type { Detection, Sensitivity } from '../core/detection.ts';
import type { Watch } from '../core/watch.ts';
import type { Database } from '../store/schema.ts';
import { runDetectors } from './runner.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface ReplayOptions {
  workspaceId: string;
  /** Judge the closed hours from here (rounded down to the hour)... */
  from: Date;
  /** ...up to here (exclusive, rounded down): the hours a live detection loop would have closed. */
  to: Date;
  /** Extra history before `from` the baselines learn from (default 28 days, like a live run). */
  historyDays?: number;
  sensitivity?: Sensitivity | ((watch: Watch) => Sensitivity);
  watchIds?: readonly string[];
}

/**
 * Judges every closed hour of a past range as the hourly detection loop would have, for a backfill
 * (the demo's 90 days, an import): each series is read once and the pure detectors stream through it
 * in memory, each hour judged on its past alone (the detectors never look ahead), instead of one
 * runner call, i.e. one set of reads, per hour. Returns the detections in bucket order.
 */
export async function replayDetectors(db: Kysely<Database>, opts: ReplayOptions): Promise<Detection[]> {
  const from = Math.floor(opts.from.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.floor(opts.to.getTime() / HOUR_MS) * HOUR_MS;
  const hours = Math.round((to - from) / HOUR_MS);
  if (hours <= 0) return [];
  const detections = await runDetectors(db, {
    workspaceId: opts.workspaceId,
    now: new Date(to),
    evaluate: hours,
    historyDays: (to - from) / DAY_MS + (opts.historyDays ?? 28),
    // Custom metrics are daily series judged on the latest closed day only; a replay leaves them out.
    metrics: false,
    ...(opts.sensitivity ? { sensitivity: opts.sensitivity } : {}),
    ...(opts.watchIds ? { watchIds: opts.watchIds } : {}),
  });
  return detections
    .filter((d) => d.bucketStart.getTime() >= from)
    .sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime());
}

/**
 * Groups detections by the hour a live loop would have recorded them: the end of their bucket. The
 * alert lifecycle is then fed hour by hour, in order, so dedupe, reopen and auto-resolve see the same
 * sequence they would have seen live.
 */
export function byClosingHour(
  detections: readonly Detection[],
): { closedAt: Date; detections: Detection[] }[] {
  const groups = new Map<number, Detection[]>();
  for (const d of detections) {
    const end = d.bucketStart.getTime() + d.bucketSeconds * 1000;
    const closedAt = Math.ceil(end / HOUR_MS) * HOUR_MS;
    const list = groups.get(closedAt) ?? [];
    list.push(d);
    groups.set(closedAt, list);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, ds]) => ({ closedAt: new Date(t), detections: ds }));
}
