import {
  type CompiledQuery,
  type FilterField,
  type MatchTarget,
  type PreparedTarget,
  type QueryNode,
  QueryParseError,
  compileQuery,
  foldHandle,
  prepareTarget,
} from '../core/query/index.ts';
import { type CustomLexicon, compileLexicon } from '../score/sentiment.ts';

/**
 * Decides which watches a mention belongs to. All queries are compiled once per workspace load;
 * each mention is folded once and then tested against every watch.
 */

export interface WatchRule {
  id: string;
  query: string;
  /** Queries that, when any matches, exclude the mention even if `query` matched. */
  exclusions: string[];
  /** The brand's own accounts (with or without @). */
  ownedHandles: string[];
  /** The watch's own sentiment words (word -> weight); empty or absent for most watches. */
  lexicon?: Record<string, number> | undefined;
}

export interface WatchMatch {
  watchId: string;
  /** The author is one of the watch's own accounts. */
  owned: boolean;
  /** Positive query terms found in the mention, for highlighting (see CompiledQuery.matchedTerms). */
  terms: string[];
  /** Present only when the watch has its own lexicon: the mention is then scored again for this watch. */
  lexicon?: CustomLexicon;
}

export interface WatchCompileError {
  watchId: string;
  /** Which query failed: `query`, or `exclusions[2]` for the third exclusion. */
  field: string;
  error: QueryParseError;
}

export interface WatchMatcher {
  /** True when some query or exclusion filters on `lang:`, so targets need their language first. */
  readonly usesLanguage: boolean;
  /** Watches whose query matches and none of whose exclusions match. */
  match(target: MatchTarget): WatchMatch[];
  /**
   * For a source dedicated to one watch: its items belong to the watch without matching the query,
   * but exclusions still apply. Null when an exclusion matches or the watch is unknown.
   */
  matchOne(watchId: string, target: MatchTarget): WatchMatch | null;
}

interface CompiledWatch {
  id: string;
  /** Null when the query does not parse: the watch then matches nothing through `match`. */
  query: CompiledQuery | null;
  exclusions: CompiledQuery[];
  ownedHandles: Set<string>;
  lexicon: CustomLexicon | null;
}

function compileOne(watch: WatchRule, errors: WatchCompileError[]): CompiledWatch {
  const attempt = (source: string, field: string): CompiledQuery | null => {
    try {
      return compileQuery(source);
    } catch (err) {
      if (!(err instanceof QueryParseError)) throw err;
      errors.push({ watchId: watch.id, field, error: err });
      return null;
    }
  };
  const exclusions: CompiledQuery[] = [];
  watch.exclusions.forEach((source, i) => {
    // A blank exclusion (an empty form row) excludes nothing; it is not worth an error.
    if (source.trim() === '') return;
    // A broken exclusion is reported and skipped rather than dropping the whole watch: missing a
    // mention is worse for a reputation watcher than storing one that should have been excluded.
    const compiled = attempt(source, `exclusions[${i}]`);
    if (compiled) exclusions.push(compiled);
  });
  return {
    id: watch.id,
    query: attempt(watch.query, 'query'),
    exclusions,
    ownedHandles: new Set(watch.ownedHandles.map(foldHandle).filter((h) => h !== '')),
    // Compiled once per load, like the queries; null keeps the common case free of a second scoring.
    lexicon: watch.lexicon && Object.keys(watch.lexicon).length > 0 ? compileLexicon(watch.lexicon) : null,
  };
}

function excluded(watch: CompiledWatch, target: PreparedTarget): boolean {
  return watch.exclusions.some((e) => e.matches(target));
}

function toMatch(watch: CompiledWatch, target: PreparedTarget): WatchMatch {
  const match: WatchMatch = {
    watchId: watch.id,
    owned: target.author !== null && watch.ownedHandles.has(target.author),
    terms: watch.query ? watch.query.matchedTerms(target) : [],
  };
  if (watch.lexicon) match.lexicon = watch.lexicon;
  return match;
}

function hasFilter(node: QueryNode, field: FilterField): boolean {
  switch (node.type) {
    case 'filter':
      return node.field === field;
    case 'and':
    case 'or':
      return node.children.some((c) => hasFilter(c, field));
    case 'not':
      return hasFilter(node.child, field);
    default:
      return false;
  }
}

/**
 * Compiles every watch once. A query or exclusion that does not parse is reported in `errors`, not
 * thrown, so one broken watch cannot stop ingestion for the others.
 */
export function compileWatches(watches: WatchRule[]): { matcher: WatchMatcher; errors: WatchCompileError[] } {
  const errors: WatchCompileError[] = [];
  const compiled = watches.map((w) => compileOne(w, errors));
  const byId = new Map(compiled.map((w) => [w.id, w]));
  const usesLanguage = compiled.some((w) =>
    [w.query, ...w.exclusions].some((q) => q !== null && hasFilter(q.ast, 'lang')),
  );
  const matcher: WatchMatcher = {
    usesLanguage,
    match(target) {
      const prepared = prepareTarget(target);
      const out: WatchMatch[] = [];
      for (const watch of compiled) {
        if (watch.query?.matches(prepared) && !excluded(watch, prepared)) out.push(toMatch(watch, prepared));
      }
      return out;
    },
    matchOne(watchId, target) {
      const watch = byId.get(watchId);
      if (!watch) return null;
      const prepared = prepareTarget(target);
      return excluded(watch, prepared) ? null : toMatch(watch, prepared);
    },
  };
  return { matcher, errors };
}
