import { describe, expect, it } from 'vitest';
import { binomialUpper, normalUpper, poissonLower, poissonUpper, scoreFromP, surprise } from './stats.ts';

describe('count tails', () => {
  it('match closed forms of the Poisson distribution', () => {
    expect(poissonUpper(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(poissonUpper(5, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2 + 4 / 3 + 2 / 3), 12);
    expect(poissonLower(0, 3)).toBeCloseTo(Math.exp(-3), 12);
    expect(poissonLower(2, 3)).toBeCloseTo(Math.exp(-3) * (1 + 3 + 4.5), 12);
    expect(poissonUpper(0, 3)).toBe(1);
  });

  it('keeps far tails non-zero and ordered (no 1 - x underflow)', () => {
    const a = poissonUpper(60, 5);
    const b = poissonUpper(80, 5);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeLessThan(a);
    expect(poissonLower(100, 300)).toBeLessThan(1e-30);
  });

  it('binomial upper tail sums to the exact value for small n', () => {
    // P(X >= 2) for Binomial(3, 0.5) = 4/8.
    expect(binomialUpper(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialUpper(0, 3, 0.5)).toBe(1);
    expect(binomialUpper(4, 3, 0.5)).toBe(0);
    expect(binomialUpper(850, 1000, 0.3)).toBeLessThan(1e-200);
  });

  it('normal tail and the score mapping', () => {
    expect(normalUpper(0)).toBeCloseTo(0.5, 6);
    expect(normalUpper(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpper(-1.959964)).toBeCloseTo(0.975, 6);
    expect(surprise(1e-4)).toBeCloseTo(4, 10);
    expect(scoreFromP(1e-4)).toBeCloseTo(0.5, 10);
    expect(scoreFromP(1)).toBe(0);
    expect(scoreFromP(0)).toBeLessThan(1);
  });
});
