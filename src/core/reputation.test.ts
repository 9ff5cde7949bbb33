import { describe, expect, it } from 'vitest';
import { reputationIndex, severeCount } from './reputation.ts';

describe('reputationIndex', () => {
  it('reads 50 with no evidence and for balanced praise and complaints', () => {
    expect(reputationIndex({ positive: 0, negative: 0 })).toBe(50);
    expect(reputationIndex({ positive: 40, negative: 40 })).toBe(50);
  });

  it('rises with praise and falls with complaints, bounded by 0 and 100', () => {
    const good = reputationIndex({ positive: 90, negative: 10 });
    const bad = reputationIndex({ positive: 10, negative: 90 });
    expect(good).toBeGreaterThan(80);
    expect(bad).toBeLessThan(20);
    expect(reputationIndex({ positive: 1e9, negative: 0 })).toBeLessThanOrEqual(100);
    expect(reputationIndex({ positive: 0, negative: 1e9 })).toBeGreaterThanOrEqual(0);
  });

  it('damps a single angry mention in a quiet bucket', () => {
    expect(reputationIndex({ positive: 0, negative: 1 })).toBeCloseTo(100 * (5 / 11), 6);
  });

  it('weighs severe trust flags on top of negative tone, and only those kinds', () => {
    const plain = reputationIndex({ positive: 10, negative: 10 });
    const severe = reputationIndex({
      positive: 10,
      negative: 10,
      signals: { churn_intent: 4, security_fraud: 2 },
    });
    const mild = reputationIndex({ positive: 10, negative: 10, signals: { question: 9, praise: 3 } });
    expect(severe).toBeLessThan(plain);
    expect(mild).toBe(plain);
    expect(severeCount({ backlash: 2, churn_intent: 1, complaint: 7 })).toBe(3);
  });
});
