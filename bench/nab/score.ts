/**
 * NAB's scorer (numenta/NAB v1.1, nab/sweeper.py), re-implemented so that trustwatch's detectors can be
 * scored on the realTweets series without Python. It must reproduce the published raw scores of the
 * reference detectors exactly (test/bench/nab-score.test.ts), so it follows sweeper.py step by step:
 * probation, window membership by exact timestamps, the scaled sigmoid, and "score >= threshold".
 */

export interface CostProfile {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
}

export const STANDARD_PROFILE: CostProfile = { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 };

/** One series to score: row timestamps (ms), anomaly scores and the labelled windows as [start, end] ms. */
export interface ScoredSeries {
  name: string;
  timestamps: number[];
  scores: number[];
  windows: Array<[number, number]>;
}

export interface SeriesScore {
  name: string;
  raw: number;
  /** Windows (outside probation) with at least one detection, and the count of such windows. */
  windowsDetected: number;
  windows: number;
  tpRows: number;
  fpRows: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** NAB's scaledSigmoid: in (-1, 1); -1 for a false positive more than 3 window widths after a window. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 * sigmoid(-5 * relativePosition) - 1;
}

/** Rows in probation: min(floor(15% of rows), 15% of 5000) as in sweeper.py. */
export function probationLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
}

interface RowWeight {
  /** Window index, -1 outside any window, -2 in probation. */
  window: number;
  weight: number;
}

/** Per-row weight NAB gives a detection at that row (calcSweepScoreByRow). */
export function rowWeights(
  timestamps: number[],
  windows: Array<[number, number]>,
  profile: CostProfile,
): RowWeight[] {
  const out: RowWeight[] = [];
  const maxTP = scaledSigmoid(-1);
  const probation = probationLength(timestamps.length);
  const indexOf = new Map<number, number>();
  timestamps.forEach((t, i) => {
    if (!indexOf.has(t)) indexOf.set(t, i);
  });
  const pending = [...windows];
  let cur: number | null = null;
  let curRight = 0;
  let curWidth = 0;
  let prevRight: number | null = null;
  let prevWidth = 0;
  let windowNo = -1;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    const next = pending[0];
    if (next && t === next[0]) {
      pending.shift();
      windowNo++;
      cur = windowNo;
      const right = indexOf.get(next[1]);
      const left = indexOf.get(next[0]);
      if (right === undefined || left === undefined)
        throw new Error(`window edge not a row timestamp: ${next}`);
      curRight = right;
      curWidth = right - left + 1;
    }
    let weight: number;
    if (cur !== null) {
      weight = (scaledSigmoid(-(curRight - i + 1) / curWidth) * profile.tpWeight) / maxTP;
    } else if (prevRight === null) {
      weight = -1 * profile.fpWeight;
    } else {
      weight = scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1)) * profile.fpWeight;
    }
    out.push({ window: i >= probation ? (cur ?? -1) : -2, weight });
    if (cur !== null && i === curRight) {
      prevRight = curRight;
      prevWidth = curWidth;
      cur = null;
    }
  }
  return out;
}

/** Scores one series at a threshold: a row is a detection when its score is at or above it. */
export function scoreSeries(
  series: ScoredSeries,
  threshold: number,
  profile = STANDARD_PROFILE,
): SeriesScore {
  return scoreWithWeights(series, rowWeights(series.timestamps, series.windows, profile), threshold, profile);
}

function scoreWithWeights(
  series: ScoredSeries,
  weights: RowWeight[],
  threshold: number,
  profile: CostProfile,
): SeriesScore {
  const windowScore = new Map<number, number>();
  for (const w of weights)
    if (w.window >= 0 && !windowScore.has(w.window)) windowScore.set(w.window, -profile.fnWeight);
  let fp = 0;
  let tpRows = 0;
  let fpRows = 0;
  const detected = new Set<number>();
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as RowWeight;
    if ((series.scores[i] as number) < threshold || w.window === -2) continue;
    if (w.window === -1) {
      fp += w.weight;
      fpRows++;
    } else {
      tpRows++;
      detected.add(w.window);
      windowScore.set(w.window, Math.max(windowScore.get(w.window) as number, w.weight));
    }
  }
  let raw = fp;
  for (const v of windowScore.values()) raw += v;
  return {
    name: series.name,
    raw,
    windowsDetected: detected.size,
    windows: windowScore.size,
    tpRows,
    fpRows,
  };
}

export interface CorpusScore {
  threshold: number;
  raw: number;
  normalized: number;
  windowsDetected: number;
  windows: number;
  tpRows: number;
  fpRows: number;
  perSeries: SeriesScore[];
}

/**
 * Scores a corpus at one threshold and normalizes against the null detector (-fnWeight per window)
 * and the perfect one (+tpWeight per window), as NAB's runner does.
 */
export function scoreCorpus(all: ScoredSeries[], threshold: number, profile = STANDARD_PROFILE): CorpusScore {
  const perSeries = all.map((s) => scoreSeries(s, threshold, profile));
  return summarize(perSeries, threshold, all, profile);
}

function summarize(
  perSeries: SeriesScore[],
  threshold: number,
  all: ScoredSeries[],
  profile: CostProfile,
): CorpusScore {
  const raw = perSeries.reduce((a, s) => a + s.raw, 0);
  const nWindows = all.reduce((a, s) => a + s.windows.length, 0);
  const nullScore = -profile.fnWeight * nWindows;
  const perfect = profile.tpWeight * nWindows;
  return {
    threshold,
    raw,
    normalized: (100 * (raw - nullScore)) / (perfect - nullScore),
    windowsDetected: perSeries.reduce((a, s) => a + s.windowsDetected, 0),
    windows: nWindows,
    tpRows: perSeries.reduce((a, s) => a + s.tpRows, 0),
    fpRows: perSeries.reduce((a, s) => a + s.fpRows, 0),
    perSeries,
  };
}

/**
 * The threshold that maximizes the raw score over `all`, found with one sweep down the distinct
 * scores as NAB's optimizer does. Used on training series only, or to report an upper bound.
 */
export function bestThreshold(all: ScoredSeries[], profile = STANDARD_PROFILE): CorpusScore {
  const rows: Array<{ score: number; key: number; weight: number }> = [];
  const windowScore = new Map<number, number>();
  let key = 0;
  for (const s of all) {
    const weights = rowWeights(s.timestamps, s.windows, profile);
    const base = key;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as RowWeight;
      if (w.window === -2) continue;
      const k = w.window === -1 ? -1 : base + w.window;
      if (k >= 0) {
        windowScore.set(k, -profile.fnWeight);
        key = Math.max(key, k + 1);
      }
      rows.push({ score: s.scores[i] as number, key: k, weight: w.weight });
    }
  }
  rows.sort((a, b) => b.score - a.score);
  let total = [...windowScore.values()].reduce((a, b) => a + b, 0);
  let bestRaw = total;
  let bestTh = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as (typeof rows)[number];
    if (r.key === -1) total += r.weight;
    else {
      const prev = windowScore.get(r.key) as number;
      if (r.weight > prev) {
        windowScore.set(r.key, r.weight);
        total += r.weight - prev;
      }
    }
    const next = rows[i + 1];
    if ((!next || next.score !== r.score) && total > bestRaw) {
      bestRaw = total;
      bestTh = r.score;
    }
  }
  return scoreCorpus(all, bestTh, profile);
}
