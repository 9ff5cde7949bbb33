import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/source.ts';
import { createHttpScorer, scorerFromConfig } from '../../src/score/http-scorer.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import type { Store } from '../../src/store/connect.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

type Mode = 'ok' | 'error' | 'hang' | 'short' | 'garbage';

/** A fake model on 127.0.0.1: "+0.9 if the text says banana, else -0.7", or a chosen failure. */
function fakeModel() {
  const state = {
    mode: 'ok' as Mode,
    requests: 0,
    auth: [] as (string | undefined)[],
    bodies: [] as { items: { text: string; language: string | null }[] }[],
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      state.requests++;
      state.auth.push(req.headers.authorization);
      const body = JSON.parse(raw) as { items: { text: string; language: string | null }[] };
      state.bodies.push(body);
      if (state.mode === 'hang') return; // never answers: the client's timeout must cut it
      if (state.mode === 'error') {
        res.writeHead(500).end('model crashed');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (state.mode === 'garbage') {
        res.end('{"scores": "lots"}');
        return;
      }
      const scores = body.items.map((it) =>
        /banana/i.test(it.text) ? { score: 0.9, label: 'positive' } : -0.7,
      );
      res.end(JSON.stringify({ scores: state.mode === 'short' ? scores.slice(1) : scores }));
    });
  });
  return { server, state };
}

function recordingLogger() {
  const lines: { level: string; obj: unknown; msg?: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

describe.each(storeTargets())('HTTP sentiment scorer [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let url: string;
  const model = fakeModel();
  let n = 0;

  const stored = (prefix: string) =>
    store.db
      .selectFrom('mentions')
      .select(['external_id', 'sentiment_score', 'sentiment_label'])
      .where('external_id', 'like', `${prefix}%`)
      .orderBy('external_id')
      .execute();

  async function run(prefix: string, texts: string[], scorer: ReturnType<typeof createHttpScorer>) {
    const source = await makeSource(store.db, workspaceId, `feed-${++n}`);
    const src = { id: source.id, workspaceId, type: 'rss', name: source.name, watchId: null };
    const items = texts.map((t, i) => post(`${prefix}${i}`, t, `2026-03-01T1${i}:00:00Z`));
    return ingest(store.db, src, items, { batchSize: 2, scorer });
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => model.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(model.server.address() as AddressInfo).port}/score?key=sekrit`;
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'scorer')).id;
    await createWatch(store.db, workspaceId, { name: 'Fruit', query: 'fruitco' }, 'test');
  });
  afterAll(async () => {
    await store?.close();
    model.server.closeAllConnections();
    await new Promise((resolve) => model.server.close(resolve));
  });
  beforeEach(() => {
    model.state.mode = 'ok';
    model.state.requests = 0;
    model.state.auth = [];
    model.state.bodies = [];
  });

  it("stores the endpoint's scores, in batches, with the bearer token; links carry them too", async () => {
    const { log, lines } = recordingLogger();
    const scorer = createHttpScorer({ url, timeoutMs: 2000, token: 'tok-123', log });
    const texts = ['fruitco banana is awful', 'fruitco apple is great', 'fruitco banana pie', 'fruitco ok'];
    const stats = await run('ok', texts, scorer);
    expect(stats.inserted).toBe(4);
    expect(model.state.requests).toBe(2);
    expect(model.state.auth).toEqual(['Bearer tok-123', 'Bearer tok-123']);
    expect(model.state.bodies[0]?.items[0]).toMatchObject({ text: 'fruitco banana is awful' });
    const rows = await stored('ok');
    // The model, not the lexicon: "awful" scores +0.9 because it mentions banana; "great" -0.7.
    expect(rows.map((r) => [r.sentiment_score, r.sentiment_label])).toEqual([
      [0.9, 'positive'],
      [-0.7, 'negative'],
      [0.9, 'positive'],
      [-0.7, 'negative'],
    ]);
    const links = await store.db
      .selectFrom('mention_watches as mw')
      .innerJoin('mentions as m', 'm.id', 'mw.mention_id')
      .select(['mw.sentiment_score'])
      .where('m.external_id', 'like', 'ok%')
      .orderBy('m.external_id')
      .execute();
    expect(links.map((l) => l.sentiment_score)).toEqual([0.9, -0.7, 0.9, -0.7]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  for (const mode of ['error', 'hang', 'short', 'garbage'] as const) {
    it(`on ${mode}: keeps every item with its lexicon score and warns once, without the secret`, async () => {
      model.state.mode = mode;
      const { log, lines } = recordingLogger();
      const scorer = createHttpScorer({ url, timeoutMs: 300, token: 'tok-123', log });
      const texts = [
        'fruitco banana is awful',
        'fruitco is great',
        'fruitco meh',
        'fruitco love it',
        'fruitco',
      ];
      const stats = await run(mode, texts, scorer);
      expect(stats.inserted).toBe(5);
      expect(model.state.requests).toBe(3);
      const rows = await stored(mode);
      expect(rows).toHaveLength(5);
      for (const [i, row] of rows.entries()) {
        const expected = lexiconScorer.score(texts[i] as string, 'en');
        expect(row.sentiment_score).toBeCloseTo(expected.score, 5);
        expect(row.sentiment_label).toBe(expected.label);
      }
      const warns = lines.filter((l) => l.level === 'warn');
      expect(warns).toHaveLength(1);
      const logged = JSON.stringify(lines);
      expect(logged).not.toContain('sekrit');
      expect(logged).not.toContain('tok-123');
      expect(logged).toContain('127.0.0.1');
      if (mode === 'hang') expect(logged).toContain('300 ms');
    });
  }

  it('logs recovery once when the endpoint answers again', async () => {
    const { log, lines } = recordingLogger();
    const scorer = createHttpScorer({ url, timeoutMs: 1000, log });
    model.state.mode = 'error';
    await run('rec-a', ['fruitco banana', 'fruitco x'], scorer);
    model.state.mode = 'ok';
    await run('rec-b', ['fruitco banana', 'fruitco x'], scorer);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect((await stored('rec-b')).map((r) => r.sentiment_score)).toEqual([0.9, -0.7]);
  });

  it('is only used when TRUSTWATCH_SCORER_URL is set', () => {
    const { log } = recordingLogger();
    expect(scorerFromConfig({ TRUSTWATCH_SCORER_TIMEOUT_MS: 5000 }, log)).toBe(lexiconScorer);
    const http = scorerFromConfig({ TRUSTWATCH_SCORER_URL: url, TRUSTWATCH_SCORER_TIMEOUT_MS: 5000 }, log);
    expect(http.id).toBe(`http(${url.replace('?key=sekrit', '')})`);
    expect(typeof http.scoreBatch).toBe('function');
  });
});
