import { describe, expect, it } from 'vitest';
import { quietUntil, zonedTime } from './quiet-hours.ts';

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:00' };

  it('holds deliveries inside a window that spans midnight until the window ends', () => {
    // 23:30 in Paris (UTC+1 in January) is 22:30 UTC; the window ends at 07:00 Paris = 06:00 UTC.
    const until = quietUntil(new Date('2026-01-10T22:30:00Z'), quiet, 'Europe/Paris');
    expect(until?.toISOString()).toBe('2026-01-11T06:00:00.000Z');
    const early = quietUntil(new Date('2026-01-11T05:59:00Z'), quiet, 'Europe/Paris');
    expect(early?.toISOString()).toBe('2026-01-11T06:00:00.000Z');
  });

  it('lets deliveries through outside the window and without quiet hours', () => {
    expect(quietUntil(new Date('2026-01-11T06:00:00Z'), quiet, 'Europe/Paris')).toBeNull();
    expect(quietUntil(new Date('2026-01-11T12:00:00Z'), quiet, 'UTC')).toBeNull();
    expect(quietUntil(new Date('2026-01-11T23:00:00Z'), null, 'UTC')).toBeNull();
  });

  it('handles a same-day window and daylight saving time', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(new Date('2026-07-01T12:10:00Z'), lunch, 'UTC')?.toISOString()).toBe(
      '2026-07-01T13:30:00.000Z',
    );
    // New York is UTC-4 in July, UTC-5 in January.
    expect(zonedTime(2026, 7, 1, 9 * 60, 'America/New_York').toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(zonedTime(2026, 1, 1, 9 * 60, 'America/New_York').toISOString()).toBe('2026-01-01T14:00:00.000Z');
  });
});
