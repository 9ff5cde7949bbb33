import { describe, expect, it } from 'vitest';
import { Rng, hashSeed, mulberry32 } from './random.ts';

describe('hashSeed', () => {
  it('is stable for the same parts and differs for neighbouring ones', () => {
    expect(hashSeed(42, 'social', 10)).toBe(hashSeed(42, 'social', 10));
    expect(hashSeed(42, 'social', 10)).not.toBe(hashSeed(42, 'social', 11));
    expect(hashSeed(42, 'social', 10)).not.toBe(hashSeed(43, 'social', 10));
    // The separator keeps ('a1', 2) and ('a', 12) apart.
    expect(hashSeed('a1', 2)).not.toBe(hashSeed('a', 12));
  });
});

describe('mulberry32', () => {
  it('replays the same sequence for the same seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('Rng', () => {
  it('draws Poisson counts with the requested mean, small and large', () => {
    const rng = new Rng(1);
    for (const lambda of [0.3, 4, 45]) {
      const n = 4000;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += rng.poisson(lambda);
      expect(sum / n).toBeGreaterThan(lambda * 0.93);
      expect(sum / n).toBeLessThan(lambda * 1.07 + 0.02);
    }
    expect(rng.poisson(0)).toBe(0);
  });

  it('respects weights and never picks a zero weight', () => {
    const rng = new Rng(2);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++)
      counts[
        rng.weighted([
          ['a', 3],
          ['b', 1],
          ['c', 0],
        ] as const)
      ]++;
    expect(counts.c).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });

  it('keeps int() inside its inclusive bounds and refuses to pick from nothing', () => {
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(2, 4));
    expect([...seen].sort()).toEqual([2, 3, 4]);
    expect(() => rng.pick([])).toThrow();
  });
});
