import type { Signal } from '../../../core/mention.ts';
import { compileQuery } from '../../../core/query/index.ts';
import { createHighlighter } from '../../../ingest/highlight.ts';
import { scoreText } from '../../../score/sentiment.ts';
import { signalLabel } from '../format.ts';

/**
 * Highlights for a mention as the explorer and the review queue show it: the watch's matched terms,
 * the words that drove the sentiment, and the red-flag evidence, each a <mark> whose title says why.
 */

export type MarkKind = 'term' | 'pos' | 'neg' | 'signal';

export interface Mark {
  start: number;
  end: number;
  kind: MarkKind;
  title: string;
}

/** Keeps the first of overlapping marks (sorted by start, longer first) so segments never nest. */
function flatten(marks: Mark[], length: number): Mark[] {
  const sorted = marks
    .filter((m) => m.start >= 0 && m.end <= length && m.end > m.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Mark[] = [];
  let until = 0;
  for (const m of sorted) {
    if (m.start < until) continue;
    out.push(m);
    until = m.end;
  }
  return out;
}

/** Text with <mark>s; marks are UTF-16 offsets into `text`. */
export function Highlighted(props: { text: string; marks: Mark[] }) {
  const marks = flatten(props.marks, props.text.length);
  const parts: (string | ReturnType<typeof MarkEl>)[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start > at) parts.push(props.text.slice(at, m.start));
    parts.push(<MarkEl mark={m} text={props.text.slice(m.start, m.end)} />);
    at = m.end;
  }
  if (at < props.text.length) parts.push(props.text.slice(at));
  return <>{parts}</>;
}

function MarkEl(props: { mark: Mark; text: string }) {
  return (
    <mark class={`hl-${props.mark.kind}`} title={props.mark.title}>
      {props.text}
    </mark>
  );
}

export interface MentionForMarks {
  title: string | null;
  text: string;
  language?: string | null;
  signals: unknown[];
}

/**
 * Marks on the title and the text. Ingest scores `title + ". " + text` (see src/ingest/pipeline.ts),
 * so stored signal spans and the sentiment tokens are offsets into that body; they are split back
 * into the two fields here. The sentiment words are recomputed with the lexicon scorer (pure and
 * fast): ingest does not store them, and a model scorer has no words to show.
 */
export function mentionMarks(
  m: MentionForMarks,
  terms: { query: string; terms: string[] } | null,
): { title: Mark[]; text: Mark[] } {
  const offset = m.title ? m.title.length + 2 : 0;
  const body = m.title ? `${m.title}. ${m.text}` : m.text;
  const onBody: Mark[] = [];
  for (const s of m.signals as Signal[]) {
    if (typeof s?.start === 'number' && typeof s.end === 'number') {
      onBody.push({ start: s.start, end: s.end, kind: 'signal', title: `Red flag: ${signalLabel(s.kind)}` });
    }
  }
  const sentiment = scoreText(body, m.language ?? null);
  for (const t of sentiment.tokens) {
    if (typeof t.start !== 'number' || typeof t.end !== 'number' || t.weight === 0) continue;
    const sign = t.weight > 0 ? '+' : '';
    onBody.push({
      start: t.start,
      end: t.end,
      kind: t.weight > 0 ? 'pos' : 'neg',
      title: `Sentiment ${sign}${t.weight} (${t.word})`,
    });
  }
  const title: Mark[] = [];
  const text: Mark[] = [];
  for (const mk of onBody) {
    if (m.title && mk.end <= m.title.length) title.push(mk);
    else if (mk.start >= offset) text.push({ ...mk, start: mk.start - offset, end: mk.end - offset });
  }
  if (terms && terms.terms.length > 0) {
    try {
      const hl = createHighlighter(compileQuery(terms.query).ast).highlight(
        { title: m.title, text: m.text },
        terms.terms,
      );
      for (const h of hl) {
        (h.field === 'title' ? title : text).push({
          start: h.start,
          end: h.end,
          kind: 'term',
          title: `Matched term: ${h.term}`,
        });
      }
    } catch {
      // A watch query that no longer compiles only loses its term highlights.
    }
  }
  return { title, text };
}
