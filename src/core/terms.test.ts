import { describe, expect, it } from 'vitest';
import { MAX_HASHTAGS, MAX_WORDS, extractTerms, termKind, termsForWatch } from './terms.ts';

describe('extractTerms', () => {
  it('keeps hashtags first (folded, once each), then content words by frequency', () => {
    expect(
      extractTerms('Telvana outage AGAIN!!! #TelvanaFail #telvanafail no signal in Leeds, signal gone'),
    ).toEqual(['#telvanafail', 'signal', 'telvana', 'outage', 'leeds', 'gone']);
  });

  it('drops stop words, short tokens, URLs, @handles and numbers', () => {
    expect(extractTerms('@TelvanaCare it is the 3rd time https://t.co/xyz www.example.com 2026 ok')).toEqual([
      'time',
    ]);
  });

  it('folds accents and case, and strips elided articles', () => {
    expect(extractTerms("L'Opérateur Télvana: c’est la panne, PANNE totale #Grève")).toEqual([
      '#greve',
      'panne',
      'operateur',
      'telvana',
      'totale',
    ]);
  });

  it('is bounded whatever the text length', () => {
    const tags = Array.from({ length: 20 }, (_, i) => `#tag${i}x`).join(' ');
    const words = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`).join(
      ' ',
    );
    const terms = extractTerms(`${tags} ${words}`);
    expect(terms.filter((t) => t.startsWith('#'))).toHaveLength(MAX_HASHTAGS);
    expect(terms.filter((t) => !t.startsWith('#'))).toHaveLength(MAX_WORDS);
  });

  it('does not take an HTML entity or a URL fragment for a hashtag', () => {
    const terms = extractTerms('fish &#38; chips at example.com/page#section');
    expect(terms.filter((t) => t.startsWith('#'))).toEqual([]);
    expect(terms.slice(0, 2)).toEqual(['fish', 'chips']);
  });
});

describe('termsForWatch', () => {
  it("leaves out the words the watch's query matched, but never hashtags", () => {
    const terms = extractTerms('Telvana Mobile down again #telvana #outage Telvana');
    expect(termsForWatch(terms, ['Télvana mobile'])).toEqual(['#telvana', '#outage']);
    expect(termsForWatch(terms, [])).toEqual(terms);
  });

  it('tells hashtags from words', () => {
    expect(termKind('#vodafail')).toBe('hashtag');
    expect(termKind('vodafail')).toBe('term');
  });
});
