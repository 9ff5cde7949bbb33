import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeafNode, type QueryNode, normalizeQuery } from './ast.ts';
import { QueryParseError } from './error.ts';
import { type MatchTarget, compileQuery } from './evaluate.ts';
import { formatQuery } from './format.ts';
import { parseQuery } from './parser.ts';

const RUNS = { numRuns: 500 };

/** Random trees over the given leaves: AND/OR with 2–4 children, NOT, bounded depth. */
function treeOf(leaf: fc.Arbitrary<LeafNode>, maxDepth: number): fc.Arbitrary<QueryNode> {
  const { node } = fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth, depthIdentifier: 'query' },
      leaf,
      fc.record({
        type: fc.constant('and' as const),
        children: fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
      }),
      fc.record({
        type: fc.constant('or' as const),
        children: fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
      }),
      fc.record({ type: fc.constant('not' as const), child: tie('node') }),
    ),
  }));
  return node;
}

// --- (1) format/parse round trip over arbitrary valid leaves ---

const chars = (s: string) => fc.constantFrom(...Array.from(s));
const FIRST = chars('abcxyzABCZéüßøÅ東京ñ1');
const REST = chars("abcxyzABCéü東京09_-.'+!");
const word = fc
  .tuple(FIRST, fc.array(REST, { maxLength: 6 }))
  .map(([first, rest]) => first + rest.join(''))
  .filter((w) => w !== 'AND' && w !== 'OR' && w !== 'NOT');
const wordChar = chars('abcé東09');
const tagName = fc.array(chars('abcXYZé09_'), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const handleName = fc
  .array(tagName, { minLength: 1, maxLength: 3 })
  .chain((parts) =>
    fc
      .array(chars('.-@'), { minLength: parts.length - 1, maxLength: parts.length - 1 })
      .map((seps) => parts.map((p, i) => (i === 0 ? p : `${seps[i - 1]}${p}`)).join('')),
  );
// Phrase contents: anything, including quotes and backslashes, with something to match.
const phraseText = fc
  .tuple(
    fc.string({ unit: chars('ab "\\()-*:#@東😀\t'), maxLength: 10 }),
    wordChar,
    fc.string({ maxLength: 5 }),
  )
  .map(([a, w, b]) => a + w + b);
const sourceValue = fc
  .tuple(fc.string({ unit: chars('ab "\\()R S'), maxLength: 6 }), wordChar)
  .map(([a, w]) => a + w);

const anyLeaf: fc.Arbitrary<LeafNode> = fc.oneof(
  word.map((value) => ({ type: 'term' as const, value })),
  fc.tuple(word, wordChar).map(([w, c]) => ({ type: 'prefix' as const, value: w + c })),
  phraseText.map((value) => ({ type: 'phrase' as const, value })),
  tagName.map((value) => ({ type: 'hashtag' as const, value })),
  handleName.map((value) => ({ type: 'handle' as const, value })),
  fc
    .stringMatching(/^[a-z]{2}$/)
    .map((value) => ({ type: 'filter' as const, field: 'lang' as const, value })),
  sourceValue.map((value) => ({ type: 'filter' as const, field: 'source' as const, value })),
);

describe('property: formatQuery / parseQuery round trip', () => {
  it('parseQuery(formatQuery(ast)) equals the normalized AST', () => {
    fc.assert(
      fc.property(treeOf(anyLeaf, 5), (ast) => {
        expect(parseQuery(formatQuery(ast))).toEqual(normalizeQuery(ast));
      }),
      RUNS,
    );
  });
});

// --- (2) parseQuery is total: an AST or a QueryParseError, nothing else ---

const queryish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'AND',
        'OR',
        'NOT',
        '(',
        ')',
        '"',
        '\\',
        '-',
        '*',
        '#',
        '@',
        'lang:',
        'source:',
        'foo:',
        ' ',
        ' ',
      ),
      fc.constantFrom('telvana', 'en', 'x', '東京', '🔥', '.', ',', "'", '_', '\n', '\u0301', '\ud800'),
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(''));
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

function parsesOrFailsCleanly(input: string): void {
  let ast: QueryNode;
  try {
    ast = parseQuery(input);
  } catch (err) {
    expect(err).toBeInstanceOf(QueryParseError);
    const position = (err as QueryParseError).position;
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual(input.length);
    return;
  }
  // Whatever parses must also compile, evaluate, and survive the canonical round trip.
  const compiled = compileQuery(input);
  expect(typeof compiled.matches({ text: input, title: 'telvana 東京 🔥', authorHandle: 'x' })).toBe(
    'boolean',
  );
  expect(Array.isArray(compiled.matchedTerms({ text: input }))).toBe(true);
  expect(parseQuery(formatQuery(ast))).toEqual(ast);
}

describe('property: parseQuery on arbitrary input', () => {
  it('full Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), parsesOrFailsCleanly), RUNS);
  });

  it('raw UTF-16 code units, lone surrogates included', () => {
    fc.assert(fc.property(codeUnits, parsesOrFailsCleanly), RUNS);
  });

  it('strings made of query syntax', () => {
    fc.assert(fc.property(queryish, parsesOrFailsCleanly), { numRuns: 1000 });
  });
});

// --- (3) evaluation agrees with a naive reference evaluator ---

const VOCAB = [
  'telvana',
  'Telvana',
  'TÉLVANA',
  'outage',
  'Outage',
  'down',
  'telvanaland',
  'déjà',
  'deja',
  'vu',
];
const fold = (s: string) =>
  s
    .normalize('NFD')
    // biome-ignore lint/suspicious/noMisleadingCharacterClass: a range of combining marks, stripped on purpose.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const vocabWord = fc.constantFrom(...VOCAB);
const smallLeaf: fc.Arbitrary<LeafNode> = fc.oneof(
  vocabWord.map((value) => ({ type: 'term' as const, value })),
  fc.constantFrom('telva', 'out', 'de', 'd', 'TEL').map((value) => ({ type: 'prefix' as const, value })),
  fc.tuple(vocabWord, vocabWord).map(([a, b]) => ({ type: 'phrase' as const, value: `${a} ${b}` })),
  vocabWord.map((value) => ({ type: 'hashtag' as const, value })),
  vocabWord.map((value) => ({ type: 'handle' as const, value })),
  fc.constantFrom('en', 'es').map((value) => ({ type: 'filter' as const, field: 'lang' as const, value })),
  fc
    .constantFrom('rss', 'reddit')
    .map((value) => ({ type: 'filter' as const, field: 'source' as const, value })),
);

interface Token {
  kind: 'word' | 'hashtag' | 'handle';
  value: string;
}

const tokenArb: fc.Arbitrary<Token> = fc.record({
  kind: fc.constantFrom('word', 'word', 'hashtag', 'handle'),
  value: vocabWord,
});
const SEPARATORS = [' ', ', ', '! ', '\n', ' (', ') '];

interface Sample {
  tokens: Token[];
  target: MatchTarget;
}

const sampleArb: fc.Arbitrary<Sample> = fc
  .record({
    tokens: fc.array(tokenArb, { maxLength: 6 }),
    seps: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 7, maxLength: 7 }),
    language: fc.constantFrom('en', 'es', null),
    sourceType: fc.constantFrom('rss', 'reddit'),
    author: fc.option(vocabWord),
  })
  .map(({ tokens, seps, language, sourceType, author }) => {
    const sigil = { word: '', hashtag: '#', handle: '@' };
    const text = tokens.map((t, i) => `${sigil[t.kind]}${t.value}${seps[i]}`).join('');
    return { tokens, target: { text, language, sourceType, authorHandle: author } };
  });

/** The obvious, slow semantics: compare folded words of the token list. */
function reference(node: QueryNode, s: Sample): boolean {
  const words = s.tokens.map((t) => fold(t.value));
  switch (node.type) {
    case 'and':
      return node.children.every((c) => reference(c, s));
    case 'or':
      return node.children.some((c) => reference(c, s));
    case 'not':
      return !reference(node.child, s);
    case 'term':
      return words.includes(fold(node.value));
    case 'prefix':
      return words.some((w) => w.startsWith(fold(node.value)));
    case 'phrase': {
      const [a, b] = node.value.split(' ').map(fold);
      return words.some((w, i) => w === a && words[i + 1] === b);
    }
    case 'hashtag':
      return s.tokens.some((t) => t.kind === 'hashtag' && fold(t.value) === fold(node.value));
    case 'handle':
      return (
        s.tokens.some((t) => t.kind === 'handle' && fold(t.value) === fold(node.value)) ||
        (s.target.authorHandle != null && fold(s.target.authorHandle) === fold(node.value))
      );
    case 'filter':
      return node.field === 'lang' ? s.target.language === node.value : s.target.sourceType === node.value;
  }
}

describe('property: evaluation', () => {
  it('agrees with a reference evaluator on random queries and texts', () => {
    fc.assert(
      fc.property(
        treeOf(smallLeaf, 3),
        fc.array(sampleArb, { minLength: 1, maxLength: 5 }),
        (ast, samples) => {
          const compiled = compileQuery(formatQuery(ast));
          for (const s of samples) expect(compiled.matches(s.target)).toBe(reference(ast, s));
        },
      ),
      RUNS,
    );
  });

  it('De Morgan: NOT (a OR b) matches exactly when -a -b does', () => {
    const sub = treeOf(smallLeaf, 2).map(formatQuery);
    fc.assert(
      fc.property(sub, sub, fc.array(sampleArb, { minLength: 1, maxLength: 5 }), (a, b, samples) => {
        const left = compileQuery(`NOT ((${a}) OR (${b}))`);
        const right = compileQuery(`-(${a}) -(${b})`);
        for (const s of samples) expect(left.matches(s.target)).toBe(right.matches(s.target));
      }),
      RUNS,
    );
  });
});
