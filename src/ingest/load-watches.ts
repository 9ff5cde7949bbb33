import type { Kysely } from 'kysely';
import type { Logger } from '../core/source.ts';
import { listWatches } from '../store/repositories/watches.ts';
import type { Database } from '../store/schema.ts';
import { type WatchMatcher, compileWatches } from './match.ts';

/** Compiles the workspace's watches into a matcher. A watch with a broken query is logged and skipped. */
export async function loadWatchMatcher(
  db: Kysely<Database>,
  workspaceId: string,
  log: Logger,
): Promise<WatchMatcher> {
  const watches = await listWatches(db, workspaceId);
  const { matcher, errors } = compileWatches(
    watches.map((w) => ({
      id: w.id,
      query: w.query,
      exclusions: w.exclusions,
      ownedHandles: w.ownedHandles,
      lexicon: w.lexicon,
    })),
  );
  for (const e of errors)
    log.warn({ watchId: e.watchId, err: String(e.error) }, 'watch query does not compile');
  return matcher;
}
