import type { Alert } from '../../store/repositories/alerts.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The mentions behind an alert as a mentions filter (the API's and the explorer's parameters): the
 * incident's whole span, from the bucket that opened it to the latest one detected, narrowed the way
 * the detector chose its evidence (the term, the red flag, negative mentions).
 */
export function alertMentionQuery(
  a: Pick<Alert, 'kind' | 'watchId' | 'openedAt' | 'lastBucketStart' | 'details'>,
): Record<string, string> {
  const bucketMs = (a.details.bucketSeconds ?? 3600) * 1000;
  // opened_at is when the first bucket closed; rating drops look at the day before it.
  const lookBack = a.kind === 'rating_drop' ? DAY_MS : bucketMs;
  const from = new Date(a.openedAt.getTime() - lookBack);
  const lastEnd = (a.lastBucketStart?.getTime() ?? a.openedAt.getTime() - bucketMs) + bucketMs;
  const to = new Date(Math.max(lastEnd, a.openedAt.getTime(), from.getTime() + HOUR_MS));
  const q: Record<string, string> = { from: from.toISOString(), to: to.toISOString() };
  if (a.watchId) q.watch = a.watchId;
  const subject = a.details.subject ?? undefined;
  if (a.kind === 'emerging_term' && subject) q.q = subject;
  else if (a.kind === 'signal_spike' && subject) q.signal = subject;
  else if (a.kind === 'negativity_spike' || a.kind === 'rating_drop' || a.kind === 'viral_risk') {
    q.sentiment = 'negative';
    q.sort = 'most_negative';
  }
  return q;
}
