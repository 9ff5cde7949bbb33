import { formatLeaf } from '../core/query/format.ts';
import { type LeafNode, type QueryNode, foldText } from '../core/query/index.ts';
import {
  type TextPattern,
  buildHandlePattern,
  buildHashtagPattern,
  buildTextPattern,
} from '../core/query/text.ts';

/**
 * Where a query's terms occur in a mention, as offsets into the original (unfolded) title and text,
 * so a UI can highlight them. Matching runs on folded text (case, accents, width: see
 * src/core/query/text.ts); each folded character remembers which original characters it came from.
 */

export interface Highlight {
  field: 'title' | 'text';
  /** UTF-16 offsets into the original string, `end` exclusive (JavaScript `slice` semantics). */
  start: number;
  end: number;
  /** The query term as written in the query (`telvana`, `"customer service"`, `#fail`). */
  term: string;
}

/** At most this many highlights per field: a preview shows where, not every repetition. */
export const MAX_HIGHLIGHTS_PER_FIELD = 50;

interface FoldedText {
  folded: string;
  /** Per UTF-16 unit of `folded`: the original offsets of the code point(s) it came from. */
  starts: number[];
  ends: number[];
}

/**
 * Folds code point by code point, keeping the map back to the original. Code points that fold to
 * nothing (combining accents, soft hyphens) extend the previous character, so a highlight of "e"
 * in "é" written as e + U+0301 covers the accent too.
 */
function foldWithMap(original: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const cp of original) {
    const end = offset + cp.length;
    const f = foldText(cp);
    if (f === '') {
      if (ends.length > 0) ends[ends.length - 1] = end;
    } else {
      folded += f;
      for (let i = 0; i < f.length; i++) {
        starts.push(offset);
        ends.push(end);
      }
    }
    offset = end;
  }
  return { folded, starts, ends };
}

/** The positive text leaves of a query (not under a negation, not filters), as matchedTerms lists them. */
function positiveLeaves(
  node: QueryNode,
  negated: boolean,
  out: Map<string, LeafNode>,
): Map<string, LeafNode> {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const child of node.children) positiveLeaves(child, negated, out);
      return out;
    case 'not':
      return positiveLeaves(node.child, !negated, out);
    default: {
      if (!negated && node.type !== 'filter') {
        const label = formatLeaf(node);
        if (!out.has(label)) out.set(label, node);
      }
      return out;
    }
  }
}

function patternOf(leaf: LeafNode): TextPattern | null {
  switch (leaf.type) {
    case 'term':
    case 'phrase':
      return buildTextPattern(leaf.value, false);
    case 'prefix':
      return buildTextPattern(leaf.value, true);
    case 'hashtag':
      return buildHashtagPattern(leaf.value);
    case 'handle':
      return buildHandlePattern(leaf.value);
    default:
      return null;
  }
}

/** A query's highlighter: patterns are built once, then applied to many mentions. */
export interface Highlighter {
  /** Highlights of the given terms (labels from CompiledQuery.matchedTerms), sorted by field and start. */
  highlight(target: { title?: string | null; text: string }, terms: readonly string[]): Highlight[];
}

export function createHighlighter(ast: QueryNode): Highlighter {
  const patterns = new Map<string, RegExp>();
  for (const [label, leaf] of positiveLeaves(ast, false, new Map())) {
    const pattern = patternOf(leaf);
    // Global copies: the compiled patterns are tested, never scanned; `v` keeps the Unicode sets.
    if (pattern) patterns.set(label, new RegExp(pattern.regex.source, 'gv'));
  }
  return {
    highlight(target, terms) {
      const out: Highlight[] = [];
      const fields: ['title' | 'text', string | null | undefined][] = [
        ['title', target.title],
        ['text', target.text],
      ];
      for (const [field, original] of fields) {
        if (!original) continue;
        const text = foldWithMap(original);
        const found: Highlight[] = [];
        for (const term of terms) {
          const regex = patterns.get(term);
          if (!regex) continue;
          regex.lastIndex = 0;
          for (const m of text.folded.matchAll(regex)) {
            if (m[0].length === 0 || found.length >= MAX_HIGHLIGHTS_PER_FIELD) break;
            const start = text.starts[m.index] ?? 0;
            const end = text.ends[m.index + m[0].length - 1] ?? original.length;
            found.push({ field, start, end, term });
          }
        }
        found.sort((a, b) => a.start - b.start || b.end - a.end);
        out.push(...found.slice(0, MAX_HIGHLIGHTS_PER_FIELD));
      }
      return out;
    },
  };
}
