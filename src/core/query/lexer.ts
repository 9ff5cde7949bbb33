import { FILTER_FIELDS, type FilterField, type LeafNode } from './ast.ts';
import { QueryParseError } from './error.ts';
import { endsWithWordChar, foldText, hasMatchableChar } from './text.ts';

/**
 * Splits a query into tokens, one at a time: the parser pulls tokens as it goes, so the error
 * reported is always the leftmost one (an unclosed quote at the end does not hide a misplaced AND
 * at the start).
 */

export type TokenKind = 'leaf' | 'lparen' | 'rparen' | 'minus' | 'and' | 'or' | 'not' | 'eof';

interface TokenBase {
  /** Offset of the first character of the token. */
  start: number;
  /** Offset just after the token. */
  end: number;
  /** The token as written (for error messages). */
  text: string;
}

export type Token =
  | (TokenBase & { kind: 'leaf'; node: LeafNode })
  | (TokenBase & { kind: Exclude<TokenKind, 'leaf'> });

const KEYWORDS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };
const SPACE = /\s/;
const FILTER_SYNTAX = /^([A-Za-z][A-Za-z0-9_]*):/;
const HASHTAG_NAME = /^[\p{L}\p{N}\p{M}_]+$/u;
const HANDLE_NAME = /^[\p{L}\p{N}\p{M}_]+(?:[.\-@][\p{L}\p{N}\p{M}_]+)*$/u;
const LANGUAGE_CODE = /^[a-z]{2}$/i;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

/** Characters that end a bare word: whitespace, parentheses and the quote. */
function isDelimiter(ch: string | undefined): boolean {
  return ch === undefined || ch === '(' || ch === ')' || ch === '"' || isSpace(ch);
}

/** Quotes a piece of the query for an error message. */
function q(s: string): string {
  return `"${s}"`;
}

export class Lexer {
  private readonly input: string;
  private pos = 0;
  private lookahead: Token | null = null;

  constructor(input: string) {
    this.input = input;
  }

  peek(): Token {
    this.lookahead ??= this.scan();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = null;
    return token;
  }

  private scan(): Token {
    const s = this.input;
    while (isSpace(s[this.pos])) this.pos++;
    const start = this.pos;
    const ch = s[start];
    if (ch === undefined) return { kind: 'eof', start, end: start, text: '' };
    if (ch === '(' || ch === ')') {
      this.pos++;
      return { kind: ch === '(' ? 'lparen' : 'rparen', start, end: this.pos, text: ch };
    }
    if (ch === '"') {
      const { value, end } = this.readQuoted(start);
      this.pos = end;
      return this.leaf(start, checkText('phrase', value, start), end);
    }
    if (ch === '-') {
      const following = s[start + 1];
      // `-` must touch what it negates: `- foo` and a dangling `-` are almost always typos.
      if (following === undefined || isSpace(following) || following === ')') {
        throw new QueryParseError(`Expected a term after "-" at position ${start + 1}`, start + 1);
      }
      this.pos++;
      return { kind: 'minus', start, end: this.pos, text: '-' };
    }
    let end = start;
    while (!isDelimiter(s[end])) end++;
    const word = s.slice(start, end);
    this.pos = end;
    const keyword = KEYWORDS[word];
    if (keyword) return { kind: keyword, start, end, text: word };
    if (ch === '#') return this.leaf(start, hashtag(word, start), end);
    if (ch === '@') return this.leaf(start, handle(word, start), end);
    const filter = FILTER_SYNTAX.exec(word);
    if (filter) return this.filter(start, word, filter[1] ?? '');
    return this.leaf(start, bareTerm(word, start), end);
  }

  private leaf(start: number, node: LeafNode, end: number): Token {
    return { kind: 'leaf', start, end, text: this.input.slice(start, end), node };
  }

  /** Reads `"..."` starting at the quote; `\"` and `\\` are escapes, any other `\` is literal. */
  private readQuoted(start: number): { value: string; end: number } {
    const s = this.input;
    let value = '';
    let i = start + 1;
    while (i < s.length) {
      const c = s[i];
      if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
        value += s[i + 1];
        i += 2;
      } else if (c === '"') {
        return { value, end: i + 1 };
      } else {
        value += c;
        i++;
      }
    }
    throw new QueryParseError(`Unclosed quote starting at position ${start}`, start);
  }

  /** `name:value` or `name:"quoted value"`; `this.pos` is already after the bare word. */
  private filter(start: number, word: string, name: string): Token {
    const field = FILTER_FIELDS.find((f) => f === name.toLowerCase());
    if (!field) {
      throw new QueryParseError(
        `Unknown filter ${q(`${name}:`)} at position ${start} (known: ${FILTER_FIELDS.join(', ')})`,
        start,
      );
    }
    const valueStart = start + name.length + 1;
    let value = word.slice(name.length + 1);
    if (value === '' && this.input[valueStart] === '"') {
      const quoted = this.readQuoted(valueStart);
      value = quoted.value;
      this.pos = quoted.end;
    }
    if (value.trim() === '') {
      throw new QueryParseError(
        `Expected a value after ${q(`${name}:`)} at position ${valueStart}`,
        valueStart,
      );
    }
    return this.leaf(start, filterNode(field, value, valueStart), this.pos);
  }
}

function filterNode(field: FilterField, value: string, position: number): LeafNode {
  if (field === 'lang') {
    if (!LANGUAGE_CODE.test(value)) {
      throw new QueryParseError(
        `Invalid language ${q(value)} at position ${position} (expected a two-letter ISO 639-1 code such as "en")`,
        position,
      );
    }
    return { type: 'filter', field, value: value.toLowerCase() };
  }
  return { type: 'filter', field, value };
}

function hashtag(word: string, start: number): LeafNode {
  const value = word.slice(1);
  if (value === '')
    throw new QueryParseError(`Expected a hashtag name after "#" at position ${start + 1}`, start + 1);
  if (!HASHTAG_NAME.test(value)) {
    throw new QueryParseError(
      `Invalid hashtag ${q(word)} at position ${start} (a hashtag has only letters, digits and _)`,
      start,
    );
  }
  return { type: 'hashtag', value };
}

function handle(word: string, start: number): LeafNode {
  const value = word.slice(1);
  if (value === '')
    throw new QueryParseError(`Expected a handle after "@" at position ${start + 1}`, start + 1);
  if (!HANDLE_NAME.test(value)) {
    throw new QueryParseError(
      `Invalid handle ${q(word)} at position ${start} (a handle has only letters, digits, _, . and -)`,
      start,
    );
  }
  return { type: 'handle', value };
}

function bareTerm(word: string, start: number): LeafNode {
  const star = word.indexOf('*');
  if (star !== -1 && star !== word.length - 1) {
    throw new QueryParseError(
      `Wildcard "*" is only allowed at the end of a term, in ${q(word)} at position ${start + star}`,
      start + star,
    );
  }
  if (star === word.length - 1) {
    const value = word.slice(0, -1);
    if (!endsWithWordChar(foldText(value))) {
      throw new QueryParseError(
        `Expected a letter or digit before "*" in ${q(word)} at position ${start + star}`,
        start + star,
      );
    }
    return { type: 'prefix', value };
  }
  return checkText('term', word, start);
}

/** A term or phrase must contain something to match; `,` or `""` alone is a typo. */
function checkText(type: 'term' | 'phrase', value: string, start: number): LeafNode {
  if (type === 'phrase' && value.trim() === '') {
    throw new QueryParseError(`Empty phrase at position ${start}`, start);
  }
  if (!hasMatchableChar(foldText(value))) {
    throw new QueryParseError(
      `Expected letters, digits or symbols in ${type} ${q(value)} at position ${start}`,
      start,
    );
  }
  return { type, value };
}
