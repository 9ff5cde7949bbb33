import { describe, expect, it } from 'vitest';
import { type MatchTarget, PreparedTarget, compileAst, compileQuery, prepareTarget } from './evaluate.ts';

/** Does `query` match a mention whose body is `text` (plus optional other fields)? */
function hits(query: string, text: string, extra: Partial<MatchTarget> = {}): boolean {
  return compileQuery(query).matches({ text, ...extra });
}

describe('terms', () => {
  it('match case-insensitively on word boundaries', () => {
    expect(hits('telvana', "Telvana's app is down")).toBe(true);
    expect(hits('telvana', 'TELVANA!')).toBe(true);
    expect(hits('telvana', '(telvana)')).toBe(true);
    expect(hits('telvana', 'telvana_help said')).toBe(true);
    expect(hits('telvana', 'telvanaland')).toBe(false);
    expect(hits('telvana', 'mytelvana')).toBe(false);
    expect(hits('telvana', 'telvana2')).toBe(false);
    expect(hits('TELVANA', 'I love telvana')).toBe(true);
  });

  it('are accent- and compatibility-insensitive both ways', () => {
    expect(hits('telvana', 'Télvàna rocks')).toBe(true);
    expect(hits('télvana', 'telvana rocks')).toBe(true);
    expect(hits('ｔｅｌｖａｎａ', 'telvana')).toBe(true);
    expect(hits('telvana', 'ＴＥＬＶＡＮＡ')).toBe(true);
    expect(hits('muller strasse', 'MÜLLER STRASSE')).toBe(true);
    expect(hits('straße', 'STRASSE')).toBe(true);
    expect(hits('łódź', 'lodz')).toBe(true);
    expect(hits('İstanbul', 'istanbul')).toBe(true);
    expect(hits('ΤΕΛΒΑΝΑΣ', 'τελβανας')).toBe(true);
    expect(hits('office', 'the ﬃce'.replace('ﬃ', 'oﬃ'))).toBe(true);
    // A soft hyphen or zero-width space inside a word does not split it.
    expect(hits('telvana', 'tel\u00advana')).toBe(true);
    expect(hits('telvana', 'tel\u200bvana')).toBe(true);
  });

  it('with inner punctuation match the words in order', () => {
    expect(hits('wi-fi', 'bad wi-fi today')).toBe(true);
    expect(hits('wi-fi', 'bad WI FI today')).toBe(true);
    expect(hits('wi-fi', 'bad wifi today')).toBe(false);
    expect(hits('telvana.com', 'visit Telvana.com now')).toBe(true);
  });

  it('keep symbols at their edges significant', () => {
    expect(hits('c++', 'I write C++ daily')).toBe(true);
    expect(hits('c++', 'I write c daily')).toBe(false);
    expect(hits('c#', 'C# is fine')).toBe(true);
    expect(hits('c#', 'C is fine')).toBe(false);
  });

  it('of CJK text match inside unspaced text', () => {
    expect(hits('東京', '私は東京に行きました')).toBe(true);
    expect(hits('東京', '大阪に行きました')).toBe(false);
    expect(hits('テルバナ', 'テルバナのアプリが落ちた')).toBe(true);
    expect(hits('텔바나', '텔바나는 최고')).toBe(true);
    // A Latin brand glued to Japanese text still counts, but not one glued to Latin letters.
    expect(hits('telvana', 'telvanaのサービス')).toBe(true);
    expect(hits('telvana', 'サービスtelvanaland')).toBe(false);
  });

  it('of emoji match literally, and emoji in text do not break word matching', () => {
    expect(hits('🔥', 'fire🔥🔥')).toBe(true);
    expect(hits('🔥', 'fire')).toBe(false);
    expect(hits('❤️', 'I ❤ telvana')).toBe(true);
    expect(hits('telvana', '🔥telvana🔥')).toBe(true);
    expect(hits('telvana', '👩‍👩‍👧 telvana 🇫🇷')).toBe(true);
  });

  it('survive lone surrogates in the text', () => {
    expect(hits('telvana', '\ud83d telvana \ude00')).toBe(true);
    expect(hits('telvana', '\ud83d\ud83d')).toBe(false);
  });
});

describe('prefixes', () => {
  it('match words starting with the prefix', () => {
    expect(hits('telva*', 'Telvana is down')).toBe(true);
    expect(hits('telva*', 'telva')).toBe(true);
    expect(hits('telva*', 'TELVANALAND')).toBe(true);
    expect(hits('telva*', 'mytelvana')).toBe(false);
    expect(hits('telva*', 'tel vana')).toBe(false);
  });

  it('apply to the last word of a compound', () => {
    expect(hits('wi-f*', 'wi-fight')).toBe(true);
    expect(hits('wi-f*', 'wifight')).toBe(false);
  });
});

describe('phrases', () => {
  it('match the words in sequence, ignoring whitespace and punctuation between them', () => {
    expect(hits('"customer service"', 'Their Customer Service is awful')).toBe(true);
    expect(hits('"customer service"', 'customer-service')).toBe(true);
    expect(hits('"customer service"', 'customer,\n  service')).toBe(true);
    expect(hits('"customer service"', 'service customer')).toBe(false);
    expect(hits('"customer service"', 'customer great service')).toBe(false);
    expect(hits('"customer service"', 'customerservice')).toBe(false);
    expect(hits('"customer service"', 'customer services')).toBe(false);
  });

  it('treat keywords and operators inside quotes as text', () => {
    expect(hits('"rock AND roll"', 'rock and roll')).toBe(true);
    expect(hits('"NOT telvana OR -beta"', 'not telvana or beta')).toBe(true);
  });

  it('keep punctuation at their very edges literal, like terms', () => {
    expect(hits('"(beta)"', 'telvana (beta)')).toBe(true);
    expect(hits('"(beta)"', 'telvana beta')).toBe(false);
    expect(hits('" telvana "', 'telvana')).toBe(true);
  });

  it('do not run from the title into the body', () => {
    expect(hits('"down today"', 'today', { title: 'Telvana down' })).toBe(false);
    expect(hits('"telvana down"', 'today', { title: 'Telvana down' })).toBe(true);
  });

  it('of CJK words match with or without spaces', () => {
    expect(hits('"東京 タワー"', '東京タワーに行った')).toBe(true);
  });
});

describe('hashtags', () => {
  it('match the hashtag case-insensitively', () => {
    expect(hits('#telvanafail', 'ugh #TelvanaFail again')).toBe(true);
    expect(hits('#telvanafail', '#telvanafail, again')).toBe(true);
    expect(hits('#telvanafail', '＃telvanafail')).toBe(true);
  });

  it('do not match the plain word, a longer hashtag or a fragment', () => {
    expect(hits('#telvanafail', 'telvanafail again')).toBe(false);
    expect(hits('#telvanafail', '#telvanafails')).toBe(false);
    expect(hits('#telvanafail', '#telvanafail_2')).toBe(false);
    expect(hits('#telvanafail', 'a#telvanafail')).toBe(false);
    expect(hits('#x', '&#x27;')).toBe(false);
  });

  it('leave plain terms matching hashtagged words', () => {
    expect(hits('telvanafail', 'ugh #telvanafail')).toBe(true);
  });
});

describe('handles', () => {
  it('match an @mention in the text', () => {
    expect(hits('@telvana', 'hey @Telvana, fix this')).toBe(true);
    expect(hits('@telvana', 'thanks @telvana.')).toBe(true);
    expect(hits('@telvana', '@telvana_help')).toBe(false);
    expect(hits('@telvana', '@telvana.bsky.social')).toBe(false);
    expect(hits('@telvana.bsky.social', 'cc @telvana.bsky.social!')).toBe(true);
    expect(hits('@telvana', 'mail support@telvana.com')).toBe(false);
    expect(hits('@telvana', 'telvana')).toBe(false);
  });

  it("match the author's handle, with or without @", () => {
    expect(hits('@telvana', 'no mention here', { authorHandle: 'Telvana' })).toBe(true);
    expect(hits('@telvana', 'no mention here', { authorHandle: '@TELVANA' })).toBe(true);
    expect(hits('@telvana', 'no mention here', { authorHandle: 'telvana_help' })).toBe(false);
    expect(hits('@telvana', 'no mention here', { authorHandle: null })).toBe(false);
  });
});

describe('filters', () => {
  it('lang: compares the primary language subtag', () => {
    expect(hits('lang:en', 'x', { language: 'en' })).toBe(true);
    expect(hits('lang:en', 'x', { language: 'EN-us' })).toBe(true);
    expect(hits('lang:en', 'x', { language: 'es' })).toBe(false);
    expect(hits('lang:en', 'x', { language: null })).toBe(false);
    expect(hits('lang:en', 'x')).toBe(false);
  });

  it('source: matches the source type or the source name, case-insensitively', () => {
    expect(hits('source:rss', 'x', { sourceType: 'RSS', sourceName: 'Telvana blog' })).toBe(true);
    expect(hits('source:"telvana blog"', 'x', { sourceType: 'rss', sourceName: 'Telvana  Blog' })).toBe(true);
    expect(hits('source:reddit', 'x', { sourceType: 'rss', sourceName: 'Telvana blog' })).toBe(false);
    expect(hits('source:telvana', 'x', { sourceType: 'rss', sourceName: 'Telvana blog' })).toBe(false);
  });

  it('combine like any operand', () => {
    const q = 'telvana (lang:en OR lang:es) -source:reddit';
    expect(hits(q, 'telvana', { language: 'es', sourceType: 'rss' })).toBe(true);
    expect(hits(q, 'telvana', { language: 'fr', sourceType: 'rss' })).toBe(false);
    expect(hits(q, 'telvana', { language: 'en', sourceType: 'reddit' })).toBe(false);
  });
});

describe('boolean operators', () => {
  it('AND needs both sides, OR either, NOT the opposite', () => {
    expect(hits('telvana AND outage', 'telvana outage')).toBe(true);
    expect(hits('telvana outage', 'telvana only')).toBe(false);
    expect(hits('telvana OR outage', 'outage only')).toBe(true);
    expect(hits('telvana OR outage', 'nothing')).toBe(false);
    expect(hits('NOT telvana', 'nothing')).toBe(true);
    expect(hits('-telvana', 'telvana')).toBe(false);
  });

  it('follows precedence NOT > AND > OR', () => {
    // a OR (b AND c)
    expect(hits('a OR b c', 'a')).toBe(true);
    expect(hits('a OR b c', 'b')).toBe(false);
    expect(hits('(a OR b) c', 'b')).toBe(false);
    expect(hits('(a OR b) c', 'b c')).toBe(true);
    // (NOT a) AND b
    expect(hits('NOT a b', 'b')).toBe(true);
    expect(hits('NOT a b', 'a b')).toBe(false);
    expect(hits('NOT (a b)', 'a')).toBe(true);
  });

  it('searches both title and text', () => {
    expect(hits('telvana outage', 'big outage', { title: 'Telvana' })).toBe(true);
    expect(hits('-telvana', 'nothing', { title: 'Telvana' })).toBe(false);
  });
});

describe('matchedTerms', () => {
  it('lists positive text leaves found, in query order, once each, in query syntax', () => {
    const q = compileQuery(
      'telvana OR telva* OR "customer service" OR #fail OR @telvana OR lang:en OR telvana',
    );
    expect(q.matchedTerms({ text: 'Telvana customer  service #fail', language: 'en' })).toEqual([
      'telvana',
      'telva*',
      '"customer service"',
      '#fail',
    ]);
    expect(q.matchedTerms({ text: 'x', authorHandle: 'telvana' })).toEqual(['@telvana']);
  });

  it('leaves out negated leaves but keeps doubly negated ones', () => {
    const q = compileQuery('telvana -outage -(-down)');
    expect(q.matchedTerms({ text: 'telvana outage down' })).toEqual(['telvana', 'down']);
  });

  it('returns nothing when no positive leaf occurs', () => {
    expect(compileQuery('telvana').matchedTerms({ text: 'nothing' })).toEqual([]);
  });
});

describe('compiled queries', () => {
  it('accept a prepared target and give the same answers', () => {
    const q = compileQuery('telvana -outage lang:en');
    const target = { text: 'Télvana works', language: 'en' };
    const prepared = prepareTarget(target);
    expect(prepared).toBeInstanceOf(PreparedTarget);
    expect(prepareTarget(prepared)).toBe(prepared);
    expect(q.matches(prepared)).toBe(true);
    expect(q.matches(target)).toBe(true);
    expect(q.matches(prepareTarget({ text: 'telvana outage', language: 'en' }))).toBe(false);
  });

  it('are reusable: the same compiled query gives stable answers across many calls', () => {
    const q = compileQuery('telvana OR "customer service"');
    for (let i = 0; i < 5; i++) {
      expect(q.matches({ text: 'customer service' })).toBe(true);
      expect(q.matches({ text: 'nothing' })).toBe(false);
    }
  });

  it('compile hand-built ASTs with nothing to match into leaves that never match', () => {
    const q = compileAst({
      type: 'or',
      children: [
        { type: 'term', value: '!!!' },
        { type: 'phrase', value: '' },
      ],
    });
    expect(q.matches({ text: '!!! anything' })).toBe(false);
  });

  it('evaluate thousands of mentions quickly', () => {
    const q = compileQuery(
      '(telvana OR telva* OR "customer service" OR #telvanafail) -careers -(job OR hiring)',
    );
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(20);
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < 5000; i++) if (q.matches({ text: `${text} ${i}` })) n++;
    expect(n).toBe(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
