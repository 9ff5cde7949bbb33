import { describe, expect, it } from 'vitest';
import { QueryParseError, compileQuery } from '../core/query/index.ts';
import { createHighlighter } from './highlight.ts';
import { type PreviewMention, previewWatch } from './preview.ts';

let nextId = 1;
function mention(text: string, extra: Partial<PreviewMention> = {}): PreviewMention {
  return {
    id: nextId++,
    publishedAt: new Date('2026-03-01T00:00:00Z'),
    url: null,
    authorName: null,
    text,
    title: null,
    authorHandle: null,
    sourceType: 'rss',
    sourceName: 'feed',
    ...extra,
  };
}

const slice = (s: string, h: { start: number; end: number }) => s.slice(h.start, h.end);

describe('previewWatch', () => {
  const mentions = [
    mention('Telvana support never answers, cancelling'),
    mention('Telvana careers: we are hiring'),
    mention('Nothing to see here'),
    mention('Our new plan is out', { authorHandle: '@telvana', title: 'Telvana news' }),
    mention('TÉLVANA outage again #telvanafail'),
  ];

  it('counts matches, exclusions and owned posts like ingestion would', () => {
    const r = previewWatch(
      { query: 'telvana', exclusions: ['careers'], ownedHandles: ['telvana'] },
      mentions,
    );
    expect(r.scanned).toBe(5);
    expect(r.matched).toBe(3);
    expect(r.excluded).toBe(1);
    expect(r.owned).toBe(1);
    expect(r.samples.map((s) => s.mention.text)).toEqual([
      'Telvana support never answers, cancelling',
      'Our new plan is out',
      'TÉLVANA outage again #telvanafail',
    ]);
    expect(r.samples.every((s) => s.terms.includes('telvana'))).toBe(true);
  });

  it('caps the samples but keeps counting', () => {
    const r = previewWatch({ query: 'telvana' }, mentions, 2);
    expect(r.matched).toBe(4);
    expect(r.samples).toHaveLength(2);
  });

  it('throws the parse error of the query or an exclusion', () => {
    expect(() => previewWatch({ query: 'telvana AND (outage' }, mentions)).toThrow(QueryParseError);
    expect(() => previewWatch({ query: 'telvana', exclusions: ['"open'] }, mentions)).toThrow(
      QueryParseError,
    );
  });

  it('highlights where the terms are in the original text, accents and case included', () => {
    const r = previewWatch({ query: 'telvana OR outage OR #telvanafail -careers' }, mentions);
    const last = r.samples.find((s) => s.mention.text.startsWith('TÉLVANA'));
    expect(last?.terms).toEqual(['telvana', 'outage', '#telvanafail']);
    const text = last?.mention.text ?? '';
    expect(last?.highlights.map((h) => [h.term, slice(text, h)])).toEqual([
      ['telvana', 'TÉLVANA'],
      ['outage', 'outage'],
      ['#telvanafail', '#telvanafail'],
    ]);
    const owned = r.samples.find((s) => s.mention.title === 'Telvana news');
    expect(owned?.highlights).toEqual([{ field: 'title', start: 0, end: 7, term: 'telvana' }]);
  });
});

describe('createHighlighter', () => {
  it('maps folded positions back through decomposed accents, wide letters and ß', () => {
    const h = createHighlighter(compileQuery('"cafe creme" OR strasse OR ｔｅｌ*').ast);
    const text = 'Un cafe\u0301 cre\u0300me, Straße 5, ｔｅｌｖａｎａ!';
    const found = h.highlight({ text }, ['"cafe creme"', 'strasse', 'ｔｅｌ*']);
    expect(found.map((x) => slice(text, x))).toEqual(['cafe\u0301 cre\u0300me', 'Straße', 'ｔｅｌ']);
  });

  it('ignores terms it was not given and negated leaves', () => {
    const h = createHighlighter(compileQuery('telvana -outage').ast);
    expect(h.highlight({ text: 'telvana outage' }, ['outage'])).toEqual([]);
    expect(h.highlight({ text: 'telvana outage telvana' }, ['telvana']).map((x) => x.start)).toEqual([0, 15]);
  });
});
