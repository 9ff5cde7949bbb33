/**
 * Detector benchmark.
 *
 * 1. NAB realTweets (../shared/benchmarks/nab): the volume detector streams through each of the 10
 *    series (no look-ahead), writes bench/results/nab/<series>.csv (timestamp, anomaly_score) and is
 *    scored with NAB's standard profile by bench/nab/score.ts, next to the published detectors.
 *    Thresholds are never chosen on the labels of the series being scored: a fixed default (0.5),
 *    leave-one-series-out, and nested leave-one-series-out over a few variants. The threshold
 *    optimized on all 10 series is printed as an upper bound only.
 * 2. Throughput: the live detectors (volume spike/drop, negativity, rating drop) over 10 years of
 *    hourly buckets per watch, in buckets/s, against a baseline measured in the same run (one
 *    exponentially weighted mean over the same buckets: what reading the series alone costs).
 *
 *   npm run bench:detect                   # both
 *   npm run bench:detect -- --watches 50   # throughput sample size (default 20; 1,000 is extrapolated)
 *   npm run bench:detect -- --skip-nab
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type SeriesPoint,
  detectNegativity,
  detectRatingDrop,
  detectVolumeChanges,
} from '../src/detect/detectors.ts';
import { loadRealTweets, loadReference, nabAvailable } from './nab/data.ts';
import { NAB_OPTIONS, NAB_VARIANTS, scoreStream } from './nab/detector.ts';
import { type ScoredSeries, bestThreshold, scoreCorpus, scoreSeries } from './nab/score.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const WATCHES = arg('--watches', 20);
const YEARS = 10;

/** Published realTweets scores (standard profile), from ../shared/benchmarks/nab/README.md. */
const PUBLISHED: Array<{ detector: string; threshold: string; normalized: number; best: number }> = [
  { detector: 'ARTime', threshold: '0.3175', normalized: 81.8, best: 83.2 },
  { detector: 'CAD OSE (contextOSE)', threshold: '0.7655', normalized: 74.5, best: 74.5 },
  { detector: 'earthgecko Skyline', threshold: '0.5', normalized: 68.9, best: 68.9 },
  { detector: 'Numenta HTM', threshold: '0.5422', normalized: 68.0, best: 69.3 },
  { detector: 'HTM Java', threshold: '0.5127', normalized: 65.0, best: 65.7 },
  { detector: 'KNN CAD', threshold: '1.0', normalized: 64.3, best: 64.3 },
  { detector: 'Relative Entropy', threshold: '0.5', normalized: 59.8, best: 59.8 },
  { detector: 'Twitter ADVec', threshold: '0.5', normalized: 59.6, best: 59.6 },
  { detector: 'Windowed Gaussian', threshold: '1.0', normalized: 51.4, best: 51.4 },
  { detector: 'Random Cut Forest', threshold: '0.4539', normalized: 48.1, best: 62.9 },
  { detector: 'Etsy Skyline', threshold: '0.8031', normalized: 29.4, best: 47.6 },
  { detector: 'EXPoSE', threshold: '0.9948', normalized: 19.8, best: 25.7 },
  { detector: 'Bayesian Changepoint', threshold: '0.9846', normalized: 2.7, best: 7.0 },
];

const normalize = (raw: number, windows: number) => (100 * (raw + windows)) / (2 * windows);

interface NabResult {
  fixed: { threshold: number; normalized: number; raw: number; windowsDetected: number; fpRows: number };
  loso: { normalized: number; raw: number; windowsDetected: number; thresholds: Record<string, number> };
  nestedLoso: {
    normalized: number;
    raw: number;
    windowsDetected: number;
    choices: Record<string, { variant: string; threshold: number }>;
  };
  upperBound: { threshold: number; normalized: number; windowsDetected: number };
  referenceCheck: Record<string, { raw: number; normalized: number }>;
  seconds: number;
}

function runNab(): NabResult {
  const series = loadRealTweets();
  const windows = series.reduce((n, s) => n + s.windows.length, 0);
  const started = performance.now();
  const byVariant = NAB_VARIANTS.map((v) =>
    series.map(
      (s): ScoredSeries => ({
        name: s.file,
        timestamps: s.timestamps,
        windows: s.windows,
        scores: scoreStream(s.timestamps, s.values, v.options),
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const main = byVariant[0] as ScoredSeries[];

  const outDir = path.join(here, 'results/nab');
  mkdirSync(outDir, { recursive: true });
  series.forEach((s, k) => {
    const scores = (main[k] as ScoredSeries).scores;
    const lines = s.stamps.map((t, i) => `${t},${(scores[i] as number).toFixed(6)}`);
    writeFileSync(path.join(outDir, s.file), `timestamp,anomaly_score\n${lines.join('\n')}\n`);
  });

  // Fixed default: 0.5 means "as unusual as the 99.9th percentile of the past 14 days": no labels.
  const fixed = scoreCorpus(main, 0.5);

  // Leave one series out: the threshold for series k is the best one on the other nine.
  const losoThresholds: Record<string, number> = {};
  let losoRaw = 0;
  let losoDetected = 0;
  main.forEach((s, k) => {
    const th = bestThreshold(main.filter((_, j) => j !== k)).threshold;
    losoThresholds[s.name] = th;
    const r = scoreSeries(s, th);
    losoRaw += r.raw;
    losoDetected += r.windowsDetected;
  });

  // Nested: variant and threshold both chosen on the other nine.
  const choices: Record<string, { variant: string; threshold: number }> = {};
  let nestedRaw = 0;
  let nestedDetected = 0;
  main.forEach((s, k) => {
    let best = { raw: Number.NEGATIVE_INFINITY, v: 0, th: 0.5 };
    byVariant.forEach((corpus, v) => {
      const b = bestThreshold(corpus.filter((_, j) => j !== k));
      if (b.raw > best.raw) best = { raw: b.raw, v, th: b.threshold };
    });
    choices[s.name] = { variant: (NAB_VARIANTS[best.v] as { name: string }).name, threshold: best.th };
    const r = scoreSeries((byVariant[best.v] as ScoredSeries[])[k] as ScoredSeries, best.th);
    nestedRaw += r.raw;
    nestedDetected += r.windowsDetected;
  });

  const upper = bestThreshold(main);

  // The scorer itself, checked against the published raw scores of the two reference detectors.
  const referenceCheck: Record<string, { raw: number; normalized: number }> = {};
  for (const [detector, th] of [
    ['numenta', 0.5421876907348634],
    ['twitterADVec', 0.5],
  ] as const) {
    const c = scoreCorpus(
      series.map((s) => ({
        name: s.file,
        timestamps: s.timestamps,
        windows: s.windows,
        scores: loadReference(detector, s.file),
      })),
      th,
    );
    referenceCheck[detector] = { raw: Number(c.raw.toFixed(4)), normalized: Number(c.normalized.toFixed(1)) };
  }

  return {
    fixed: {
      threshold: 0.5,
      normalized: fixed.normalized,
      raw: fixed.raw,
      windowsDetected: fixed.windowsDetected,
      fpRows: fixed.fpRows,
    },
    loso: {
      normalized: normalize(losoRaw, windows),
      raw: losoRaw,
      windowsDetected: losoDetected,
      thresholds: losoThresholds,
    },
    nestedLoso: {
      normalized: normalize(nestedRaw, windows),
      raw: nestedRaw,
      windowsDetected: nestedDetected,
      choices,
    },
    upperBound: {
      threshold: upper.threshold,
      normalized: upper.normalized,
      windowsDetected: upper.windowsDetected,
    },
    referenceCheck,
    seconds,
  };
}

function printNab(r: NabResult): string[] {
  const rows: Array<[string, string, string, string]> = [
    [
      'trustwatch (fixed threshold, no labels)',
      '0.5',
      `${r.fixed.windowsDetected}/33`,
      r.fixed.normalized.toFixed(1),
    ],
    [
      'trustwatch (leave-one-series-out threshold)',
      'per series',
      `${r.loso.windowsDetected}/33`,
      r.loso.normalized.toFixed(1),
    ],
    [
      'trustwatch (nested leave-one-series-out: variant + threshold)',
      'per series',
      `${r.nestedLoso.windowsDetected}/33`,
      r.nestedLoso.normalized.toFixed(1),
    ],
    ...PUBLISHED.map((p): [string, string, string, string] => [
      p.detector,
      p.threshold,
      '',
      p.normalized.toFixed(1),
    ]),
    [
      'trustwatch upper bound (threshold optimized on all 10: not a result)',
      r.upperBound.threshold.toFixed(4),
      `${r.upperBound.windowsDetected}/33`,
      r.upperBound.normalized.toFixed(1),
    ],
  ];
  const lines = [
    '| detector | threshold | windows | normalized (standard) |',
    '|---|---|---|---|',
    ...rows.map((c) => `| ${c.join(' | ')} |`),
  ];
  const best = PUBLISHED[0] as (typeof PUBLISHED)[number];
  // The headline is the fixed default threshold, declared before scoring (no labels, no selection
  // among the label-free variants above).
  const ours = r.fixed.normalized;
  lines.push(
    '',
    ours > best.normalized
      ? `Goal met: ${ours.toFixed(1)} (fixed threshold 0.5) > ${best.detector} ${best.normalized}.`
      : `Goal missed: ${ours.toFixed(1)} at the fixed threshold 0.5 (leave-one-out ${r.loso.normalized.toFixed(1)}, nested ${r.nestedLoso.normalized.toFixed(1)}) vs ${best.detector} ${best.normalized}: gap ${(best.normalized - ours).toFixed(1)} points; ahead of ${PUBLISHED.filter((p) => p.normalized < ours).length} of ${PUBLISHED.length} published detectors.`,
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Throughput

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(rand: () => number, mu: number): number {
  if (mu > 30) return Math.max(0, Math.round(mu + Math.sqrt(mu) * gauss(rand)));
  const l = Math.exp(-mu);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** 10 years of hourly buckets for one watch: daily and weekly rhythm, a few incidents, some ratings. */
function syntheticWatch(seed: number, hours: number): SeriesPoint[] {
  const rand = mulberry32(seed);
  const base = 2 + rand() * 20;
  const start = Date.UTC(2016, 0, 4);
  const out: SeriesPoint[] = new Array(hours);
  for (let i = 0; i < hours; i++) {
    const t = start + i * 3_600_000;
    const d = new Date(t);
    const h = d.getUTCHours();
    const day = d.getUTCDay();
    const rhythm = (h >= 8 && h < 22 ? 1.5 : 0.3) * (day === 0 || day === 6 ? 0.7 : 1);
    const incident = rand() < 0.0005 ? 5 : 1;
    const mentions = poisson(rand, base * rhythm * incident);
    const negative = Math.min(mentions, poisson(rand, mentions * (incident > 1 ? 0.6 : 0.25)));
    const ratingCount = rand() < 0.2 ? 1 : 0;
    out[i] = {
      start: d,
      mentions,
      negative,
      ratingSum: ratingCount * (3 + Math.round(rand() * 2)),
      ratingCount,
    };
  }
  return out;
}

interface ThroughputResult {
  watches: number;
  bucketsPerWatch: number;
  baselineBucketsPerSecond: number;
  detectorsBucketsPerSecond: number;
  ratioToBaseline: number;
  detectionsPerWatchYear: number;
  extrapolatedSecondsFor1000Watches: number;
}

function runThroughput(): ThroughputResult {
  const hours = Math.round(YEARS * 365.25 * 24);
  const series = Array.from({ length: WATCHES }, (_, w) => syntheticWatch(1000 + w, hours));
  const buckets = WATCHES * hours;

  // Baseline: one EW mean over the same buckets (reading the series and touching every bucket once).
  let t0 = performance.now();
  let sink = 0;
  for (const s of series) {
    let m = 0;
    for (const p of s) m += 0.01 * (p.mentions - m);
    sink += m;
  }
  const baselineSeconds = Math.max(1e-6, (performance.now() - t0) / 1000);

  t0 = performance.now();
  let detections = 0;
  series.forEach((s, w) => {
    // Every bucket is judged (evaluate = all): the cost of replaying a watch's whole history.
    const ctx = {
      workspaceId: 'bench',
      watchId: `w${w}`,
      bucketSeconds: 3600,
      sensitivity: 'medium' as const,
      evaluate: s.length,
    };
    detections +=
      detectVolumeChanges(s, ctx).length + detectNegativity(s, ctx).length + detectRatingDrop(s, ctx).length;
    process.stderr.write(`\r  detectors: ${w + 1}/${WATCHES} watches`);
  });
  process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  if (Number.isNaN(sink)) throw new Error('unreachable');
  const rate = buckets / seconds;
  return {
    watches: WATCHES,
    bucketsPerWatch: hours,
    baselineBucketsPerSecond: Math.round(buckets / baselineSeconds),
    detectorsBucketsPerSecond: Math.round(rate),
    ratioToBaseline: Number((rate / (buckets / baselineSeconds)).toFixed(4)),
    detectionsPerWatchYear: Number((detections / WATCHES / YEARS).toFixed(2)),
    extrapolatedSecondsFor1000Watches: Math.round((1000 * hours) / rate),
  };
}

const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  nabOptions: NAB_OPTIONS,
};

if (!args.includes('--skip-nab')) {
  if (!nabAvailable()) {
    console.log('NAB data not found in ../shared/benchmarks/nab: skipping the NAB comparison.');
  } else {
    console.log('NAB realTweets, standard profile (10 series, 33 windows):');
    const nab = runNab();
    const table = printNab(nab);
    console.log(table.join('\n'));
    console.log(
      `scorer check: numenta raw ${nab.referenceCheck.numenta?.raw} (published 11.8925), twitterADVec raw ${nab.referenceCheck.twitterADVec?.raw} (published 6.3467)`,
    );
    result.nab = { ...nab, table };
  }
}
console.log(
  `\nThroughput: ${WATCHES} watches x ${YEARS} years of hourly buckets (1,000 watches extrapolated)`,
);
const tp = runThroughput();
console.log(
  `  detectors: ${tp.detectorsBucketsPerSecond.toLocaleString('en')} buckets/s (${tp.ratioToBaseline}x the baseline EW mean at ${tp.baselineBucketsPerSecond.toLocaleString('en')} buckets/s); ` +
    `1,000 watches x 10 years ~ ${tp.extrapolatedSecondsFor1000Watches}s on one core; ${tp.detectionsPerWatchYear} detections per watch-year on synthetic data`,
);
result.throughput = tp;
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results/detect.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('\nwritten: bench/results/detect.json, bench/results/nab/*.csv');
