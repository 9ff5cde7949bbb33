import { describe, expect, it } from 'vitest';
import { CountStream } from './count-stream.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5); // a Monday

/** A deterministic uniform in [0, 1) per index (an integer hash), so the series is the same every run. */
function uniform(i: number, salt: number): number {
  let t = (i * 0x9e3779b1 + salt * 0x85ebca6b) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d) >>> 0;
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b) >>> 0;
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

/** Poisson hourly counts with a daily rhythm: about 40 an hour by day, 8 at night. */
function normalHour(i: number): number {
  const h = new Date(T0 + i * HOUR).getUTCHours();
  const mu = h >= 8 && h < 22 ? 40 : 8;
  const l = Math.exp(-mu);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= uniform(i, k);
  } while (p > l);
  return k - 1;
}

describe('CountStream', () => {
  it('learns the daily rhythm: expects nights to be quiet and days busy', () => {
    const s = new CountStream({ bucketSeconds: 3600 });
    for (let i = 0; i < 21 * 24; i++) s.push(T0 + i * HOUR, normalHour(i));
    const at = (h: number) => s.expectedAt(T0 + 21 * 24 * HOUR + h * HOUR);
    expect(at(3)).toBeLessThan(15);
    expect(at(14)).toBeGreaterThan(30);
  });

  it('flags a spike with a tiny p-value and ordinary hours with none', () => {
    const s = new CountStream({ bucketSeconds: 3600, scales: [1, 3] });
    let minNormalP = 1;
    for (let i = 0; i < 21 * 24; i++) {
      const step = s.push(T0 + i * HOUR, normalHour(i));
      if (i > 7 * 24) minNormalP = Math.min(minNormalP, step.pValue);
    }
    expect(minNormalP).toBeGreaterThan(1e-4);
    const i = 21 * 24 + 14;
    for (let j = 21 * 24; j < i; j++) s.push(T0 + j * HOUR, normalHour(j));
    // 12x the hour's normal volume. The heavy Laplace tail keeps p moderate (a merely 3x busy hour
    // must not look astronomically unlikely), but far below any ordinary hour's.
    const spike = s.push(T0 + i * HOUR, 500);
    expect(spike.pValue).toBeLessThan(1e-3);
    expect(spike.pValue).toBeLessThan(minNormalP / 100);
    expect(spike.expected).toBeGreaterThan(25);
    expect(spike.expected).toBeLessThan(60);
    expect(spike.rawScore).toBeGreaterThan(0.4);
  });

  it('is robust to past spikes: a second identical spike a day later is still seen', () => {
    const s = new CountStream({ bucketSeconds: 3600 });
    const ps: number[] = [];
    for (let i = 0; i < 28 * 24; i++) {
      const h = i % 24;
      const day = Math.floor(i / 24);
      const spike = (day === 20 || day === 21) && h === 14;
      ps.push(s.push(T0 + i * HOUR, spike ? 500 : normalHour(i)).pValue);
    }
    const first = ps[20 * 24 + 14] as number;
    const second = ps[21 * 24 + 14] as number;
    expect(first).toBeLessThan(1e-3);
    // The first spike barely moved the baseline: the second is about as unusual.
    expect(second).toBeLessThan(1e-3);
    expect(Math.log10(second)).toBeLessThan(Math.log10(first) / 2);
  });

  it('gives no score during warm-up (cold start)', () => {
    const s = new CountStream({ bucketSeconds: 3600 });
    s.push(T0, 5);
    const step = s.push(T0 + HOUR, 500);
    expect(step.pValue).toBe(1);
    expect(step.score).toBe(0);
  });

  it('does not look ahead: a bucket scores the same whatever follows', () => {
    const run = (tail: number) => {
      const s = new CountStream({ bucketSeconds: 3600, scales: [1, 3], refractory: 24, relativeDays: 7 });
      const out: number[] = [];
      for (let i = 0; i < 10 * 24; i++)
        out.push(s.push(T0 + i * HOUR, i === 9 * 24 ? tail : normalHour(i)).score);
      return out;
    };
    const a = run(5);
    const b = run(900);
    expect(a.slice(0, 9 * 24)).toEqual(b.slice(0, 9 * 24));
    expect(b[9 * 24]).toBeGreaterThan(a[9 * 24] as number);
  });

  it('suppresses repeats within the refractory period (one onset per incident)', () => {
    const s = new CountStream({ bucketSeconds: 3600, refractory: 12 });
    for (let i = 0; i < 14 * 24; i++) s.push(T0 + i * HOUR, normalHour(i));
    const i0 = 14 * 24;
    const first = s.push(T0 + i0 * HOUR, 400);
    const second = s.push(T0 + (i0 + 1) * HOUR, 300);
    expect(first.score).toBeGreaterThan(0);
    expect(second.rawScore).toBeGreaterThan(0);
    expect(second.score).toBe(0);
  });

  it('detects a drop in the down direction', () => {
    const s = new CountStream({ bucketSeconds: 3600, scales: [24], direction: 'down', tail: 'normal' });
    for (let i = 0; i < 21 * 24; i++) s.push(T0 + i * HOUR, normalHour(i));
    let last = s.push(T0 + 21 * 24 * HOUR, 0);
    for (let i = 21 * 24 + 1; i < 22 * 24; i++) last = s.push(T0 + i * HOUR, 0);
    expect(last.pValue).toBeLessThan(1e-4);
  });
});
