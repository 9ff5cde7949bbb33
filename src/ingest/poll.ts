import type { Kysely } from 'kysely';
import { getAdapter, parseSourceConfig } from '../../sources/index.ts';
import { FetchError, describeError } from '../core/errors.ts';
import type { HttpClient, Logger } from '../core/source.ts';
import type { SentimentScorer } from '../score/sentiment.ts';
import {
  LeaseLostError,
  assertLease,
  isLeaseLost,
  saveCursorAsOwner,
} from '../store/repositories/source-leases.ts';
import {
  type SourceRecord,
  recordPollFailure,
  recordPollSuccess,
  saveCursor,
} from '../store/repositories/sources.ts';
import type { Database } from '../store/schema.ts';
import { loadWatchMatcher } from './load-watches.ts';
import { type IngestStats, addStats, emptyStats, ingestItems } from './pipeline.ts';

/**
 * Polls one source: fetch pages from its adapter, ingest each page, save the cursor after each page
 * (so a crash resumes after the last stored page), then record success or the error on the source.
 */

export interface PollDeps {
  db: Kysely<Database>;
  http: HttpClient;
  scorer: SentimentScorer;
  log: Logger;
  batchSize: number;
  now: () => Date;
  /** Pages fetched in one poll before yielding to other sources (backfills continue next poll). */
  maxPages?: number;
  /** Randomness for jitter, injectable for tests. */
  random?: () => number;
  /** Aborted on shutdown: the poll stops between pages (every stored page's cursor is already saved). */
  signal?: AbortSignal;
  /**
   * The worker holding this source's lease (src/ingest/scheduler.ts). Cursor saves and the final
   * record only happen while it still holds it: a poll whose lease was taken over stops and writes
   * nothing more, so it never moves the new owner's cursor back.
   */
  leaseOwner?: string;
}

export interface PollProgress {
  page: number;
  stats: IngestStats;
  cursor: unknown;
  warnings: string[];
}

export interface PollOutcome {
  ok: boolean;
  stats: IngestStats;
  pages: number;
  warnings: string[];
  error?: { code: string; message: string };
  nextPollAt: Date;
}

/** How long a push-only source stays out of the due list after the scheduler meets it. */
export const PUSH_SOURCE_RECHECK_MS = 365 * 86_400_000;

/** Longest wait after repeated failures. */
export const MAX_BACKOFF_MS = 6 * 3_600_000;

/** Next poll after a success: the interval with ±10 % jitter so sources do not poll in lockstep. */
export function nextPollAfterSuccess(now: Date, intervalSeconds: number, random: () => number): Date {
  const jitter = 1 + (random() * 2 - 1) * 0.1;
  return new Date(now.getTime() + intervalSeconds * 1000 * jitter);
}

/**
 * Next poll after the n-th consecutive failure: exponential backoff from the interval (capped), or
 * later if the upstream asked for it with Retry-After.
 */
export function nextPollAfterFailure(
  now: Date,
  intervalSeconds: number,
  failures: number,
  random: () => number,
  retryAfterMs?: number,
): Date {
  const base = Math.min(intervalSeconds * 1000 * 2 ** Math.min(failures - 1, 10), MAX_BACKOFF_MS);
  const withJitter = base * (0.5 + random() * 0.5);
  const wait = Math.max(withJitter, retryAfterMs ?? 0, 1000);
  return new Date(now.getTime() + wait);
}

export async function pollSource(
  deps: PollDeps,
  source: SourceRecord,
  onProgress?: (p: PollProgress) => void,
): Promise<PollOutcome> {
  const random = deps.random ?? Math.random;
  const startedAt = deps.now();
  const log = deps.log;
  let stats = emptyStats();
  const warnings: string[] = [];
  let pages = 0;
  try {
    const adapter = getAdapter(source.type);
    if (adapter.push) {
      // Push-only (webhook): nothing to fetch. Move it out of the due list so the scheduler stops
      // picking it up; its health is recorded by each push instead.
      const nextPollAt = new Date(startedAt.getTime() + PUSH_SOURCE_RECHECK_MS);
      await deps.db
        .updateTable('sources')
        .set({ next_poll_at: nextPollAt })
        .where('id', '=', source.id)
        .execute();
      log.debug({ sourceId: source.id, source: source.name }, 'push source: nothing to poll');
      return { ok: true, stats, pages: 0, warnings, nextPollAt };
    }
    const config = parseSourceConfig(source.type, source.config);
    const matcher = await loadWatchMatcher(deps.db, source.workspaceId, log);
    let cursor: unknown = source.cursor ?? null;
    const maxPages = deps.maxPages ?? 1000;
    const ingestDeps = { ...deps, matcher };
    // Whether the adapter still had pages when we stopped (page limit or shutdown).
    let more = true;
    while (more && pages < maxPages && !deps.signal?.aborted) {
      const result = await adapter.fetch(config, cursor, {
        http: deps.http,
        log,
        now: deps.now,
        signal: deps.signal,
      });
      pages++;
      const pageStats = await ingestItems(ingestDeps, source, result.items);
      stats = addStats(stats, pageStats);
      const pageWarnings = (result as { warnings?: string[] }).warnings ?? [];
      warnings.push(...pageWarnings.slice(0, 100 - warnings.length));
      cursor = result.nextCursor;
      if (deps.leaseOwner === undefined) await saveCursor(deps.db, source.id, cursor);
      else if (!(await saveCursorAsOwner(deps.db, source.id, deps.leaseOwner, cursor))) {
        throw new LeaseLostError(source.id, deps.leaseOwner);
      }
      onProgress?.({ page: pages, stats, cursor, warnings: pageWarnings });
      more = Boolean(result.more);
    }
    if (deps.leaseOwner !== undefined) await assertLease(deps.db, source.id, deps.leaseOwner);
    const finishedAt = deps.now();
    // A source cut short (a long backfill) is due again at once; the others wait their interval.
    const nextPollAt = more ? finishedAt : nextPollAfterSuccess(finishedAt, source.intervalSeconds, random);
    await recordPollSuccess(deps.db, source.id, finishedAt, nextPollAt, summarize(stats, pages, warnings));
    log.info(
      { sourceId: source.id, source: source.name, pages, ...summarize(stats, pages, warnings) },
      'poll ok',
    );
    return { ok: true, stats, pages, warnings, nextPollAt };
  } catch (err) {
    if (isLeaseLost(err)) {
      // The new owner records this poll's outcome; pages stored so far are kept (ingest dedupes).
      log.warn({ sourceId: source.id, source: source.name, pages }, 'poll stopped: lease lost');
      return {
        ok: false,
        stats,
        pages,
        warnings,
        error: describeError(err),
        nextPollAt: source.health.nextPollAt,
      };
    }
    const error = describeError(err);
    const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : undefined;
    const failures = source.health.consecutiveFailures + 1;
    const at = deps.now();
    const nextPollAt = nextPollAfterFailure(at, source.intervalSeconds, failures, random, retryAfterMs);
    const message = `${source.type} source "${source.name}": ${error.message}`;
    await recordPollFailure(
      deps.db,
      source.id,
      at,
      nextPollAt,
      { code: error.code, message },
      {
        ...summarize(stats, pages, warnings),
        startedAt: startedAt.toISOString(),
      },
    );
    log.warn(
      { sourceId: source.id, source: source.name, code: error.code, err: error.message },
      'poll failed',
    );
    return { ok: false, stats, pages, warnings, error: { code: error.code, message }, nextPollAt };
  }
}

function summarize(stats: IngestStats, pages: number, warnings: string[]): Record<string, unknown> {
  const { scoringMs: _scoring, ...counts } = stats;
  return { ...counts, pages, warnings: warnings.length };
}
