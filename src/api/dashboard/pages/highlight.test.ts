import { describe, expect, it } from 'vitest';
import { Highlighted, mentionMarks } from './highlight.tsx';

describe('mention highlights', () => {
  it('moves spans scored on "title. text" back into each field', () => {
    const title = 'Outage again';
    const text = 'I will cancel my contract, terrible service';
    // As ingest stores them: offsets into `${title}. ${text}`.
    const body = `${title}. ${text}`;
    const start = body.indexOf('cancel my contract');
    const marks = mentionMarks(
      {
        title,
        text,
        language: 'en',
        signals: [{ kind: 'churn_intent', evidence: 'cancel my contract', start, end: start + 18 }],
      },
      { query: 'outage OR contract', terms: ['outage', 'contract'] },
    );
    const signal = marks.text.find((m) => m.kind === 'signal');
    expect(signal && text.slice(signal.start, signal.end)).toBe('cancel my contract');
    expect(signal?.title).toBe('Red flag: Churn intent');
    const neg = marks.text.filter((m) => m.kind === 'neg');
    expect(neg.map((m) => text.slice(m.start, m.end))).toContain('terrible');
    expect(neg.every((m) => m.title.startsWith('Sentiment -'))).toBe(true);
    const term = marks.title.find((m) => m.kind === 'term');
    expect(term && title.slice(term.start, term.end)).toBe('Outage');
  });

  it('renders overlapping marks once, escaping the text', async () => {
    const html = await Highlighted({
      text: 'a <b> bad day',
      marks: [
        { start: 6, end: 9, kind: 'neg', title: 'Sentiment -2.25 (bad)' },
        { start: 6, end: 13, kind: 'term', title: 'Matched term: "bad day"' },
      ],
    }).toString();
    expect(html).toBe(
      'a &lt;b&gt; <mark class="hl-term" title="Matched term: &quot;bad day&quot;">bad day</mark>',
    );
  });
});
