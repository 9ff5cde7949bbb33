import { describe, expect, it } from 'vitest';
import { prefixSums, seasonalWindow } from './seasonal.ts';

describe('seasonalWindow', () => {
  // Four weeks of a daily series (period 7) with a weekly rhythm: weekends at half volume.
  const week = [100, 100, 100, 100, 100, 50, 50];
  const values = Array.from({ length: 28 }, (_, i) => week[i % 7] as number);

  it('expects the same days of past weeks (median), so weekends are not drops', () => {
    const r = seasonalWindow(values, 26, { window: 1, period: 7, direction: 'down' });
    expect(r?.expected).toBe(50);
    expect(r?.observed).toBe(50);
    expect(r?.pValue).toBeGreaterThan(0.4);
  });

  it('flags a drop and lists the past totals it compared with', () => {
    const v = [...values.slice(0, 27), 20];
    const r = seasonalWindow(v, 27, { window: 1, period: 7, direction: 'down' });
    expect(r?.past).toEqual([50, 50, 50]);
    expect(r?.pValue).toBeLessThan(1e-4);
    expect(seasonalWindow(v, 27, { window: 1, period: 7, direction: 'up' })?.pValue).toBeGreaterThan(0.99);
  });

  it('ignores one past incident (median) and needs two past seasons (cold start)', () => {
    const v = [...values];
    v[14] = 5000; // an incident one week before day 21
    const r = seasonalWindow(v, 21, { window: 1, period: 7, direction: 'down' });
    expect(r?.expected).toBe(100);
    expect(seasonalWindow(values, 10, { window: 1, period: 7, direction: 'down' })).toBeNull();
  });

  it('gives the same answer with prefix sums', () => {
    const a = seasonalWindow(values, 27, { window: 3, period: 7, direction: 'down' });
    const b = seasonalWindow(values, 27, {
      window: 3,
      period: 7,
      direction: 'down',
      prefix: prefixSums(values),
    });
    expect(b).toEqual(a);
    expect(a?.observed).toBe(200);
  });
});
