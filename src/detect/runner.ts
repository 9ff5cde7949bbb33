/**
 * Runs the detectors of a workspace for the latest closed bucket(s): reads each watch's series, term
 * counts and evidence mentions through the store's series functions, hands them to the pure
 * detectors (src/detect/detectors.ts) and returns the detections with their evidence. Alerting (dedupe,
 * cooldown, delivery) is the alert layer's job: this stops at Detection[].
 */

import type { Kysely } from 'kysely';
import type { Detection, DetectionMention, Sensitivity } from '../core/detection.ts';
import type { Watch } from '../core/watch.ts';
import { listMetrics, readMetric } from '../store/repositories/metrics.ts';
import {
  type EvidenceMention,
  readTermCounts,
  readTopMentions,
  readWatchSeries,
} from '../store/repositories/series.ts';
import { listWatches } from '../store/repositories/watches.ts';
import type { Database } from '../store/schema.ts';
import {
  type DetectContext,
  detectEmergingTerms,
  detectMetric,
  detectNegativity,
  detectRatingDrop,
  detectSignals,
  detectViralRisk,
  detectVolumeChanges,
} from './detectors.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RunDetectorsOptions {
  workspaceId: string;
  /** The clock: the latest closed hour is the one before the hour containing `now`. */
  now: Date;
  /** How many of the latest closed hours to report on (default 1). */
  evaluate?: number;
  /** History the baselines learn from (default 28 days; the baselines forget with a few days' half-life). */
  historyDays?: number;
  /** Per-watch sensitivity (default 'medium'). */
  sensitivity?: Sensitivity | ((watch: Watch) => Sensitivity);
  /** Only these watches (default: every watch of the workspace). */
  watchIds?: readonly string[];
  /** Custom metric series too (daily buckets, latest closed UTC day; default true). */
  metrics?: boolean;
  /** Evidence mentions per detection (default 3). */
  evidence?: number;
}

export async function runDetectors(db: Kysely<Database>, opts: RunDetectorsOptions): Promise<Detection[]> {
  const watches = (await listWatches(db, opts.workspaceId)).filter(
    (w) => !opts.watchIds || opts.watchIds.includes(w.id),
  );
  const out: Detection[] = [];
  for (const watch of watches) out.push(...(await detectForWatch(db, watch, opts)));
  if (opts.metrics ?? true) out.push(...(await detectForMetrics(db, opts)));
  return out;
}

function toMention(m: EvidenceMention): DetectionMention {
  return {
    id: m.id,
    url: m.url,
    text: m.text,
    authorHandle: m.authorHandle,
    sentimentScore: m.sentimentScore,
    publishedAt: m.publishedAt,
  };
}

async function detectForWatch(
  db: Kysely<Database>,
  watch: Watch,
  opts: RunDetectorsOptions,
): Promise<Detection[]> {
  const evaluate = Math.max(1, opts.evaluate ?? 1);
  const to = new Date(Math.floor(opts.now.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - (opts.historyDays ?? 28) * DAY_MS);
  const sensitivity =
    typeof opts.sensitivity === 'function' ? opts.sensitivity(watch) : (opts.sensitivity ?? 'medium');
  const range = { workspaceId: watch.workspaceId, watchId: watch.id, from, to, bucket: 'hour' as const };
  const points = await readWatchSeries(db, range);
  if (points.length === 0) return [];

  // Emerging terms: candidates from the last evaluate+1 hours (the detector's window is 2 buckets),
  // then only their history, so the read stays small however large the vocabulary.
  const recentFrom = new Date(to.getTime() - (evaluate + 1) * HOUR_MS);
  const recent = await readTermCounts(db, { ...range, from: recentFrom, minMentions: 2 });
  const candidates = [...new Set(recent.map((t) => t.term))];
  const history = candidates.length ? await readTermCounts(db, { ...range, terms: candidates }) : [];
  const termsAt = new Map<number, { term: string; mentions: number }[]>();
  for (const t of recent) {
    const list = termsAt.get(t.start.getTime()) ?? [];
    list.push(t);
    termsAt.set(t.start.getTime(), list);
  }
  const ctx: DetectContext = {
    workspaceId: watch.workspaceId,
    watchId: watch.id,
    bucketSeconds: 3600,
    sensitivity,
    evaluate,
    topTermsAt: (start) =>
      (termsAt.get(start.getTime()) ?? [])
        .slice()
        .sort((a, b) => b.mentions - a.mentions || a.term.localeCompare(b.term))
        .slice(0, 5)
        .map((t) => t.term),
  };

  const found: Detection[] = [
    ...detectVolumeChanges(points, ctx),
    ...detectNegativity(points, ctx),
    ...detectSignals(points, ctx),
    ...detectRatingDrop(points, ctx),
    ...detectEmergingTerms(history, points, ctx),
  ];

  // Viral risk: the widest-reaching negative mentions of the evaluated hours, against the widest
  // negative mention of the history before them.
  const evalFrom = new Date(to.getTime() - evaluate * HOUR_MS);
  const loudQuery = {
    workspaceId: watch.workspaceId,
    watchId: watch.id,
    order: 'reach' as const,
    sentiment: 'negative' as const,
  };
  const [loud, pastLoud] = await Promise.all([
    readTopMentions(db, { ...loudQuery, from: evalFrom, to, limit: 20 }),
    readTopMentions(db, { ...loudQuery, from, to: evalFrom, limit: 1 }),
  ]);
  const pastTop = pastLoud[0];
  const pastCount = points.filter((p) => p.start < evalFrom).reduce((n, p) => n + p.negative, 0);
  let bar = pastTop ? (pastTop.authorFollowers ?? 0) + pastTop.engagement : 0;
  for (const m of [...loud].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())) {
    const bucketStart = new Date(Math.floor(m.publishedAt.getTime() / HOUR_MS) * HOUR_MS);
    const ds = detectViralRisk([m], { ...ctx, bucketStart, pastMaxReach: bar, pastCount });
    found.push(...ds);
    bar = Math.max(bar, (m.authorFollowers ?? 0) + m.engagement);
  }

  // Evidence: the mentions behind each detection, chosen for its kind.
  const limit = opts.evidence ?? 3;
  for (const d of found) {
    if (d.topMentions.length > 0 || d.kind === 'volume_drop' || limit === 0) continue;
    const span = d.kind === 'rating_drop' ? DAY_MS : d.bucketSeconds * 1000;
    const q = {
      workspaceId: watch.workspaceId,
      watchId: watch.id,
      from: new Date(d.bucketStart.getTime() + d.bucketSeconds * 1000 - span),
      to: new Date(d.bucketStart.getTime() + d.bucketSeconds * 1000),
      limit,
    };
    const evidence =
      d.kind === 'emerging_term' && d.subject
        ? await readTopMentions(db, { ...q, term: d.subject, order: 'reach' })
        : d.kind === 'signal_spike' && d.subject
          ? await readTopMentions(db, { ...q, signal: d.subject, order: 'reach' })
          : d.kind === 'volume_spike'
            ? await readTopMentions(db, { ...q, order: 'reach' })
            : await readTopMentions(db, { ...q, order: 'negative', sentiment: 'negative' });
    d.topMentions = evidence.map(toMention);
  }
  return found;
}

async function detectForMetrics(db: Kysely<Database>, opts: RunDetectorsOptions): Promise<Detection[]> {
  const to = new Date(Math.floor(opts.now.getTime() / DAY_MS) * DAY_MS);
  const from = new Date(to.getTime() - 365 * DAY_MS);
  const sensitivity = typeof opts.sensitivity === 'string' ? opts.sensitivity : 'medium';
  const out: Detection[] = [];
  for (const metric of await listMetrics(db, opts.workspaceId)) {
    const buckets = await readMetric(db, {
      workspaceId: opts.workspaceId,
      name: metric.name,
      from,
      to,
      bucket: 'day',
      aggregate: 'sum',
    });
    // No data is not zero: days without points are left out of the series rather than read as 0.
    const points = buckets.flatMap((b) => (b.value === null ? [] : [{ start: b.start, value: b.value }]));
    const last = points[points.length - 1];
    if (!last || last.start.getTime() !== to.getTime() - DAY_MS) continue;
    out.push(
      ...detectMetric(points, {
        workspaceId: opts.workspaceId,
        watchId: null,
        bucketSeconds: 86_400,
        sensitivity,
        evaluate: 1,
        metric: metric.name,
      }),
    );
  }
  return out;
}
