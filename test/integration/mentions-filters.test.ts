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
  externalId: string;
  sentiment: { score: number; label: string };
  signals: { kind: string }[];
}

describe.each(storeTargets())('mentions API filters [$name]', (target) => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let watchId: string;
  let lexWatchId: string;

  const list = async (query: string): Promise<Item[]> => {
    const res = await app.request(`/api/v1/mentions?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()).items;
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
      post('love', 'I love Telvana, the best network ever!', '2026-03-01T10:00:00Z'),
      post('churn', 'Cancelling my Telvana contract and switching to Vodafone', '2026-03-01T11:00:00Z'),
      post('slow', 'Still waiting for a reply from Telvana support after 3 days', '2026-03-01T12:00:00Z'),
      post('fraud', 'Telvana charged me twice this month, this is a scam', '2026-03-01T13:00:00Z'),
      post('plain', 'Telvana opens a shop on Main Street', '2026-03-01T14:00:00Z'),
      post('sick', 'the new Telvana phone is sick', '2026-03-01T15:00:00Z'),
    ]);
    app = createApp({ db: store.db, log: silentLogger(), storage: target.name, maxBodyBytes: 4096 });
  });
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
    expect(all).toHaveLength(6);
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
});
