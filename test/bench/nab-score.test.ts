import { describe, expect, it } from 'vitest';
import { loadRealTweets, loadReference, nabAvailable } from '../../bench/nab/data.ts';
import {
  bestThreshold,
  probationLength,
  scaledSigmoid,
  scoreCorpus,
  scoreSeries,
} from '../../bench/nab/score.ts';

const haveNab = nabAvailable();
if (!haveNab && process.env.CI) throw new Error('../shared/benchmarks/nab is missing (required in CI)');

describe('NAB scorer (small cases)', () => {
  const ts = Array.from({ length: 100 }, (_, i) => i * 300_000);
  const windows: Array<[number, number]> = [[ts[40] as number, ts[49] as number]];
  const zeros = () => new Array(100).fill(0) as number[];

  it('counts probation as min(15% of rows, 750)', () => {
    expect(probationLength(100)).toBe(15);
    expect(probationLength(15_000)).toBe(750);
  });

  it('rewards an early detection near 1, a missed window -1, a far false positive -0.11', () => {
    const early = zeros();
    early[40] = 1;
    expect(scoreSeries({ name: 'x', timestamps: ts, scores: early, windows }, 0.5).raw).toBeCloseTo(
      scaledSigmoid(-1) / scaledSigmoid(-1),
      10,
    );
    const late = zeros();
    late[49] = 1;
    const lateRaw = scoreSeries({ name: 'x', timestamps: ts, scores: late, windows }, 0.5).raw;
    expect(lateRaw).toBeGreaterThan(0);
    expect(lateRaw).toBeCloseTo((2 / (1 + Math.exp(-0.5)) - 1) / scaledSigmoid(-1), 10);
    expect(scoreSeries({ name: 'x', timestamps: ts, scores: zeros(), windows }, 0.5).raw).toBe(-1);
    const fpBefore = zeros();
    fpBefore[20] = 1;
    expect(scoreSeries({ name: 'x', timestamps: ts, scores: fpBefore, windows }, 0.5).raw).toBeCloseTo(
      -1.11,
      10,
    );
    const inProbation = zeros();
    inProbation[5] = 1;
    expect(scoreSeries({ name: 'x', timestamps: ts, scores: inProbation, windows }, 0.5).raw).toBe(-1);
    // Right after the window a false positive costs almost nothing.
    const after = zeros();
    after[50] = 1;
    const afterRaw = scoreSeries({ name: 'x', timestamps: ts, scores: after, windows }, 0.5).raw;
    expect(afterRaw).toBeCloseTo(-1 + 0.11 * (2 / (1 + Math.exp(5 / 9)) - 1), 10);
    expect(afterRaw).toBeGreaterThan(-1.04);
  });
});

describe.skipIf(!haveNab)('NAB scorer against the published realTweets scores', () => {
  const series = haveNab ? loadRealTweets() : [];
  const corpus = (detector: string) =>
    series.map((s) => ({
      name: s.file,
      timestamps: s.timestamps,
      windows: s.windows,
      scores: loadReference(detector, s.file),
    }));

  it('reproduces Numenta HTM: raw 11.8925, 27/33 windows, 77 TP rows, 59 FP rows, 68.0 normalized', () => {
    const c = scoreCorpus(corpus('numenta'), 0.5421876907348634);
    expect(c.raw.toFixed(4)).toBe('11.8925');
    expect(c.windowsDetected).toBe(27);
    expect(c.windows).toBe(33);
    expect(c.tpRows).toBe(77);
    expect(c.fpRows).toBe(59);
    expect(c.normalized.toFixed(1)).toBe('68.0');
  });

  it('reproduces Twitter ADVec: raw 6.3467, 29/33 windows, 145 TP rows, 148 FP rows, 59.6 normalized', () => {
    const c = scoreCorpus(corpus('twitterADVec'), 0.5);
    expect(c.raw.toFixed(4)).toBe('6.3467');
    expect(c.windowsDetected).toBe(29);
    expect(c.tpRows).toBe(145);
    expect(c.fpRows).toBe(148);
    expect(c.normalized.toFixed(1)).toBe('59.6');
  });

  it('finds the published best thresholds on these 10 series (69.3 and 59.6)', () => {
    expect(bestThreshold(corpus('numenta')).normalized.toFixed(1)).toBe('69.3');
    expect(bestThreshold(corpus('twitterADVec')).normalized.toFixed(1)).toBe('59.6');
  });
});
