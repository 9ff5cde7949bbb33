import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../core/mention.ts';
import { lexiconScorer } from '../score/sentiment.ts';
import { loadLanguageDetector } from './language.ts';
import { compileWatches } from './match.ts';
import { type IngestSource, prepareItems } from './pipeline.ts';

const source: IngestSource = { id: 's', workspaceId: 'w', type: 'rss', name: 'News', watchId: null };
const now = () => new Date('2026-02-01T00:00:00Z');
const rule = (id: string, query: string) => ({ id, query, exclusions: [], ownedHandles: [] });

describe('prepareItems', () => {
  beforeAll(() => loadLanguageDetector());

  it('normalizes, matches, tags language and scores; unmatched and empty items are counted, not kept', () => {
    const { matcher } = compileWatches([rule('brand', 'telvana')]);
    const items: SourceItem[] = [
      {
        externalId: '1',
        content: '<p>Telvana support was <b>great</b> &amp; fast, thank you so much for the help</p>',
        contentType: 'html',
        publishedAt: '2026-01-31T10:00:00Z',
      },
      {
        externalId: '2',
        content: 'Nothing about the brand here at all, just weather talk',
        contentType: 'text',
      },
      { externalId: '3', content: '   ', contentType: 'text' },
    ];
    const { writes, stats } = prepareItems(source, items, { matcher, scorer: lexiconScorer, now });
    expect(stats).toMatchObject({ received: 3, unmatched: 1, empty: 1 });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      externalId: '1',
      text: 'Telvana support was great & fast, thank you so much for the help',
      language: 'en',
      sentimentLabel: 'positive',
      matches: [{ watchId: 'brand', owned: false, terms: ['telvana'] }],
    });
  });

  it('detects the language before matching when a query filters on lang:', () => {
    const { matcher } = compileWatches([rule('es', 'telvana lang:es'), rule('any', 'telvana')]);
    const items: SourceItem[] = [
      {
        externalId: 'es',
        content: 'Telvana no funciona desde ayer y nadie responde a mis llamadas',
        contentType: 'text',
      },
      {
        externalId: 'en',
        content: 'Telvana has not worked since yesterday and nobody answers my calls',
        contentType: 'text',
      },
    ];
    const { writes } = prepareItems(source, items, { matcher, scorer: lexiconScorer, now });
    const byId = Object.fromEntries(
      writes.map((w) => [w.externalId, w.matches.map((m) => m.watchId).sort()]),
    );
    expect(byId).toEqual({ es: ['any', 'es'], en: ['any'] });
    expect(writes.find((w) => w.externalId === 'es')?.language).toBe('es');
  });

  it('gives a source dedicated to a watch every item, even without the brand name', () => {
    const { matcher } = compileWatches([rule('brand', 'telvana')]);
    const dedicated = { ...source, watchId: 'brand' };
    const { writes } = prepareItems(
      dedicated,
      [{ externalId: 'r1', content: 'The app crashes every time I open it', contentType: 'text', rating: 1 }],
      { matcher, scorer: lexiconScorer, now },
    );
    expect(writes.map((w) => [w.externalId, w.rating, w.ratingScale])).toEqual([['r1', 1, 5]]);
  });
});
