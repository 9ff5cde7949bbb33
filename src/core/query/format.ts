import { type LeafNode, type QueryNode, queryEquals } from './ast.ts';
import { parseQuery } from './parser.ts';

/**
 * Canonical text of a query: implicit AND (a space), `OR`, `-x` for negation, parentheses only where
 * precedence needs them: `telvana (outage OR down) -careers`. For any AST `parseQuery` produced,
 * `parseQuery(formatQuery(ast))` is equal to it; a hand-built AST comes back normalized (see
 * `normalizeQuery`).
 *
 * Why so sparse: the canonical text must re-parse within MAX_QUERY_LENGTH and MAX_QUERY_DEPTH.
 * It is never longer than the query it came from, bar one space per pair of operands the user wrote
 * touching (`a"b"` becomes `a "b"`), and never nests deeper.
 */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case 'and':
      return node.children
        .map((c) => (c.type === 'or' || c.type === 'and' ? group(c) : formatQuery(c)))
        .join(' ');
    case 'or':
      return node.children.map((c) => (c.type === 'or' ? group(c) : formatQuery(c))).join(' OR ');
    case 'not':
      return `-${node.child.type === 'and' || node.child.type === 'or' ? group(node.child) : formatQuery(node.child)}`;
    default:
      return formatLeaf(node);
  }
}

function group(node: QueryNode): string {
  return `(${formatQuery(node)})`;
}

/**
 * `"..."` with `"` escaped, and `\` escaped only where the lexer would otherwise read it as part of
 * an escape (before `"` or `\`, or last): minimal escaping keeps the text as short as the input.
 */
export function quote(s: string): string {
  return `"${s.replace(/"|\\(?=["\\]|$)/g, '\\$&')}"`;
}

/** True when `text` parses back to exactly `leaf` (the bare spelling is safe to use). */
function readsAs(text: string, leaf: LeafNode): boolean {
  try {
    return queryEquals(parseQuery(text), leaf);
  } catch {
    return false;
  }
}

export function formatLeaf(node: LeafNode): string {
  switch (node.type) {
    case 'term':
      // A value the lexer would read differently (a keyword, `foo:bar`, a space) is written as a
      // phrase: that only happens for hand-built ASTs, and a phrase matches the same texts.
      return readsAs(node.value, node) ? node.value : quote(node.value);
    case 'prefix':
      return `${node.value}*`;
    case 'phrase':
      return quote(node.value);
    case 'hashtag':
      return `#${node.value}`;
    case 'handle':
      return `@${node.value}`;
    case 'filter': {
      const bare = `${node.field}:${node.value}`;
      return readsAs(bare, node) ? bare : `${node.field}:${quote(node.value)}`;
    }
  }
}
