import { describe, expect, it } from 'vitest';
import { type QueryNode, normalizeQuery } from './ast.ts';
import { QueryParseError, formatQueryError } from './error.ts';
import { formatQuery, quote } from './format.ts';
import { parseQuery } from './parser.ts';

const canonical = (q: string) => formatQuery(parseQuery(q));

describe('formatQuery', () => {
  it.each([
    ['telvana', 'telvana'],
    ['telva*', 'telva*'],
    ['a AND b', 'a b'],
    ['a   b', 'a b'],
    ['a OR b c', 'a OR b c'],
    ['(a OR b) c', '(a OR b) c'],
    ['NOT a', '-a'],
    ['NOT (a OR b)', '-(a OR b)'],
    ['NOT NOT a', '--a'],
    ['-(a b)', '-(a b)'],
    ['a OR (b OR c)', 'a OR b OR c'],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
    ['#Tag @h', '#Tag @h'],
    ['LANG:EN', 'lang:en'],
    ['lang:"en"', 'lang:en'],
    ['source:"Hacker News" source:"rss"', 'source:"Hacker News" source:rss'],
    ['a"b"', 'a "b"'],
  ])('%j -> %j', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('escapes backslashes only where the lexer would read an escape', () => {
    expect(quote('a\\b')).toBe('"a\\b"');
    expect(quote('a\\')).toBe('"a\\\\"');
    expect(quote('\\"')).toBe('"\\\\\\""');
    for (const value of ['a\\b', 'a\\', '\\"', '\\\\', 'x"y']) {
      expect(parseQuery(quote(`z${value}`))).toEqual({ type: 'phrase', value: `z${value}` });
    }
  });

  it('writes hand-built terms the lexer would misread as phrases', () => {
    expect(formatQuery({ type: 'term', value: 'AND' })).toBe('"AND"');
    expect(formatQuery({ type: 'term', value: 'foo:bar' })).toBe('"foo:bar"');
    expect(formatQuery({ type: 'term', value: 'two words' })).toBe('"two words"');
    expect(formatQuery({ type: 'term', value: '-x' })).toBe('"-x"');
  });

  it('quotes filter values that are not bare words', () => {
    expect(formatQuery({ type: 'filter', field: 'source', value: 'a(b)' })).toBe('source:"a(b)"');
  });

  it('brackets nested AND/OR in hand-built ASTs so they re-parse to the normalized AST', () => {
    const ast: QueryNode = {
      type: 'and',
      children: [
        { type: 'term', value: 'a' },
        {
          type: 'and',
          children: [
            { type: 'term', value: 'b' },
            { type: 'or', children: [{ type: 'term', value: 'c' }] },
          ],
        },
      ],
    };
    expect(formatQuery(ast)).toBe('a (b (c))');
    expect(parseQuery(formatQuery(ast))).toEqual(normalizeQuery(ast));
    expect(normalizeQuery(ast)).toEqual({
      type: 'and',
      children: [
        { type: 'term', value: 'a' },
        { type: 'term', value: 'b' },
        { type: 'term', value: 'c' },
      ],
    });
  });

  it('re-parses deeply nested queries within the depth limit', () => {
    // Alternating OR/AND levels: the canonical form must not add parentheses the input did not need.
    let q = 'z';
    for (let i = 0; i < 31; i++) q = `a${i} OR b${i} (${q})`;
    const ast = parseQuery(q);
    expect(parseQuery(formatQuery(ast))).toEqual(ast);
  });
});

describe('formatQueryError', () => {
  function errorOf(q: string): QueryParseError {
    try {
      parseQuery(q);
    } catch (err) {
      if (err instanceof QueryParseError) return err;
    }
    throw new Error('expected a QueryParseError');
  }

  it('puts a caret under the error position', () => {
    const q = 'telvana AND ';
    expect(formatQueryError(q, errorOf(q))).toBe(
      ['telvana AND ', '            ^', 'Expected a term after "AND" at position 12'].join('\n'),
    );
    const u = 'telvana "outage';
    expect(formatQueryError(u, errorOf(u))).toBe(
      ['telvana "outage', '        ^', 'Unclosed quote starting at position 8'].join('\n'),
    );
  });

  it('shows only the offending line of a multi-line query', () => {
    const q = 'telvana\nOR (outage';
    expect(formatQueryError(q, errorOf(q))).toBe(
      ['OR (outage', '   ^', 'Unclosed "(" at position 11 (expected ")")'].join('\n'),
    );
  });

  it('accounts for wide characters and tabs when placing the caret', () => {
    const q = '東京\tAND';
    expect(formatQueryError(q, errorOf(q)).split('\n').slice(0, 2)).toEqual(['東京 AND', '        ^']);
  });

  it('cuts long lines around the error', () => {
    const q = `${'telvana '.repeat(30)}) ${'x '.repeat(40)}`;
    const [line, caret, message] = formatQueryError(q, errorOf(q)).split('\n');
    expect(message).toBe('Unbalanced ")" at position 240');
    expect(line?.startsWith('…')).toBe(true);
    expect(line?.endsWith('…')).toBe(true);
    expect(line?.[caret?.indexOf('^') ?? -1]).toBe(')');
  });
});
