/**
 * Text folding and the regular expressions behind text leaves. Queries and mentions both go through
 * `foldText`, so "Telvana", "TELVANA", "Télvana" and "ｔｅｌｖａｎａ" are the same word, and every
 * comparison is a plain string or regex test on already-folded text.
 */

// Combining diacritics (after NFKD): removing them is what makes matching accent-insensitive.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: a range of combining marks is exactly what we strip.
const DIACRITICS = /[\u0300-\u036f]/g;
// Characters that can sit inside a word without changing it: soft hyphen, zero-width space, word
// joiner, BOM and emoji variation selectors (so "❤️" and "❤" are the same).
const IGNORABLE = /[\u00ad\u200b\u2060\ufeff\p{Variation_Selector}]/gu;
// Lone surrogates come from truncated or corrupt input; they would otherwise leak into regexes.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Letters that have no decomposition but that people type without the "accent" anyway.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  // Final sigma: JavaScript lowercases a word-final Σ to ς, so fold both forms to σ.
  ς: 'σ',
};
const SPECIAL_LETTER = /[ßøłđðħıæœþς]/g;

/** Case-, accent- and compatibility-insensitive form of `s` (NFKC + lower case + no diacritics). */
export function foldText(s: string): string {
  return s
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFKD')
    .toLowerCase()
    .replace(DIACRITICS, '')
    .replace(IGNORABLE, '')
    .replace(SPECIAL_LETTER, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFC');
}

/** A handle as compared: folded, trimmed, without the leading @. */
export function foldHandle(handle: string): string {
  return foldText(handle).trim().replace(/^@+/, '');
}

/** A source type/name or language as compared: folded, trimmed, inner whitespace collapsed. */
export function foldLabel(s: string): string {
  return foldText(s).trim().replace(/\s+/g, ' ');
}

// --- character classes (used with the `v` flag, which allows class subtraction) ---

const WORD_SET = '\\p{L}\\p{N}\\p{M}';
/**
 * Scripts written without spaces between words (or, for Hangul, with particles glued to the word).
 * Word boundaries mean nothing there, so a term is found anywhere in a run of these characters.
 */
const UNSPACED_SET =
  '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
const WORD = `[${WORD_SET}]`;
const NON_WORD = `[^${WORD_SET}]`;
/** A word character that forms a word boundary: a letter/digit of a script that separates words. */
const SPACED_WORD = `[[${WORD_SET}]--[${UNSPACED_SET}]]`;

const WORD_RE = new RegExp(WORD, 'v');
const SPACED_WORD_RE = new RegExp(`^${SPACED_WORD}$`, 'v');
const RUNS_RE = new RegExp(`${WORD}+|${NON_WORD}+`, 'gv');
const MATCHABLE_RE = /[\p{L}\p{N}\p{S}]/u;

/** True when folded text has something a text leaf can match: a letter, digit or symbol (emoji included). */
export function hasMatchableChar(folded: string): boolean {
  return MATCHABLE_RE.test(folded);
}

/** True when the last character of folded text is a letter, digit or mark (what a prefix must end in). */
export function endsWithWordChar(folded: string): boolean {
  const last = Array.from(folded).at(-1);
  return last !== undefined && WORD_RE.test(last);
}

function isSpacedWordChar(ch: string | undefined): boolean {
  return ch !== undefined && SPACED_WORD_RE.test(ch);
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Escapes symbol runs; whitespace inside them becomes optional so "telvana !" finds "telvana!". */
function symbolPattern(run: string): string {
  return run.trim().split(/\s+/).map(escapeRegex).join('\\s*');
}

/** A compiled text leaf: `needle` must occur in the text for `regex` to possibly match. */
export interface TextPattern {
  readonly regex: RegExp;
  /** A substring of every match; `includes` rejects most texts far faster than a regex scan. */
  readonly needle: string;
}

/**
 * Builds the pattern for a term, prefix or phrase from its (unfolded) value. Words (runs of letters,
 * digits and marks) must appear in order; anything between them (spaces, punctuation) is flexible.
 * Symbols at the very start or end are literal, so `c++` does not match a bare "c". Word boundaries
 * apply only next to letters of space-separated scripts. Returns null when there is nothing to match.
 */
export function buildTextPattern(value: string, prefix: boolean): TextPattern | null {
  const folded = foldText(value).trim();
  if (!hasMatchableChar(folded)) return null;
  const runs = folded.match(RUNS_RE) ?? [];
  const words = runs.filter((r) => WORD_RE.test(r));
  if (words.length === 0) {
    // Only symbols (emoji, ™, $$$): a literal match anywhere.
    const pieces = folded.split(/\s+/).filter((p) => p.length > 0);
    const needle = pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
    return { regex: new RegExp(pieces.map(escapeRegex).join('\\s+'), 'v'), needle };
  }
  let source = '';
  const first = runs[0] ?? '';
  const lastRun = runs.at(-1) ?? '';
  const leading = WORD_RE.test(first) ? '' : first;
  const trailing = WORD_RE.test(lastRun) ? '' : lastRun;
  const firstWord = words[0] ?? '';
  const lastWord = words.at(-1) ?? '';
  if (leading.trim() !== '') source += `${symbolPattern(leading)}`;
  else if (isSpacedWordChar(Array.from(firstWord)[0])) source += `(?<!${SPACED_WORD})`;
  words.forEach((word, i) => {
    if (i > 0) {
      const prev = words[i - 1] ?? '';
      // Between two words of spaced scripts a separator is required ("tel vana" is not "telvana").
      const required = isSpacedWordChar(Array.from(prev).at(-1)) && isSpacedWordChar(Array.from(word)[0]);
      source += `${NON_WORD}${required ? '+' : '*'}`;
    }
    source += escapeRegex(word);
  });
  if (trailing.trim() !== '' && !prefix) source += `${symbolPattern(trailing)}`;
  else if (!prefix && isSpacedWordChar(Array.from(lastWord).at(-1))) source += `(?!${SPACED_WORD})`;
  const needle = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  return { regex: new RegExp(source, 'v'), needle };
}

/** `#tag` as a whole hashtag: not glued to a word before it, not continued by hashtag characters. */
export function buildHashtagPattern(tag: string): TextPattern {
  const folded = foldText(tag).trim();
  return {
    regex: new RegExp(`(?<![${WORD_SET}_&])#${escapeRegex(folded)}(?![${WORD_SET}_])`, 'v'),
    needle: `#${folded}`,
  };
}

/**
 * `@handle` as a whole mention. Handles may contain `.`, `-` and `@` (bluesky, mastodon), so the
 * mention only ends where those are not followed by more handle characters ("@telvana." ends it).
 * A word character before the @ means an e-mail address, not a mention.
 */
export function buildHandlePattern(handle: string): TextPattern {
  const folded = foldHandle(handle);
  return {
    regex: new RegExp(
      `(?<![${WORD_SET}_])@${escapeRegex(folded)}(?![${WORD_SET}_]|[.\\-@][${WORD_SET}_])`,
      'v',
    ),
    needle: `@${folded}`,
  };
}
