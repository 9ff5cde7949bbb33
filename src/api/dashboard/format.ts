import type { SignalKind } from '../../core/mention.ts';

/** Words people use for the scorer's signal kinds. */
export const SIGNAL_LABELS: Record<SignalKind, string> = {
  complaint: 'Complaints',
  slow_response: 'Slow-reply complaints',
  churn_intent: 'Churn intent',
  advice_elsewhere: 'Hearing elsewhere',
  questioning: 'Questioning policies',
  security_fraud: 'Fraud / data-leak talk',
  backlash: 'Backlash',
  praise: 'Praise',
  question: 'Questions',
};

export function signalLabel(kind: string): string {
  return SIGNAL_LABELS[kind as SignalKind] ?? kind.replace(/_/g, ' ');
}

/** A count with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function percent(share: number | null, digits = 0): string {
  return share === null ? '–' : `${(share * 100).toFixed(digits)}%`;
}

export interface Change {
  /** `up`, `down` or `flat` (for CSS: red-flag rises are bad news). */
  direction: 'up' | 'down' | 'flat';
  /** "up 340%", "down 12%", "new", "no change". */
  text: string;
}

/** Week-over-week (or any period) change of a count, in words. */
export function change(now: number, before: number): Change {
  if (now === before) return { direction: 'flat', text: 'no change' };
  if (before === 0) return { direction: 'up', text: `new (${count(now)} vs none)` };
  const pct = Math.round(((now - before) / before) * 100);
  if (pct === 0) return { direction: 'flat', text: 'no change' };
  return pct > 0 ? { direction: 'up', text: `up ${pct}%` } : { direction: 'down', text: `down ${-pct}%` };
}

/** `2026-11-15 10:00 UTC`: dashboards are read across time zones, so times say which. */
export function utc(d: Date | string | null | undefined): string {
  if (!d) return '–';
  const date = typeof d === 'string' ? new Date(d) : d;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A figure with a sensible number of digits (the detectors' observed / expected values). */
export function figure(x: number, unit?: string): string {
  if (unit === 'share') return percent(x, 0);
  if (Math.abs(x) >= 100 || Number.isInteger(x)) return count(x);
  return x.toFixed(Math.abs(x) >= 10 ? 1 : 2);
}
