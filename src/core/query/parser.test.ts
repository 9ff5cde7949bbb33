import { describe, expect, it } from 'vitest';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, type QueryNode } from './ast.ts';
import { QueryParseError } from './error.ts';
import { parseQuery } from './parser.ts';

const term = (value: string): QueryNode => ({ type: 'term', value });
const and = (...children: QueryNode[]): QueryNode => ({ type: 'and', children });
const or = (...children: QueryNode[]): QueryNode => ({ type: 'or', children });
const not = (child: QueryNode): QueryNode => ({ type: 'not', child });

/** Parses and returns the error, failing the test if parsing succeeds. */
function parseError(input: string): QueryParseError {
  try {
    parseQuery(input);
  } catch (err) {
    if (err instanceof QueryParseError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(input)} to fail`);
}

describe('parseQuery: leaves', () => {
  it('parses a bare term, keeping what was written', () => {
    expect(parseQuery('Telvana')).toEqual(term('Telvana'));
  });

  it('reads a trailing * as a prefix term', () => {
    expect(parseQuery('telva*')).toEqual({ type: 'prefix', value: 'telva' });
  });

  it('parses phrases with escaped quotes and backslashes', () => {
    expect(parseQuery('"customer service"')).toEqual({ type: 'phrase', value: 'customer service' });
    expect(parseQuery('"say \\"hi\\""')).toEqual({ type: 'phrase', value: 'say "hi"' });
    expect(parseQuery('"back\\\\slash"')).toEqual({ type: 'phrase', value: 'back\\slash' });
    // Any other backslash is literal.
    expect(parseQuery('"a\\b"')).toEqual({ type: 'phrase', value: 'a\\b' });
  });

  it('parses hashtags and handles without their sigil', () => {
    expect(parseQuery('#TelvanaFail')).toEqual({ type: 'hashtag', value: 'TelvanaFail' });
    expect(parseQuery('@telvana_help')).toEqual({ type: 'handle', value: 'telvana_help' });
    expect(parseQuery('@telvana.bsky.social')).toEqual({ type: 'handle', value: 'telvana.bsky.social' });
    expect(parseQuery('@telvana@mastodon.social')).toEqual({
      type: 'handle',
      value: 'telvana@mastodon.social',
    });
  });

  it('parses filters, case-insensitive names, lower-cased languages and quoted values', () => {
    expect(parseQuery('lang:en')).toEqual({ type: 'filter', field: 'lang', value: 'en' });
    expect(parseQuery('LANG:EN')).toEqual({ type: 'filter', field: 'lang', value: 'en' });
    expect(parseQuery('source:rss')).toEqual({ type: 'filter', field: 'source', value: 'rss' });
    expect(parseQuery('source:"Hacker News"')).toEqual({
      type: 'filter',
      field: 'source',
      value: 'Hacker News',
    });
  });

  it('treats lowercase and/or/not as ordinary terms', () => {
    expect(parseQuery('rock and roll')).toEqual(and(term('rock'), term('and'), term('roll')));
    expect(parseQuery('or not')).toEqual(and(term('or'), term('not')));
  });

  it('keeps punctuation inside a word as part of the term', () => {
    expect(parseQuery('wi-fi')).toEqual(term('wi-fi'));
    expect(parseQuery("telvana's")).toEqual(term("telvana's"));
    expect(parseQuery('10:30')).toEqual(term('10:30'));
    expect(parseQuery('ANDROID')).toEqual(term('ANDROID'));
  });

  it('accepts CJK and emoji terms', () => {
    expect(parseQuery('東京')).toEqual(term('東京'));
    expect(parseQuery('🔥')).toEqual(term('🔥'));
    expect(parseQuery('"😀 telvana"')).toEqual({ type: 'phrase', value: '😀 telvana' });
  });
});

describe('parseQuery: operators and precedence', () => {
  it('joins adjacent operands with an implicit AND', () => {
    expect(parseQuery('a b')).toEqual(and(term('a'), term('b')));
    expect(parseQuery('a"b"')).toEqual(and(term('a'), { type: 'phrase', value: 'b' }));
    expect(parseQuery('a(b OR c)')).toEqual(and(term('a'), or(term('b'), term('c'))));
  });

  it('treats explicit and implicit AND alike', () => {
    expect(parseQuery('a AND b c')).toEqual(parseQuery('a b c'));
  });

  it('binds AND tighter than OR', () => {
    expect(parseQuery('a OR b c')).toEqual(or(term('a'), and(term('b'), term('c'))));
    expect(parseQuery('a b OR c')).toEqual(or(and(term('a'), term('b')), term('c')));
    expect(parseQuery('a AND b OR c AND d')).toEqual(
      or(and(term('a'), term('b')), and(term('c'), term('d'))),
    );
  });

  it('binds NOT tighter than AND', () => {
    expect(parseQuery('NOT a b')).toEqual(and(not(term('a')), term('b')));
    expect(parseQuery('NOT a OR b')).toEqual(or(not(term('a')), term('b')));
    expect(parseQuery('a NOT b')).toEqual(and(term('a'), not(term('b'))));
  });

  it('reads - as NOT for terms, phrases, groups, hashtags, handles and filters', () => {
    expect(parseQuery('a -b')).toEqual(and(term('a'), not(term('b'))));
    expect(parseQuery('-"b c"')).toEqual(not({ type: 'phrase', value: 'b c' }));
    expect(parseQuery('-(a OR b)')).toEqual(not(or(term('a'), term('b'))));
    expect(parseQuery('-#x')).toEqual(not({ type: 'hashtag', value: 'x' }));
    expect(parseQuery('-@x')).toEqual(not({ type: 'handle', value: 'x' }));
    expect(parseQuery('-source:reddit')).toEqual(not({ type: 'filter', field: 'source', value: 'reddit' }));
    expect(parseQuery('--a')).toEqual(not(not(term('a'))));
  });

  it('lets parentheses override precedence', () => {
    expect(parseQuery('(a OR b) c')).toEqual(and(or(term('a'), term('b')), term('c')));
    expect(parseQuery('NOT (a OR b)')).toEqual(not(or(term('a'), term('b'))));
  });

  it('uses filters as ordinary operands', () => {
    expect(parseQuery('telvana (lang:en OR lang:es)')).toEqual(
      and(
        term('telvana'),
        or({ type: 'filter', field: 'lang', value: 'en' }, { type: 'filter', field: 'lang', value: 'es' }),
      ),
    );
  });

  it('flattens AND/OR chains, including through parentheses', () => {
    expect(parseQuery('a (b c) d')).toEqual(and(term('a'), term('b'), term('c'), term('d')));
    expect(parseQuery('a OR (b OR c)')).toEqual(or(term('a'), term('b'), term('c')));
    expect(parseQuery('((a))')).toEqual(term('a'));
  });

  it('ignores all kinds of whitespace around tokens', () => {
    expect(parseQuery(' \t a\n\u00a0OR\u3000b ')).toEqual(or(term('a'), term('b')));
  });
});

describe('parseQuery: errors', () => {
  const cases: [input: string, message: string, position: number][] = [
    ['', 'Empty query', 0],
    ['   \n', 'Empty query', 0],
    ['telvana "outage', 'Unclosed quote starting at position 8', 8],
    ['telvana AND ', 'Expected a term after "AND" at position 12', 12],
    ['telvana AND )', 'Expected a term after "AND" but found ")" at position 12', 12],
    ['a OR OR b', 'Expected a term after "OR" but found "OR" at position 5', 5],
    ['a NOT', 'Expected a term after "NOT" at position 5', 5],
    ['AND telvana', 'Expected a term before "AND" at position 0', 0],
    ['(OR a)', 'Expected a term after "(" but found "OR" at position 1', 1],
    ['(telvana OR outage) down)', 'Unbalanced ")" at position 24', 24],
    [')', 'Unbalanced ")" at position 0', 0],
    ['a (b OR c', 'Unclosed "(" at position 2 (expected ")")', 2],
    ['a ()', 'Empty parentheses "()" at position 2', 2],
    ['abc foo:bar', 'Unknown filter "foo:" at position 4 (known: lang, source)', 4],
    ['https://telvana.com', 'Unknown filter "https:" at position 0 (known: lang, source)', 0],
    ['lang:', 'Expected a value after "lang:" at position 5', 5],
    ['source:""', 'Expected a value after "source:" at position 7', 7],
    [
      'x lang:english',
      'Invalid language "english" at position 7 (expected a two-letter ISO 639-1 code such as "en")',
      7,
    ],
    ['a - b', 'Expected a term after "-" at position 3', 3],
    ['a -', 'Expected a term after "-" at position 3', 3],
    ['(a -)', 'Expected a term after "-" at position 4', 4],
    ['-AND a', 'Expected a term after "-" but found "AND" at position 1', 1],
    ['te*va', 'Wildcard "*" is only allowed at the end of a term, in "te*va" at position 2', 2],
    ['a **', 'Wildcard "*" is only allowed at the end of a term, in "**" at position 2', 2],
    ['a *', 'Expected a letter or digit before "*" in "*" at position 2', 2],
    ["telvana'*", 'Expected a letter or digit before "*" in "telvana\'*" at position 8', 8],
    ['a ""', 'Empty phrase at position 2', 2],
    ['"   "', 'Empty phrase at position 0', 0],
    ['a "!?"', 'Expected letters, digits or symbols in phrase "!?" at position 2', 2],
    ['telvana , outage', 'Expected letters, digits or symbols in term "," at position 8', 8],
    ['a #', 'Expected a hashtag name after "#" at position 3', 3],
    ['#telva*', 'Invalid hashtag "#telva*" at position 0 (a hashtag has only letters, digits and _)', 0],
    ['a @', 'Expected a handle after "@" at position 3', 3],
    [
      '@telvana.',
      'Invalid handle "@telvana." at position 0 (a handle has only letters, digits, _, . and -)',
      0,
    ],
  ];

  it.each(cases)('%j -> %s', (input, message, position) => {
    const err = parseError(input);
    expect(err.message).toBe(message);
    expect(err.position).toBe(position);
    expect(err.details).toEqual({ position });
    expect(err.code).toBe('QUERY_SYNTAX');
    expect(err.name).toBe('QueryParseError');
  });

  it('reports the leftmost problem first', () => {
    expect(parseError('AND "unclosed').message).toBe('Expected a term before "AND" at position 0');
    expect(parseError('"unclosed AND').message).toBe('Unclosed quote starting at position 0');
  });

  it('rejects queries over the length limit without parsing them', () => {
    const err = parseError('a '.repeat(MAX_QUERY_LENGTH));
    expect(err.message).toBe(
      `Query is too long: ${MAX_QUERY_LENGTH * 2} characters (maximum ${MAX_QUERY_LENGTH})`,
    );
    expect(err.position).toBe(MAX_QUERY_LENGTH);
    expect(() => parseQuery('a'.repeat(MAX_QUERY_LENGTH))).not.toThrow();
  });

  it('accepts nesting up to the depth limit', () => {
    const deepest = `${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`;
    expect(parseQuery(deepest)).toEqual(term('a'));
  });

  it('rejects deeper nesting of parentheses with a clear error', () => {
    const err = parseError(`x ${'('.repeat(MAX_QUERY_DEPTH + 1)}a${')'.repeat(MAX_QUERY_DEPTH + 1)}`);
    expect(err.message).toBe(
      `Query is nested too deeply at position ${2 + MAX_QUERY_DEPTH} (maximum depth ${MAX_QUERY_DEPTH})`,
    );
    expect(err.position).toBe(2 + MAX_QUERY_DEPTH);
  });

  it('counts negations as nesting, so long NOT chains cannot overflow the stack', () => {
    expect(parseError(`${'-'.repeat(1500)}a`).message).toMatch(/^Query is nested too deeply at position 32/);
    expect(parseError('NOT '.repeat(400)).message).toMatch(/^Query is nested too deeply/);
    expect(parseError(`${'-('.repeat(900)}a`).message).toMatch(/^Query is nested too deeply/);
  });

  it('parses a long flat query at the length limit (no recursion per operand)', () => {
    const flat = `${'a '.repeat(MAX_QUERY_LENGTH / 2 - 1)}a`;
    const ast = parseQuery(flat);
    expect(ast.type === 'and' && ast.children.length).toBe(MAX_QUERY_LENGTH / 2);
    const ors = parseQuery(`${'b OR '.repeat(399)}b`);
    expect(ors.type === 'or' && ors.children.length).toBe(400);
  });
});
