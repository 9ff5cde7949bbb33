import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, nextPollAfterFailure, nextPollAfterSuccess } from './poll.ts';

const now = new Date('2026-01-01T00:00:00Z');
const secondsUntil = (d: Date) => (d.getTime() - now.getTime()) / 1000;

describe('poll timing', () => {
  it('schedules the next poll one interval later, within ±10 % jitter', () => {
    expect(secondsUntil(nextPollAfterSuccess(now, 900, () => 0))).toBeCloseTo(810);
    expect(secondsUntil(nextPollAfterSuccess(now, 900, () => 0.5))).toBeCloseTo(900);
    expect(secondsUntil(nextPollAfterSuccess(now, 900, () => 0.999999))).toBeCloseTo(990, 0);
  });

  it('backs off exponentially after consecutive failures, with jitter, up to a cap', () => {
    const waits = [1, 2, 3, 4].map((n) => secondsUntil(nextPollAfterFailure(now, 60, n, () => 1)));
    expect(waits).toEqual([60, 120, 240, 480]);
    // Jitter spreads the wait over [50 %, 100 %] of the backoff.
    expect(secondsUntil(nextPollAfterFailure(now, 60, 3, () => 0))).toBe(120);
    expect(secondsUntil(nextPollAfterFailure(now, 3600, 20, () => 1)) * 1000).toBe(MAX_BACKOFF_MS);
  });

  it('waits at least as long as the upstream asked with Retry-After', () => {
    expect(secondsUntil(nextPollAfterFailure(now, 60, 1, () => 1, 3_600_000))).toBe(3600);
    expect(secondsUntil(nextPollAfterFailure(now, 60, 1, () => 1, 5_000))).toBe(60);
  });
});
