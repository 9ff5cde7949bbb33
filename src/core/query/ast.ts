/**
 * The watch query AST. Leaf values keep what the user wrote (case, accents) so that `formatQuery`
 * gives the query back recognisably; folding for comparison happens when the query is compiled.
 */

/** A bare word (or hyphenated/dotted compound) matched on word boundaries: `telvana`, `wi-fi`. */
export interface TermNode {
  type: 'term';
  value: string;
}

/** A word prefix, written with a trailing star: `telva*` (the value has no star). */
export interface PrefixNode {
  type: 'prefix';
  value: string;
}

/** A sequence of words in double quotes; the value is the unescaped text between the quotes. */
export interface PhraseNode {
  type: 'phrase';
  value: string;
}

/** `#telvanafail`; the value has no `#`. */
export interface HashtagNode {
  type: 'hashtag';
  value: string;
}

/** `@telvana`; the value has no `@`. Matches a mention in the text or the author's handle. */
export interface HandleNode {
  type: 'handle';
  value: string;
}

export type FilterField = 'lang' | 'source';
export const FILTER_FIELDS: readonly FilterField[] = ['lang', 'source'];

/** `lang:en` (value lower-cased) or `source:rss` (value as written). */
export interface FilterNode {
  type: 'filter';
  field: FilterField;
  value: string;
}

export interface AndNode {
  type: 'and';
  children: QueryNode[];
}

export interface OrNode {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode {
  type: 'not';
  child: QueryNode;
}

export type LeafNode = TermNode | PrefixNode | PhraseNode | HashtagNode | HandleNode | FilterNode;
export type QueryNode = LeafNode | AndNode | OrNode | NotNode;

/** Longest query accepted, in UTF-16 code units (JavaScript string length). */
export const MAX_QUERY_LENGTH = 2000;
/** Deepest nesting of parentheses and negations accepted; keeps every recursive walk shallow. */
export const MAX_QUERY_DEPTH = 32;

export function isLeaf(node: QueryNode): node is LeafNode {
  return node.type !== 'and' && node.type !== 'or' && node.type !== 'not';
}

/**
 * The shape `parseQuery` produces: AND/OR chains flattened (`a AND (b AND c)` has one AND node with
 * three children) and single-child AND/OR nodes unwrapped. Two queries with the same meaning up to
 * associativity normalize to equal ASTs.
 */
export function normalizeQuery(node: QueryNode): QueryNode {
  switch (node.type) {
    case 'and':
    case 'or': {
      const children: QueryNode[] = [];
      for (const child of node.children) {
        const c = normalizeQuery(child);
        if (c.type === node.type) children.push(...c.children);
        else children.push(c);
      }
      if (children.length === 1 && children[0]) return children[0];
      return { type: node.type, children };
    }
    case 'not':
      return { type: 'not', child: normalizeQuery(node.child) };
    default:
      return node;
  }
}

/** Structural equality of two ASTs (no normalization). */
export function queryEquals(a: QueryNode, b: QueryNode): boolean {
  switch (a.type) {
    case 'and':
    case 'or':
      return (
        a.type === b.type &&
        a.children.length === b.children.length &&
        a.children.every((c, i) => {
          const other = b.children[i];
          return other !== undefined && queryEquals(c, other);
        })
      );
    case 'not':
      return b.type === 'not' && queryEquals(a.child, b.child);
    case 'filter':
      return b.type === 'filter' && a.field === b.field && a.value === b.value;
    default:
      return a.type === b.type && a.value === (b as typeof a).value;
  }
}
