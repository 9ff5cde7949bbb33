import { describe, expect, it } from 'vitest';
import { hourOf, mentionTerms, normalizeRating } from './rollups.ts';

describe('normalizeRating', () => {
  it('maps any scale onto 5 points', () => {
    expect(normalizeRating(4, 5)).toBe(4);
    expect(normalizeRating(8, 10)).toBe(4);
    expect(normalizeRating(1, 1)).toBe(5);
  });

  it('assumes 5 when the scale is missing or unusable, and clamps out-of-range ratings', () => {
    expect(normalizeRating(3, null)).toBe(3);
    expect(normalizeRating(3, 0)).toBe(3);
    expect(normalizeRating(12, 10)).toBe(5);
    expect(normalizeRating(-2, 5)).toBe(0);
  });

  it('gives null without a finite rating', () => {
    expect(normalizeRating(null, 5)).toBeNull();
    expect(normalizeRating(Number.NaN, 5)).toBeNull();
  });

  it('counts the float4 value the database stores, so rebuilds add up to the same sums', () => {
    expect(normalizeRating(4.2, 5)).toBe(Math.fround(4.2));
  });
});

describe('hourOf and mentionTerms', () => {
  it('floors to the UTC hour', () => {
    expect(hourOf(new Date('2026-03-01T10:59:59.999Z')).toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('extracts terms from the title and the text together', () => {
    expect(mentionTerms('Outage in Leeds', 'No signal #telvanafail')).toEqual([
      '#telvanafail',
      'outage',
      'leeds',
      'signal',
    ]);
    expect(mentionTerms(null, 'outage outage')).toEqual(['outage']);
  });
});
