/**
 * The watch query language: `(telvana OR "tel vana") -careers lang:en`. Parse once with
 * `compileQuery`, then evaluate against many mentions. Reference: docs/query-language.md.
 */
export {
  type AndNode,
  FILTER_FIELDS,
  type FilterField,
  type FilterNode,
  type HandleNode,
  type HashtagNode,
  isLeaf,
  type LeafNode,
  MAX_QUERY_DEPTH,
  MAX_QUERY_LENGTH,
  type NotNode,
  normalizeQuery,
  type OrNode,
  type PhraseNode,
  type PrefixNode,
  type QueryNode,
  queryEquals,
  type TermNode,
} from './ast.ts';
export { formatQueryError, isQueryParseError, QueryParseError } from './error.ts';
export {
  type CompiledQuery,
  compileAst,
  compileQuery,
  type MatchTarget,
  PreparedTarget,
  prepareTarget,
} from './evaluate.ts';
export { formatQuery } from './format.ts';
export { parseQuery } from './parser.ts';
export { foldHandle, foldText } from './text.ts';
