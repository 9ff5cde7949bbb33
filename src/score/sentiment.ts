import Sentiment from 'sentiment';
import type { SentimentLabel } from '../core/mention.ts';
import {
  AFINN_SCALE,
  EMOTICONS,
  GRAMMAR,
  type Lexicon,
  type ScoredLanguage,
  buildLexicon,
  emojiValences,
  isScoredLanguage,
  lexiconFor,
} from './lexicons.ts';
import { type Token, tokenize } from './tokenize.ts';

/**
 * Rule-based sentiment on the AFINN lexicons, in the manner of VADER (Hutto & Gilbert 2014): word
 * valences adjusted for negation, intensifiers and dampeners, capitals, contrastive "but", "!!!",
 * emoji and emoticons, and customer-service idioms, summed and squashed into a compound in [-1, 1].
 * Pure and synchronous: it runs on every ingested mention. See docs/scoring.md.
 */

export interface DrivingToken {
  word: string;
  /** The token's contribution to the sum, after every rule, on AFINN's scale. */
  weight: number;
  start?: number;
  end?: number;
}

export interface SentimentResult {
  /** Compound score in [-1, 1]. */
  score: number;
  label: SentimentLabel;
  /** Tokens that carried a score, for highlighting. */
  tokens: DrivingToken[];
  /**
   * False when the text's language has no lexicon (anything but en, es, fr, de, it, pt): the label is
   * then 'neutral' and the score 0 by convention, not a judgement. Absent means true (older scorers).
   */
  scored?: boolean;
  /** What the score rests on: the text, the review's rating, or both. */
  basis?: 'text' | 'rating' | 'text+rating' | 'none';
}

/** Extra facts a scorer may use: a review's rating, a watch's own lexicon. */
export interface ScoreContext {
  rating?: number | null;
  ratingScale?: number | null;
  lexicon?: CustomLexicon | null;
}

/** One text of a batch for an asynchronous scorer. */
export interface ScoreInput {
  text: string;
  language: string | null;
  rating: number | null;
  ratingScale: number | null;
}

export interface SentimentScorer {
  id: string;
  /** Synchronous scoring; for a remote scorer, its offline fallback. */
  score(text: string, language?: string | null, context?: ScoreContext): SentimentResult;
  /**
   * Optional batch scoring (a model behind HTTP). Ingest scores every mention with `score` first and
   * then replaces those scores with this batch's results; it never throws: on failure it resolves
   * to null and the `score` results stand. See src/score/http-scorer.ts.
   */
  scoreBatch?(inputs: ScoreInput[]): Promise<SentimentResult[] | null>;
}

/** Scores at or beyond these count as positive/negative; between them, neutral (VADER's band). */
export const SENTIMENT_THRESHOLD = 0.05;

export function labelFor(score: number): SentimentLabel {
  if (score >= SENTIMENT_THRESHOLD) return 'positive';
  if (score <= -SENTIMENT_THRESHOLD) return 'negative';
  return 'neutral';
}

/**
 * Maps a valence sum to [-1, 1] with VADER's x / sqrt(x^2 + alpha), which keeps short strongly-worded
 * posts strong and stops long posts from saturating.
 */
export function normalize(sum: number, alpha = 15): number {
  if (sum === 0 || !Number.isFinite(sum)) return 0;
  return sum / Math.sqrt(sum * sum + alpha);
}

/** A watch's own word scores ("sick" is praise for a skate brand), on AFINN's -5..5 scale. */
export type CustomLexicon = Lexicon;

export function compileLexicon(entries: Record<string, number>): CustomLexicon {
  return buildLexicon(entries);
}

// Rule constants (VADER's published values, scaled to AFINN where they add valence).
const CAPS_BOOST = 0.733;
const NEGATION = -0.74;
const BOOSTER_DECAY = [1, 0.95, 0.9];
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION = 0.292;
const MAX_EXCLAMATIONS = 4;

interface Hit {
  token: Token;
  end: number;
  index: number;
  valence: number;
  word: string;
}

function lookupPhrase(lexicon: Lexicon | null | undefined, tokens: Token[], i: number) {
  const first = tokens[i];
  if (!lexicon || !first) return undefined;
  const candidates = lexicon.phrases.get(first.norm);
  if (!candidates) return undefined;
  for (const phrase of candidates) {
    const n = phrase.tokens.length;
    if (i + n > tokens.length) continue;
    let ok = true;
    for (let k = 1; k < n; k++) {
      if (tokens[i + k]?.norm !== phrase.tokens[k]) {
        ok = false;
        break;
      }
    }
    if (ok) return phrase;
  }
  return undefined;
}

/** "soooo goooood" -> "soo good" -> "so good". */
function squeeze(word: string): string[] {
  if (!/(.)\1\1/u.test(word)) return [];
  const two = word.replace(/(.)\1{2,}/gu, '$1$1');
  const one = word.replace(/(.)\1+/gu, '$1');
  return two === one ? [one] : [two, one];
}

/**
 * English inflections AFINN does not list (coolest, luckiest, lovin, happily): the base forms to try
 * when the word itself is missing. Only suffixes that rarely change the meaning; "-er" is left out
 * ("number" is not "numb").
 */
function englishBases(w: string): string[] {
  const n = w.length;
  if (n < 4) return [];
  const out: string[] = [];
  const undouble = (b: string) => (b.length > 2 && b[b.length - 1] === b[b.length - 2] ? b.slice(0, -1) : b);
  if (w.endsWith('iest')) out.push(`${w.slice(0, -4)}y`);
  else if (w.endsWith('est') && n > 5) {
    const b = w.slice(0, -3);
    out.push(b, `${b}e`, undouble(b));
  }
  if (w.endsWith('ier')) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith("in'") || (w.endsWith('in') && n > 4)) out.push(`${w.replace(/'$/, '')}g`);
  if (w.endsWith('ily')) out.push(`${w.slice(0, -3)}y`);
  // "likely" is not "like".
  else if (w.endsWith('ly') && !w.endsWith('likely')) out.push(w.slice(0, -2));
  if (w.endsWith('ing') && n > 5) {
    const b = w.slice(0, -3);
    out.push(b, `${b}e`, undouble(b));
  }
  if (w.endsWith('ed') && n > 4) {
    const b = w.slice(0, -2);
    out.push(b, `${b}e`, undouble(b));
  }
  if (w.endsWith('s') && !w.endsWith('ss')) out.push(w.slice(0, -1));
  return out;
}

function wordValence(
  lexicons: (Lexicon | null | undefined)[],
  word: string,
  lang: ScoredLanguage,
): number | undefined {
  for (const lexicon of lexicons) {
    const v = lexicon?.words.get(word);
    if (v !== undefined) return v;
  }
  const variants = squeeze(word);
  if (lang === 'en') variants.push(...englishBases(word));
  for (const variant of variants) {
    for (const lexicon of lexicons) {
      const v = lexicon?.words.get(variant);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** lol, lmao, haha, hehehe, rofl... */
function isLaughter(word: string): boolean {
  return /^(?:l+o+l+z?|lmf?ao+|rofl|(?:ha){2,}h?|(?:he){2,}h?|(?:hi){2,}h?|xd+)$/.test(word);
}

function countChar(text: string, ch: string, max: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n < max; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Any letter outside Latin script (Cyrillic, CJK, Arabic...): such text is not read as English. */
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

/**
 * Scores text in a scored language. Returns the raw valence sum and the driving tokens; the caller
 * squashes it. Exported for tests of single rules.
 */
export function valenceSum(
  text: string,
  lang: ScoredLanguage,
  custom?: CustomLexicon | null,
): { sum: number; tokens: DrivingToken[] } {
  const grammar = GRAMMAR[lang];
  const base = lexiconFor(lang);
  const tokens = tokenize(text, lang === 'fr' || lang === 'it');
  const lexicons = [custom, base];
  let letters = 0;
  let upper = 0;
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    letters++;
    if (t.caps) upper++;
  }
  // Capitals only add emphasis when the rest of the text is not shouted too.
  const mixedCase = upper > 0 && upper < letters;

  const hits: Hit[] = [];
  let contrastAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (contrastAt < 0 && grammar.contrast.has(t.norm) && i > 0) contrastAt = i;
    let valence: number | undefined;
    let span = 1;
    let word = t.norm;
    if (t.kind === 'emoji') valence = emojiValences().get(t.norm);
    else if (t.kind === 'emoticon') valence = EMOTICONS[t.norm];
    else {
      const phrase = lookupPhrase(custom, tokens, i) ?? lookupPhrase(base, tokens, i);
      if (phrase) {
        valence = phrase.valence;
        span = phrase.tokens.length;
        word = phrase.tokens.join(' ');
      } else {
        valence = wordValence(lexicons, t.norm, lang);
      }
    }
    if (valence === undefined) continue;
    // "no" and friends carry a valence of their own, but next to another scored word they are only
    // the negation of it ("no good"), and a run of them ("NO NO NO") is not a double negative.
    if (span === 1 && grammar.negators.has(t.norm)) {
      const next = tokens[i + 1];
      if (next && next.clause === t.clause && wordValence(lexicons, next.norm, lang)) continue;
    }
    // An intensifier that is also a scored word ("fucking", "damn", "super") only intensifies the
    // sentiment word after it ("fucking awesome" is praise); VADER gives boosters no valence at all.
    if (span === 1 && grammar.boosters.has(t.norm)) {
      let modifies = false;
      for (let d = 1; d <= 2 && !modifies; d++) {
        const next = tokens[i + d];
        if (!next || next.clause !== t.clause) break;
        if (next.kind === 'word' && wordValence(lexicons, next.norm, lang)) modifies = true;
      }
      if (modifies) continue;
    }
    const index = i;
    i += span - 1;
    if (valence === 0) continue;
    hits.push({ token: t, end: (tokens[index + span - 1] as Token).end, index, valence, word });
  }

  let sum = 0;
  const driving: DrivingToken[] = [];
  for (const hit of hits) {
    const t = hit.token;
    let v = hit.valence * AFINN_SCALE;
    // A negator or intensifier that is itself a scored word ("no") is a modifier next to a sentiment word.
    if (t.kind === 'word') {
      if (mixedCase && t.caps) v += Math.sign(v) * CAPS_BOOST;
      let negated = false;
      // Laughter is not negated: in "no idea lol" the "lol" still laughs.
      const selfNegator = grammar.negators.has(t.norm) || (lang === 'en' && isLaughter(t.norm));
      for (let d = 1; d <= 3 && !selfNegator; d++) {
        const prev = tokens[hit.index - d];
        if (!prev || prev.clause !== t.clause) break;
        const b = grammar.boosters.get(prev.norm);
        if (b !== undefined) {
          let scalar = b * (BOOSTER_DECAY[d - 1] ?? 0.9);
          if (mixedCase && prev.caps) scalar += Math.sign(scalar) * CAPS_BOOST * 0.5;
          v += v < 0 ? -scalar : scalar;
        }
        if (grammar.negators.has(prev.norm) || (lang === 'en' && prev.norm.endsWith("n't"))) {
          // "not only", "never so happy": the negator intensifies rather than flips.
          const next = tokens[hit.index - d + 1];
          if (next?.norm === 'only') continue;
          // "never so happy", "never slept so well" (VADER's rule): "so"/"this" after "never" intensifies.
          if (prev.norm === 'never') {
            let intensifies = false;
            for (let k = hit.index - d + 1; k < hit.index; k++) {
              const between = tokens[k]?.norm;
              if (between === 'so' || between === 'this') intensifies = true;
            }
            if (intensifies) continue;
          }
          negated = true;
        }
      }
      if (!negated && grammar.postNegators.size > 0) {
        for (let d = 1; d <= 2; d++) {
          const next = tokens[hit.index + d];
          if (!next || next.clause !== t.clause) break;
          if (grammar.postNegators.has(next.norm)) negated = true;
        }
      }
      if (negated) v *= NEGATION;
    }
    if (contrastAt >= 0) v *= hit.index < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST;
    sum += v;
    driving.push({ word: hit.word, weight: Math.round(v * 1000) / 1000, start: t.start, end: hit.end });
  }

  if (sum !== 0) {
    const bangs = countChar(text, '!', MAX_EXCLAMATIONS);
    let emphasis = bangs * EXCLAMATION;
    const questions = countChar(text, '?', 4);
    if (questions > 1) emphasis += questions <= 3 ? questions * 0.18 : 0.96;
    sum += Math.sign(sum) * emphasis;
  }
  return { sum, tokens: driving };
}

/** A review's rating on a 1..scale line mapped to [-1, 1] (3 of 5 is 0). */
export function ratingScore(rating: number, scale = 5): number | null {
  if (!Number.isFinite(rating) || !Number.isFinite(scale) || scale <= 1) return null;
  const lowest = scale === 10 || scale === 100 ? 0 : 1;
  const r = Math.min(Math.max(rating, lowest), scale);
  const mid = (scale + lowest) / 2;
  return (r - mid) / (scale - mid);
}

/** Weight of the stars when a review also has text: the rating is the reviewer's own verdict. */
const RATING_WEIGHT = 0.6;

function resolveLanguage(text: string, language: string | null | undefined): ScoredLanguage | null {
  if (language) {
    const lang = language.toLowerCase().slice(0, 2);
    return isScoredLanguage(lang) ? lang : null;
  }
  // Unknown language (too short to detect): English and emoji only for Latin-script text; any other
  // script is not scored rather than guessed.
  return NON_LATIN_LETTER.test(text) ? null : 'en';
}

function clamp(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.max(-1, Math.min(1, x));
}

/** Scores one text. Never throws; other languages come back `scored: false`. */
export function scoreText(
  text: string,
  language?: string | null,
  context: ScoreContext = {},
): SentimentResult {
  const input = typeof text === 'string' ? text : '';
  const lang = resolveLanguage(input, language);
  const stars =
    context.rating !== null && context.rating !== undefined
      ? ratingScore(context.rating, context.ratingScale ?? 5)
      : null;
  if (!lang) {
    if (stars === null) return { score: 0, label: 'neutral', tokens: [], scored: false, basis: 'none' };
    const score = clamp(stars);
    return { score, label: labelFor(score), tokens: [], scored: true, basis: 'rating' };
  }
  const { sum, tokens } = valenceSum(input, lang, context.lexicon);
  const textScore = clamp(normalize(sum));
  if (stars === null)
    return { score: textScore, label: labelFor(textScore), tokens, scored: true, basis: 'text' };
  // A text with no sentiment words leaves the stars alone; otherwise blend.
  const score = clamp(tokens.length === 0 ? stars : RATING_WEIGHT * stars + (1 - RATING_WEIGHT) * textScore);
  return {
    score,
    label: labelFor(score),
    tokens,
    scored: true,
    basis: tokens.length === 0 ? 'rating' : 'text+rating',
  };
}

/** The default scorer: offline, pure, fast. */
export const lexiconScorer: SentimentScorer = {
  id: 'lexicon',
  score: scoreText,
};

const analyzer = new Sentiment();

/**
 * The plain `sentiment` package (AFINN word sums), kept as the benchmark's baseline and for
 * comparison; not used by ingest.
 */
export const afinnScorer: SentimentScorer = {
  id: 'afinn',
  score(text: string, language?: string | null): SentimentResult {
    if (language && language !== 'en') return { score: 0, label: 'neutral', tokens: [], scored: false };
    const result = analyzer.analyze(text);
    const score = normalize(result.score);
    const tokens = result.calculation.flatMap((entry) =>
      Object.entries(entry).map(([word, weight]) => ({ word, weight })),
    );
    return { score, label: labelFor(score), tokens, scored: true };
  },
};
