import { describe, expect, it } from 'vitest';
import { QueryParseError } from '../core/query/index.ts';
import { type WatchRule, compileWatches } from './match.ts';

const brand: WatchRule = {
  id: 'w-brand',
  query: 'telvana OR #telvanafail',
  exclusions: ['careers OR hiring', 'source:jobs'],
  ownedHandles: ['@Telvana', 'telvana_help'],
};
const competitor: WatchRule = { id: 'w-comp', query: 'rivalco', exclusions: [], ownedHandles: [] };

describe('compileWatches', () => {
  const { matcher, errors } = compileWatches([brand, competitor]);

  it('compiles valid watches without errors', () => {
    expect(errors).toEqual([]);
  });

  it('returns every watch whose query matches, with the terms found', () => {
    expect(matcher.match({ text: 'Telvana vs RivalCo: #telvanafail' })).toEqual([
      { watchId: 'w-brand', owned: false, terms: ['telvana', '#telvanafail'] },
      { watchId: 'w-comp', owned: false, terms: ['rivalco'] },
    ]);
    expect(matcher.match({ text: 'nothing to see' })).toEqual([]);
  });

  it('drops a watch when any of its exclusions matches', () => {
    expect(matcher.match({ text: 'Telvana is hiring' })).toEqual([]);
    expect(matcher.match({ text: 'Telvana news', sourceType: 'rss', sourceName: 'Jobs' })).toEqual([]);
    // Exclusions are per watch: the competitor still matches.
    expect(matcher.match({ text: 'telvana and rivalco careers' }).map((m) => m.watchId)).toEqual(['w-comp']);
  });

  it('marks mentions by an owned handle, case-insensitively and with or without @', () => {
    expect(matcher.match({ text: 'Telvana update', authorHandle: 'TELVANA' })[0]?.owned).toBe(true);
    expect(matcher.match({ text: 'Telvana update', authorHandle: '@telvana_help' })[0]?.owned).toBe(true);
    expect(matcher.match({ text: 'Telvana update', authorHandle: 'telvana_fan' })[0]?.owned).toBe(false);
    expect(matcher.match({ text: 'Telvana update', authorHandle: null })[0]?.owned).toBe(false);
  });

  it('matchOne does not require the query, but applies exclusions', () => {
    expect(
      matcher.matchOne('w-brand', { text: 'a review without the name', authorHandle: 'telvana' }),
    ).toEqual({
      watchId: 'w-brand',
      owned: true,
      terms: [],
    });
    expect(matcher.matchOne('w-brand', { text: 'love telvana' })).toEqual({
      watchId: 'w-brand',
      owned: false,
      terms: ['telvana'],
    });
    expect(matcher.matchOne('w-brand', { text: 'we are hiring' })).toBeNull();
  });

  it('matchOne returns null for an unknown watch', () => {
    expect(matcher.matchOne('nope', { text: 'telvana' })).toBeNull();
  });
});

describe('compileWatches with broken queries', () => {
  const broken: WatchRule = { id: 'w-broken', query: 'telvana AND', exclusions: [], ownedHandles: [] };
  const badExclusion: WatchRule = {
    id: 'w-excl',
    query: 'rivalco',
    exclusions: ['', '  ', '"unclosed', 'careers'],
    ownedHandles: [],
  };

  it('reports the errors instead of throwing, naming the watch and the field', () => {
    const { errors } = compileWatches([broken, badExclusion, competitor]);
    expect(errors.map((e) => ({ watchId: e.watchId, field: e.field, message: e.error.message }))).toEqual([
      { watchId: 'w-broken', field: 'query', message: 'Expected a term after "AND" at position 11' },
      { watchId: 'w-excl', field: 'exclusions[2]', message: 'Unclosed quote starting at position 0' },
    ]);
    expect(errors[0]?.error).toBeInstanceOf(QueryParseError);
  });

  it('keeps matching with the other watches and the remaining exclusions', () => {
    const { matcher } = compileWatches([broken, badExclusion, competitor]);
    expect(matcher.match({ text: 'telvana rivalco' }).map((m) => m.watchId)).toEqual(['w-excl', 'w-comp']);
    expect(matcher.match({ text: 'rivalco careers' }).map((m) => m.watchId)).toEqual(['w-comp']);
  });

  it('still serves a dedicated source of a watch whose query is broken', () => {
    const { matcher } = compileWatches([broken]);
    expect(matcher.matchOne('w-broken', { text: 'anything' })).toEqual({
      watchId: 'w-broken',
      owned: false,
      terms: [],
    });
  });
});

describe('compileWatches at scale', () => {
  it('matches a mention against many watches quickly', () => {
    const watches: WatchRule[] = Array.from({ length: 200 }, (_, i) => ({
      id: `w${i}`,
      query: `brand${i} OR "brand ${i} support" OR #brand${i}fail`,
      exclusions: [`brand${i} careers`],
      ownedHandles: [`brand${i}`],
    }));
    const { matcher, errors } = compileWatches(watches);
    expect(errors).toEqual([]);
    const text = `${'Some long text about nothing in particular. '.repeat(30)} brand7 is down`;
    const start = performance.now();
    for (let i = 0; i < 200; i++) expect(matcher.match({ text }).map((m) => m.watchId)).toEqual(['w7']);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe('usesLanguage', () => {
  it('is true only when some query or exclusion filters on lang:', () => {
    const rule = (id: string, query: string, exclusions: string[] = []) => ({
      id,
      query,
      exclusions,
      ownedHandles: [],
    });
    expect(
      compileWatches([rule('a', 'telvana'), rule('b', 'brightwave -source:rss')]).matcher.usesLanguage,
    ).toBe(false);
    expect(
      compileWatches([rule('a', 'telvana'), rule('b', 'brightwave (lang:en OR lang:es)')]).matcher
        .usesLanguage,
    ).toBe(true);
    expect(compileWatches([rule('a', 'telvana', ['-lang:de'])]).matcher.usesLanguage).toBe(true);
  });
});
