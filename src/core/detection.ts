/**
 * What a detector found, handed from src/detect to src/alert. Detectors are pure functions over
 * time series; the alert layer turns detections into alerts (dedupe, cooldown, routes, delivery).
 * Kept in core so that neither layer imports the other.
 */

export type DetectionKind =
  | 'volume_spike'
  | 'negativity_spike'
  | 'signal_spike'
  | 'rating_drop'
  | 'volume_drop'
  | 'emerging_term'
  | 'viral_risk'
  | 'metric_drop'
  | 'metric_spike';

export const DETECTION_KINDS: readonly DetectionKind[] = [
  'volume_spike',
  'negativity_spike',
  'signal_spike',
  'rating_drop',
  'volume_drop',
  'emerging_term',
  'viral_risk',
  'metric_drop',
  'metric_spike',
];

export type Severity = 'info' | 'warning' | 'critical';

export type Sensitivity = 'low' | 'medium' | 'high';

/** A mention cited as evidence for a detection. */
export interface DetectionMention {
  id: string;
  url: string | null;
  text: string;
  authorHandle: string | null;
  sentimentScore: number;
  publishedAt: Date;
}

export interface Detection {
  kind: DetectionKind;
  workspaceId: string;
  /** The watch the series belongs to; null for a workspace-level metric series. */
  watchId: string | null;
  /** For signal_spike: the signal kind; for emerging_term: the term; for metric_*: the metric name. */
  subject: string | null;
  /** Start of the bucket in which the anomaly was seen (bucket width in `bucketSeconds`). */
  bucketStart: Date;
  bucketSeconds: number;
  /** What was observed and what the baseline expected, in the series' unit (count, share, rating). */
  observed: number;
  expected: number;
  unit: 'count' | 'share' | 'rating' | 'score' | 'value';
  /** How unusual: a one-sided p-value or tail probability in [0, 1] (smaller is more unusual). */
  pValue: number;
  /** Anomaly score in [0, 1] (larger is more unusual), as fed to thresholds and NAB. */
  score: number;
  severity: Severity;
  /**
   * Groups detections of one incident: the alert layer updates one alert per key instead of opening
   * a new one. Stable across buckets of the same incident (e.g. `volume_spike:<watchId>`).
   */
  dedupeKey: string;
  /** One sentence for people: "312 mentions in the hour, 40 expected (7.8x, p < 0.001)". */
  summary: string;
  topMentions: DetectionMention[];
  topTerms: string[];
}
