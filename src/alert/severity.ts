import type { Severity } from '../core/detection.ts';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** True when an alert of severity `s` passes a route's minimum. */
export function atLeast(s: Severity, min: Severity): boolean {
  return RANK[s] >= RANK[min];
}
