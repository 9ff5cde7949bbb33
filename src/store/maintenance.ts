import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Keeps planner statistics fresh while mentions pour in. Without any, the planner guesses and may
 * scan where an index probe is right. PostgreSQL's autovacuum analyzes eventually; PGlite has no
 * autovacuum, so this is its only ANALYZE. The schedule is geometric in the rows this process has
 * written (1k, 2k, 4k, ... then every `maxGapRows`), so its cost stays a small share of ingest.
 */
export class StatsKeeper {
  #written = 0;
  #nextAt: number;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    firstAtRows = 1_000,
    private readonly maxGapRows = 100_000,
  ) {
    this.#nextAt = firstAtRows;
  }

  /** Call after a batch is committed with how many rows it wrote. */
  async written(rows: number): Promise<void> {
    this.#written += rows;
    if (this.#written < this.#nextAt || this.#running) return;
    this.#nextAt = this.#written + Math.min(this.#written, this.maxGapRows);
    this.#running = sql`analyze mentions, mention_watches, rollups`
      .execute(this.db)
      .then(() => undefined)
      .finally(() => {
        this.#running = undefined;
      });
    await this.#running;
  }
}

const keepers = new WeakMap<Kysely<Database>, StatsKeeper>();

/** The one StatsKeeper of a database handle. */
export function statsKeeperFor(db: Kysely<Database>): StatsKeeper {
  let keeper = keepers.get(db);
  if (!keeper) {
    keeper = new StatsKeeper(db);
    keepers.set(db, keeper);
  }
  return keeper;
}
