import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import type { Store } from '../../src/store/connect.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { ingest, makeSource, post } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

/** A deterministic shuffle (mulberry32), so each source sends the same hours in its own order. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Several workers ingest sources that match the same watch at once: their batches update the same
// rollup and term rows, and must neither deadlock nor lose a count. (Texts differ: equal texts would be
// deduplicated and not counted.)
describe.each(storeTargets())('concurrent ingest into one watch [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let watchId: string;
  const SOURCES = 4;
  const HOURS = 60;
  const PER_SOURCE = 240;

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'concurrent')).id;
    watchId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 'test')).id;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('neither deadlocks nor loses a count when batches share rollup buckets', async () => {
    const sources = await Promise.all(
      Array.from({ length: SOURCES }, (_, i) => makeSource(store.db, workspaceId, `feed ${i}`)),
    );
    const start = Date.parse('2026-10-01T00:00:00Z');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        sources.map((s, i) => {
          const items: SourceItem[] = Array.from({ length: PER_SOURCE }, (_, k) =>
            post(
              `r${round}-s${i}-${k}`,
              `Telvana ${k % 2 ? 'support was slow again' : 'fixed it fast, thanks'} on ticket ${round}-${i}-${k} #telvana${k % 5}`,
              new Date(start + (k % HOURS) * 3_600_000 + i * 1000).toISOString(),
            ),
          );
          return ingest(store.db, s, shuffled(items, round * 10 + i + 1), { batchSize: 60 });
        }),
      );
      const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
      expect(failed).toEqual([]);
    }
    const { rows } = await sql<{ rolled: number; linked: number }>`
      select (select coalesce(sum(mentions), 0)::int from rollups where watch_id = ${watchId}) as rolled,
             (select count(*)::int from mention_watches where watch_id = ${watchId}) as linked
    `.execute(store.db);
    expect(rows[0]).toEqual({ rolled: SOURCES * PER_SOURCE * 3, linked: SOURCES * PER_SOURCE * 3 });
  }, 180_000);
});
