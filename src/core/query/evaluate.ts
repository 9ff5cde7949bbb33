import type { LeafNode, QueryNode } from './ast.ts';
import { formatLeaf } from './format.ts';
import { parseQuery } from './parser.ts';
import {
  type TextPattern,
  buildHandlePattern,
  buildHashtagPattern,
  buildTextPattern,
  foldHandle,
  foldLabel,
  foldText,
} from './text.ts';

/** What a query is evaluated against: one mention and where it came from. */
export interface MatchTarget {
  text: string;
  title?: string | null;
  /** ISO 639-1 code; a region suffix (`pt-BR`) is ignored. */
  language?: string | null;
  sourceType?: string | null;
  sourceName?: string | null;
  authorHandle?: string | null;
}

/**
 * A target folded once, so that many queries (all the watches of a workspace) can be evaluated
 * against it without folding the text again for each. Get one from `prepareTarget`.
 */
export class PreparedTarget {
  /** Folded title and text, kept apart so a phrase cannot run from the title into the body. */
  readonly texts: readonly string[];
  readonly language: string | null;
  /** Folded source type and source name. */
  readonly sources: readonly string[];
  readonly author: string | null;

  constructor(target: MatchTarget) {
    const texts = [target.title, target.text].filter((t): t is string => typeof t === 'string' && t !== '');
    this.texts = texts.map(foldText);
    const lang = target.language ? foldLabel(target.language).split(/[-_]/)[0] : '';
    this.language = lang ? lang : null;
    this.sources = [target.sourceType, target.sourceName]
      .filter((s): s is string => typeof s === 'string')
      .map(foldLabel)
      .filter((s) => s !== '');
    const author = target.authorHandle ? foldHandle(target.authorHandle) : '';
    this.author = author ? author : null;
  }
}

export function prepareTarget(target: MatchTarget | PreparedTarget): PreparedTarget {
  return target instanceof PreparedTarget ? target : new PreparedTarget(target);
}

export interface CompiledQuery {
  readonly ast: QueryNode;
  /** Accepts a prepared target to share the folding work between many queries. */
  matches(target: MatchTarget | PreparedTarget): boolean;
  /**
   * The positive text leaves (not under a negation) found in the target, written as in the query
   * (`telvana`, `telva*`, `"customer service"`, `#telvanafail`, `@telvana`), in query order, without
   * duplicates. For highlighting; filters are not terms and never listed. Independent of whether the
   * whole query matched.
   */
  matchedTerms(target: MatchTarget | PreparedTarget): string[];
}

type Predicate = (t: PreparedTarget) => boolean;

function textPredicate(pattern: TextPattern | null): Predicate {
  if (pattern === null) return () => false;
  const { regex, needle } = pattern;
  return (t) => t.texts.some((text) => text.includes(needle) && regex.test(text));
}

function leafPredicate(node: LeafNode): Predicate {
  switch (node.type) {
    case 'term':
    case 'phrase':
      return textPredicate(buildTextPattern(node.value, false));
    case 'prefix':
      return textPredicate(buildTextPattern(node.value, true));
    case 'hashtag':
      return textPredicate(buildHashtagPattern(node.value));
    case 'handle': {
      const inText = textPredicate(buildHandlePattern(node.value));
      const handle = foldHandle(node.value);
      return (t) => t.author === handle || inText(t);
    }
    case 'filter': {
      const value = foldLabel(node.value);
      if (node.field === 'lang') return (t) => t.language === value;
      return (t) => t.sources.includes(value);
    }
  }
}

/** Filters are a string compare; trying them first lets AND/OR skip regex scans. */
function cost(node: QueryNode): number {
  return node.type === 'filter' ? 0 : 1;
}

function compileNode(node: QueryNode, positives: Map<string, Predicate>, negated: boolean): Predicate {
  switch (node.type) {
    case 'and': {
      const parts = sortByCost(node.children).map((c) => compileNode(c, positives, negated));
      return (t) => parts.every((p) => p(t));
    }
    case 'or': {
      const parts = sortByCost(node.children).map((c) => compileNode(c, positives, negated));
      return (t) => parts.some((p) => p(t));
    }
    case 'not': {
      const inner = compileNode(node.child, positives, !negated);
      return (t) => !inner(t);
    }
    default: {
      const predicate = leafPredicate(node);
      if (!negated && node.type !== 'filter') {
        const label = formatLeaf(node);
        if (!positives.has(label)) positives.set(label, predicate);
      }
      return predicate;
    }
  }
}

function sortByCost(nodes: QueryNode[]): QueryNode[] {
  return [...nodes].sort((a, b) => cost(a) - cost(b));
}

/** Compiles an AST (regexes are built here, once). */
export function compileAst(ast: QueryNode): CompiledQuery {
  const positives = new Map<string, Predicate>();
  const predicate = compileNode(ast, positives, false);
  const terms = [...positives];
  return {
    ast,
    matches: (target) => predicate(prepareTarget(target)),
    matchedTerms: (target) => {
      const t = prepareTarget(target);
      return terms.filter(([, p]) => p(t)).map(([label]) => label);
    },
  };
}

/** Parses and compiles a query; throws QueryParseError. */
export function compileQuery(input: string): CompiledQuery {
  return compileAst(parseQuery(input));
}
