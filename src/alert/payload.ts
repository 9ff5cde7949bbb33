import type { DetectionKind, Severity } from '../core/detection.ts';

/**
 * The JSON body of a generic webhook, and what every delivery stores in the outbox. Slack messages are
 * rendered from the same payload at send time. Documented in docs/webhooks.md and
 * docs/webhook-payload.schema.json: change the three together.
 */
export type AlertEventType =
  | 'alert.opened'
  | 'alert.updated'
  | 'alert.escalated'
  | 'alert.acknowledged'
  | 'alert.resolved'
  | 'alert.reopened';

export type PayloadType = AlertEventType | 'test' | 'digest';

export const ALERT_EVENT_TYPES: readonly AlertEventType[] = [
  'alert.opened',
  'alert.updated',
  'alert.escalated',
  'alert.acknowledged',
  'alert.resolved',
  'alert.reopened',
];

export interface MentionSnapshot {
  id: string;
  url: string | null;
  text: string;
  authorHandle: string | null;
  sentimentScore: number;
  publishedAt: string;
}

export interface AlertSnapshot {
  id: string;
  url: string;
  workspaceId: string;
  watchId: string | null;
  watchName: string | null;
  kind: DetectionKind | string;
  subject: string | null;
  severity: Severity;
  state: 'open' | 'acknowledged' | 'resolved';
  title: string;
  summary: string;
  observed: number | null;
  expected: number | null;
  unit: string | null;
  pValue: number | null;
  score: number | null;
  bucketStart: string | null;
  bucketSeconds: number | null;
  /** A small sparkline of the watch's recent hourly volume, oldest first (e.g. "▁▁▂▁▃▇"), or null. */
  trend: string | null;
  detectionCount: number;
  openedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  topMentions: MentionSnapshot[];
  topTerms: string[];
}

export interface AlertPayload {
  type: AlertEventType | 'test';
  /** When the event happened (ISO 8601). */
  timestamp: string;
  data: { alert: AlertSnapshot };
}

export interface DigestSnapshot {
  watchId: string;
  watchName: string;
  period: 'daily' | 'weekly';
  from: string;
  to: string;
  url: string;
  mentions: number;
  previousMentions: number;
  /** Mean sentiment in [-1, 1] over the period (null without mentions), and the period before. */
  meanSentiment: number | null;
  previousMeanSentiment: number | null;
  negativeShare: number | null;
  redFlags: { kind: string; count: number }[];
  topMentions: MentionSnapshot[];
  alertsOpened: number;
}

export interface DigestPayload {
  type: 'digest';
  timestamp: string;
  data: { digest: DigestSnapshot };
}

export type DeliveryPayload = AlertPayload | DigestPayload;

const KIND_LABELS: Record<string, string> = {
  volume_spike: 'Volume spike',
  negativity_spike: 'Negativity spike',
  signal_spike: 'Red-flag spike',
  rating_drop: 'Rating drop',
  volume_drop: 'Volume drop',
  emerging_term: 'Emerging term',
  viral_risk: 'Viral risk',
  metric_drop: 'Metric drop',
  metric_spike: 'Metric spike',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** "Telvana: Negativity spike (security_fraud)". */
export function alertTitle(watchName: string | null, kind: string, subject: string | null): string {
  const what = `${kindLabel(kind)}${subject ? ` (${subject.replace(/_/g, ' ')})` : ''}`;
  return watchName ? `${watchName}: ${what}` : what;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of a series ("▁▁▂▁▃▇"): Slack shows it everywhere, no image hosting needed. */
export function sparkline(values: number[]): string {
  if (values.length === 0) return '';
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min;
  return values
    .map((v) => SPARKS[span === 0 ? 0 : Math.round(((v - min) / span) * (SPARKS.length - 1))] ?? SPARKS[0])
    .join('');
}
