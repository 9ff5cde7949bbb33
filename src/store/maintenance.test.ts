import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { StatsKeeper } from './maintenance.ts';
import type { Database } from './schema.ts';

/** A fake database handle that counts the statements executed through it. */
function countingDb() {
  const executed: string[] = [];
  const db = {
    getExecutor: () => ({
      transformQuery: (node: unknown) => node,
      compileQuery: (node: { sqlFragments?: string[] }) => ({
        sql: (node.sqlFragments ?? []).join('?'),
        parameters: [],
        query: node,
      }),
      executeQuery: async (q: { sql: string }) => {
        executed.push(q.sql);
        return { rows: [] };
      },
    }),
  } as unknown as Kysely<Database>;
  return { db, executed };
}

describe('StatsKeeper', () => {
  it('analyzes on a geometric schedule of rows written, then every maxGap rows', async () => {
    const { db, executed } = countingDb();
    const keeper = new StatsKeeper(db, 1_000, 8_000);
    const analyzedAt: number[] = [];
    let total = 0;
    for (let i = 0; i < 100; i++) {
      total += 500;
      const before = executed.length;
      await keeper.written(500);
      if (executed.length > before) analyzedAt.push(total);
    }
    expect(analyzedAt).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 24_000, 32_000, 40_000, 48_000]);
    expect(executed[0]).toContain('analyze mentions');
  });
});
