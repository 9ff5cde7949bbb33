import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Store } from '../../src/store/connect.ts';
import { createToken } from '../../src/store/repositories/tokens.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

interface Item {
  id: number;
  externalId: string;
  publishedAt: string;
  language: string | null;
  sentiment: { score: number; label: string };
  signals: { kind: string }[];
}

describe.each(storeTargets())('mentions API filters [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let watchId: string;
  let lexWatchId: string;

  const page = async (query: string): Promise<{ items: Item[]; nextCursor: string | null }> => {
    const res = await app.request(`/api/v1/mentions?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, query).toBe(200);
    return res.json();
  };
  const list = async (query: string): Promise<Item[]> => (await page(query)).items;
  /** Every page of a query, following nextCursor. */
  const walk = async (query: string, limit: number): Promise<Item[]> => {
    const all: Item[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 50; n++) {
      const p = await page(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...p.items);
      cursor = p.nextCursor;
      if (!cursor) return all;
    }
    throw new Error('pagination did not end');
  };
  const ids = async (query: string) => (await list(query)).map((i) => i.externalId).sort();
  const problem = async (query: string) => {
    const res = await app.request(`/api/v1/mentions?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    return (await res.json()) as { errors: { path: string; message: string }[] };
  };

  beforeAll(async () => {
    store = await target.open();
    const ws = await ensureWorkspace(store.db, 'filters');
    token = (await createToken(store.db, ws.id, { name: 'viewer', role: 'viewer' }, 'test')).token;
    watchId = (await createWatch(store.db, ws.id, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    lexWatchId = (
      await createWatch(store.db, ws.id, { name: 'Lex', query: 'telvana', lexicon: { sick: 4 } }, 'test')
    ).id;
    const source = await makeSource(store.db, ws.id, 'feed');
    await ingest(store.db, { id: source.id, workspaceId: ws.id, type: 'rss', name: 'feed', watchId: null }, [
      post('love', 'I love Telvana, the best network ever!', '2026-03-01T10:00:00Z', {
        title: 'Best 100% coverage',
        language: 'en',
        rating: 5,
        author: { name: 'Ana Lima', handle: 'ana_l' },
      }),
      post('churn', 'Cancelling my Telvana contract and switching to Vodafone', '2026-03-01T11:00:00Z', {
        language: 'en',
        rating: 2,
        ratingScale: 10,
        author: { name: 'Bob K', handle: 'BobK' },
      }),
      post('slow', 'Still waiting for a reply from Telvana support after 3 days', '2026-03-01T12:00:00Z', {
        language: 'en',
        rating: 8,
        ratingScale: 10,
      }),
      post('fraud', 'Telvana charged me twice this month, this is a scam', '2026-03-01T13:00:00Z'),
      post('plain', 'Telvana opens a shop on Main Street', '2026-03-01T14:00:00Z', { language: 'de' }),
      post('sick', 'the new Telvana phone is sick', '2026-03-01T15:00:00Z'),
      // Too short to tell its language: stored with none.
      post('tiny', 'Telvana 50_50', '2026-03-01T16:00:00Z'),
    ]);
    app = createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 4096 });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('filters by one signal, a comma list and repeated parameters (any of them)', async () => {
    const churn = await list('signal=churn_intent');
    expect(churn.map((i) => i.externalId)).toEqual(['churn']);
    expect(churn[0]?.signals.map((s) => s.kind)).toContain('churn_intent');
    expect(await ids('signal=churn_intent,slow_response')).toEqual(['churn', 'slow']);
    expect(await ids('signal=churn_intent&signal=security_fraud')).toEqual(['churn', 'fraud']);
    expect(await ids(`signal=praise&watch=${watchId}`)).toEqual(['love']);
  });

  it('filters by label (one or several) and by score bounds', async () => {
    const all = await list('limit=100');
    expect(all).toHaveLength(7);
    const positive = await list('label=positive');
    expect(positive.length).toBeGreaterThan(0);
    expect(positive.every((i) => i.sentiment.label === 'positive')).toBe(true);
    const notNeutral = await list('label=positive,negative');
    expect(notNeutral.every((i) => i.sentiment.label !== 'neutral')).toBe(true);
    expect(notNeutral.length).toBe(all.filter((i) => i.sentiment.label !== 'neutral').length);
    const low = await list('sentimentMax=-0.2');
    expect(low.length).toBeGreaterThan(0);
    expect(low.length).toBe(all.filter((i) => i.sentiment.score <= -0.2).length);
    const band = await list('sentimentMin=-0.05&sentimentMax=0.05');
    expect(band.map((i) => i.externalId)).toContain('plain');
    expect(band.every((i) => Math.abs(i.sentiment.score) <= 0.05)).toBe(true);
    // Filters combine with AND.
    expect(await ids('signal=churn_intent&label=positive')).toEqual([]);
  });

  it("listed for a watch, filters and shows that watch's own score", async () => {
    expect(await ids(`watch=${watchId}&label=positive`)).not.toContain('sick');
    const lex = await list(`watch=${lexWatchId}&label=positive`);
    expect(lex.map((i) => i.externalId)).toContain('sick');
    expect(lex.find((i) => i.externalId === 'sick')?.sentiment.label).toBe('positive');
    expect(await ids(`watch=${lexWatchId}&sentimentMin=0.3`)).toContain('sick');
  });

  it('answers 400 naming the parameter for an unknown signal, label or bad bounds', async () => {
    expect((await problem('signal=churn_intent,bogus')).errors[0]?.path).toMatch(/^signal/);
    expect((await problem('label=happy')).errors[0]?.path).toMatch(/^label/);
    expect((await problem('sentimentMin=2')).errors[0]?.path).toBe('sentimentMin');
    expect((await problem('sentimentMin=abc')).errors[0]?.path).toBe('sentimentMin');
    expect((await problem('sentimentMin=0.5&sentimentMax=0.1')).errors[0]?.path).toBe('sentimentMin');
    // Values go to the database as parameters, never as SQL.
    expect((await problem("signal=praise'--")).errors[0]?.path).toMatch(/^signal/);
  });

  it('filters by language (comma list; und = unknown)', async () => {
    const all = await list('limit=100');
    expect(await ids('language=de')).toEqual(['plain']);
    const en = await list('language=en');
    expect(en.map((i) => i.externalId)).toEqual(expect.arrayContaining(['love', 'churn', 'slow']));
    expect(en.every((i) => i.language === 'en')).toBe(true);
    expect(en.length).toBe(all.filter((i) => i.language === 'en').length);
    expect(await ids('language=EN,de')).toEqual(
      all
        .filter((i) => i.language === 'en' || i.language === 'de')
        .map((i) => i.externalId)
        .sort(),
    );
    const unknown = await ids('language=und');
    expect(unknown).toContain('tiny');
    expect(unknown).toEqual(
      all
        .filter((i) => i.language === null)
        .map((i) => i.externalId)
        .sort(),
    );
    expect(await ids('language=de&language=und')).toEqual(['plain', ...unknown].sort());
  });

  it('filters by rating as stars out of 5 (8/10 is 4); unrated mentions drop out', async () => {
    expect(await ids('ratingMin=0')).toEqual(['churn', 'love', 'slow']);
    expect(await ids('ratingMin=4')).toEqual(['love', 'slow']);
    expect(await ids('ratingMin=4.5')).toEqual(['love']);
    expect(await ids('ratingMax=1')).toEqual(['churn']);
    expect(await ids('ratingMin=1&ratingMax=4')).toEqual(['churn', 'slow']);
  });

  it('searches words in title and text, case-insensitive, with % and _ as plain characters', async () => {
    expect(await ids('q=NETWORK')).toEqual(['love']);
    // In the title only.
    expect(await ids('q=coverage')).toEqual(['love']);
    // Every word must appear, in any order.
    expect(await ids('q=vodafone%20telvana')).toEqual(['churn']);
    expect(await ids('q=vodafone%20scam')).toEqual([]);
    // Wildcards of LIKE match only themselves.
    expect(await ids('q=100%25')).toEqual(['love']);
    expect(await ids('q=%25')).toEqual(['love']);
    expect(await ids('q=_')).toEqual(['tiny']);
    expect(await ids('q=50_50')).toEqual(['tiny']);
    expect(await ids('q=50x50')).toEqual([]);
    expect(await ids('q=%27%20OR%201%3D1%20--')).toEqual([]);
  });

  it('filters by author handle (with or without @) or name, case-insensitive and whole', async () => {
    expect(await ids('author=ana_l')).toEqual(['love']);
    expect(await ids('author=%40ANA_L')).toEqual(['love']);
    expect(await ids('author=ana%20lima')).toEqual(['love']);
    expect(await ids('author=bobk')).toEqual(['churn']);
    expect(await ids('author=ana')).toEqual([]);
  });

  it('sorts newest (default), oldest or most negative first, and pages each order stably', async () => {
    const newest = await list('limit=100');
    const times = newest.map((i) => i.publishedAt);
    expect(times).toEqual([...times].sort().reverse());
    const oldest = await list('sort=oldest&limit=100');
    expect(oldest.map((i) => i.id)).toEqual(newest.map((i) => i.id).reverse());
    const negative = await list('sort=most_negative&limit=100');
    const scores = negative.map((i) => i.sentiment.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0]).toBeLessThan(scores[scores.length - 1] ?? 0);
    for (const [sort, full] of [
      ['newest', newest],
      ['oldest', oldest],
      ['most_negative', negative],
    ] as const) {
      for (const limit of [1, 2, 3]) {
        const paged = await walk(`sort=${sort}`, limit);
        expect(
          paged.map((i) => i.id),
          `${sort} by ${limit}`,
        ).toEqual(full.map((i) => i.id));
      }
    }
    // For a watch (its own scores and the link rows' order) too.
    const forWatch = await list(`watch=${lexWatchId}&sort=most_negative&limit=100`);
    expect((await walk(`watch=${lexWatchId}&sort=most_negative`, 2)).map((i) => i.id)).toEqual(
      forWatch.map((i) => i.id),
    );
    expect((await walk(`watch=${watchId}&sort=oldest`, 2)).map((i) => i.externalId)).toEqual(
      (await list(`watch=${watchId}&sort=oldest&limit=100`)).map((i) => i.externalId),
    );
  });

  it('refuses a cursor of another sort, a forged cursor and bad new filters with a 400 naming the field', async () => {
    const first = await page('limit=2');
    expect(first.nextCursor).toBeTruthy();
    const cross = await problem(`sort=oldest&limit=2&cursor=${first.nextCursor}`);
    expect(cross.errors[0]?.path).toBe('cursor');
    expect(cross.errors[0]?.message).toMatch(/sort=newest/);
    const neg = await page('sort=most_negative&limit=2');
    expect((await problem(`limit=2&cursor=${neg.nextCursor}`)).errors[0]?.path).toBe('cursor');
    // A score float4 cannot hold, forged into a cursor.
    const forged = Buffer.from(JSON.stringify(['most_negative', 5e-324, 1])).toString('base64url');
    expect((await problem(`sort=most_negative&cursor=${forged}`)).errors[0]?.path).toBe('cursor');
    expect((await problem('cursor=bm90IGpzb24')).errors[0]?.path).toBe('cursor');
    expect((await problem('sort=loudest')).errors[0]?.path).toBe('sort');
    expect((await problem('language=english')).errors[0]?.path).toMatch(/^language/);
    expect((await problem('ratingMin=6')).errors[0]?.path).toBe('ratingMin');
    expect((await problem('ratingMin=4&ratingMax=2')).errors[0]?.path).toBe('ratingMin');
    expect((await problem('q=%00')).errors[0]?.path).toBe('q');
    expect((await problem(`q=${'x'.repeat(201)}`)).errors[0]?.path).toBe('q');
    expect((await problem('author=%20')).errors[0]?.path).toBe('author');
  });
});
