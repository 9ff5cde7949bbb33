/**
 * Scoring benchmark.
 *
 * 1. Sentiment on VADER's human-rated sets (../shared/benchmarks/sentiment, see its README): binary
 *    accuracy, 3-class macro-F1, Pearson r and texts/s for trustwatch's lexicon scorer, the plain
 *    `sentiment` package and `vader-sentiment`, measured in the same run.
 * 2. Trust red flags on the labelled posts in test/fixtures/signals: precision and recall per signal,
 *    on the development part and on the held-out part separately.
 *
 *   npm run bench:score                 # everything, writes bench/results/score.json
 *   npm run bench:score -- --set tweets # one sentiment set only, prints, writes nothing
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
// @ts-expect-error vader-sentiment ships no types
import vader from 'vader-sentiment';
import { SIGNAL_KINDS, type SignalKind } from '../src/core/mention.ts';
import { SENTIMENT_THRESHOLD, scoreText } from '../src/score/sentiment.ts';
import { detectSignals } from '../src/score/signals.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const sharedDir = join(root, '..', 'shared', 'benchmarks', 'sentiment');
const args = process.argv.slice(2);
const setArg = args.indexOf('--set');
const onlySet = setArg >= 0 ? args[setArg + 1] : undefined;

interface Item {
  mean: number;
  text: string;
}

/** The sets keep HTML entities as published; a feed would decode them, so we do too. */
function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function load(file: string): Item[] {
  return readFileSync(join(sharedDir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, mean, ...rest] = line.split('\t');
      return { mean: Number(mean), text: decodeEntities(rest.join('\t')) };
    });
}

type Scorer = { name: string; band: number; score: (text: string) => number };

const afinn = new Sentiment();
const vaderAnalyzer = vader.SentimentIntensityAnalyzer;
const SCORERS: Scorer[] = [
  { name: 'trustwatch', band: SENTIMENT_THRESHOLD, score: (t) => scoreText(t, 'en').score },
  // The README's baseline: the package's `comparative` (sum / tokens), any non-zero value is polar.
  { name: 'sentiment', band: 0, score: (t) => afinn.analyze(t).comparative },
  { name: 'vader-sentiment', band: 0.05, score: (t) => vaderAnalyzer.polarity_scores(t).compound },
];

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function cls(x: number, band: number): number {
  if (band === 0) return x > 0 ? 1 : x < 0 ? -1 : 0;
  return x >= band ? 1 : x <= -band ? -1 : 0;
}

function metrics(items: Item[], scores: number[], band: number) {
  let right = 0;
  let polar = 0;
  const conf = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const { mean } = items[i] as Item;
    const s = scores[i] as number;
    if (mean !== 0) {
      polar++;
      if (s !== 0 && Math.sign(s) === Math.sign(mean)) right++;
    }
    const gold = mean >= 0.5 ? 1 : mean <= -0.5 ? -1 : 0;
    const key = `${gold}:${cls(s, band)}`;
    conf.set(key, (conf.get(key) ?? 0) + 1);
  }
  let f1sum = 0;
  for (const c of [-1, 0, 1]) {
    const tp = conf.get(`${c}:${c}`) ?? 0;
    let fp = 0;
    let fn = 0;
    for (const o of [-1, 0, 1]) {
      if (o === c) continue;
      fp += conf.get(`${o}:${c}`) ?? 0;
      fn += conf.get(`${c}:${o}`) ?? 0;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    f1sum += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return {
    binaryAccuracy: round(right / polar),
    macroF1: round(f1sum / 3),
    pearson: round(
      pearson(
        scores,
        items.map((i) => i.mean),
      ),
    ),
  };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function throughput(items: Item[], scorer: Scorer): number {
  for (let i = 0; i < Math.min(items.length, 1000); i++) scorer.score((items[i] as Item).text); // warm-up
  let n = 0;
  const started = performance.now();
  // At least half a second and two passes, so a fast scorer is not timed on noise.
  while (n < items.length * 2 || performance.now() - started < 500) {
    for (const item of items) scorer.score(item.text);
    n += items.length;
  }
  return Math.round(n / ((performance.now() - started) / 1000));
}

interface SetResult {
  set: string;
  texts: number;
  scorers: Record<string, { binaryAccuracy: number; macroF1: number; pearson: number; textsPerSec: number }>;
}

function runSentiment(file: string, set: string): SetResult {
  const items = load(file);
  const result: SetResult = { set, texts: items.length, scorers: {} };
  for (const scorer of SCORERS) {
    const scores = items.map((i) => scorer.score(i.text));
    result.scorers[scorer.name] = {
      ...metrics(items, scores, scorer.band),
      textsPerSec: throughput(items, scorer),
    };
  }
  return result;
}

interface LabelledPost {
  text: string;
  signals: SignalKind[];
}

function loadPosts(file: string): LabelledPost[] {
  return readFileSync(join(root, 'test', 'fixtures', 'signals', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledPost);
}

type PR = { precision: number; recall: number; support: number; tp: number; fp: number; fn: number };

function runSignals(posts: LabelledPost[]): Record<SignalKind, PR> {
  const out = {} as Record<SignalKind, PR>;
  const found = posts.map((p) => new Set(detectSignals(p.text).map((s) => s.kind)));
  for (const kind of SIGNAL_KINDS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    posts.forEach((p, i) => {
      const gold = p.signals.includes(kind);
      const got = found[i]?.has(kind) ?? false;
      if (gold && got) tp++;
      else if (got) fp++;
      else if (gold) fn++;
    });
    out[kind] = {
      precision: round(tp + fp ? tp / (tp + fp) : 1),
      recall: round(tp + fn ? tp / (tp + fn) : 1),
      support: tp + fn,
      tp,
      fp,
      fn,
    };
  }
  return out;
}

const SENTIMENT_GOALS = ['binaryAccuracy', 'macroF1', 'pearson'] as const;

function main(): void {
  const sets: SetResult[] = [];
  if (existsSync(sharedDir)) {
    for (const [file, set] of [
      ['tweets.tsv', 'tweets'],
      ['amazonReviewSnippets.tsv', 'amazon'],
    ] as const) {
      if (onlySet && onlySet !== set) continue;
      process.stderr.write(`scoring ${set}...\n`);
      sets.push(runSentiment(file, set));
    }
  } else {
    process.stderr.write(`(${sharedDir} not found: sentiment sets skipped)\n`);
  }

  console.log('\nSentiment (binary accuracy / macro-F1 / Pearson / texts per second)');
  console.log('set     scorer            acc    F1     r      texts/s');
  const gaps: string[] = [];
  for (const s of sets) {
    for (const [name, m] of Object.entries(s.scorers)) {
      console.log(
        `${s.set.padEnd(7)} ${name.padEnd(17)} ${m.binaryAccuracy.toFixed(3)}  ${m.macroF1.toFixed(3)}  ${m.pearson.toFixed(3)}  ${String(m.textsPerSec).padStart(8)}`,
      );
    }
    const tw = s.scorers.trustwatch;
    const va = s.scorers['vader-sentiment'];
    if (tw && va) {
      for (const k of SENTIMENT_GOALS) {
        if (tw[k] <= va[k])
          gaps.push(`${s.set} ${k}: trustwatch ${tw[k]} vs vader ${va[k]} (gap ${round(va[k] - tw[k])})`);
      }
      const ratio = round(tw.textsPerSec / va.textsPerSec, 1);
      if (ratio < 2) gaps.push(`${s.set} throughput: ${ratio}x vader (goal 2x)`);
      console.log(`${s.set.padEnd(7)} throughput vs vader-sentiment: ${ratio}x`);
    }
  }
  if (onlySet) return;

  const parts = {
    development: loadPosts('development.jsonl'),
    heldOut: loadPosts('held-out.jsonl'),
    heldOut2: loadPosts('held-out-2.jsonl'),
  };
  const signals = {
    development: runSignals(parts.development),
    heldOut: runSignals(parts.heldOut),
    heldOut2: runSignals(parts.heldOut2),
  };
  for (const [part, table] of Object.entries(signals)) {
    const n = parts[part as keyof typeof parts].length;
    console.log(`\nRed flags, ${part} part (${n} posts): precision / recall (support)`);
    for (const kind of SIGNAL_KINDS) {
      const r = table[kind];
      const miss = r.precision < 0.9 || r.recall < 0.8 ? '   <- below goal (P >= 0.9, R >= 0.8)' : '';
      console.log(
        `  ${kind.padEnd(17)} ${r.precision.toFixed(3)} / ${r.recall.toFixed(3)}  (${r.support})${miss}`,
      );
      if (miss) gaps.push(`signals ${part} ${kind}: precision ${r.precision}, recall ${r.recall}`);
    }
  }

  console.log(gaps.length ? `\nGoals not met:\n  ${gaps.join('\n  ')}` : '\nAll goals met.');
  const out = {
    benchmark: 'score',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    notes: NOTES,
    sentiment: sets,
    signals: {
      posts: {
        development: parts.development.length,
        heldOut: parts.heldOut.length,
        heldOut2: parts.heldOut2.length,
      },
      ...signals,
    },
    goalsNotMet: gaps,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'score.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nwrote bench/results/score.json');
}

const NOTES =
  'Sentiment: trustwatch was developed against tweets only (rule constants, the English additions in src/score/lexicons.ts and the inflection fallback were checked on tweets); amazon was not looked at while writing rules and is the held-out set. trustwatch neutral band |score| < 0.05 (VADER convention); the plain sentiment package counts any non-zero comparative as polar. HTML entities are decoded before scoring for every scorer. Second round (VADER complement, chat faces, laughter not negated, "never ... so"): developed on tweets only again; amazon still held out. Red flags: development.jsonl was used while writing the rules; held-out.jsonl was written before running the rules on it. After its first report, only the phrasing families of its misses were looked at (in general terms: day counts, hold/queue times, how long a reply took, moving a product to another company, unsubscribing, "apparently X is", rumours, group chatter, thanks naming the brand, "happy with"); new development posts of those families were written (development.jsonl lines 262-309) and the rules changed on them alone, so held-out.jsonl is now partly contaminated (its misses guided which families to cover). held-out-2.jsonl (66 posts) was written and committed before those rule changes and before any run on it, and not used to change them: it is the clean held-out figure. All three parts were written by the same author as the rules. Labels: complaint = a stated fault or dissatisfaction with the product/service/treatment; fee/policy challenges are questioning; waiting is slow_response.';

main();
