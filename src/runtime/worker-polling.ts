import type { Kysely } from 'kysely';
import type { Logger } from '../core/source.ts';
import { backoffDelay } from '../ingest/http/retry.ts';
import { type PollDeps, type PollOutcome, pollSource } from '../ingest/poll.ts';
import {
  claimDueSources,
  claimQueuedSource,
  heartbeatLeases,
  releaseLease,
  transferLease,
} from '../store/repositories/source-leases.ts';
import type { Database } from '../store/schema.ts';
import type { PollMessage, QueueMessage, QueueProducer } from './worker-env.ts';

/**
 * Polling on Workers: a cron tick leases every due source to itself and queues one message per
 * source; a queue consumer takes the lease over from the tick (src/store/repositories/source-leases.ts)
 * and polls the source through the shared pipeline. Leases make at-least-once delivery safe: a message
 * delivered twice, or a late one, finds the source leased to another consumer or no longer due and is
 * acknowledged without polling; a source whose message is lost is queued again once the tick's lease
 * expires. Sources stay leased while queued, so overlapping ticks do not queue them twice.
 */

/** How long a queued source stays reserved for its message before a later tick may queue it again. */
export const DISPATCH_LEASE_MS = 15 * 60_000;
/** Sources queued per tick at most (the rest wait for the next tick, oldest due first). */
export const MAX_DISPATCH_PER_TICK = 1000;
/** Queues accept at most 100 messages per sendBatch call. */
const SEND_BATCH = 100;
/** The longest delay a Queues message may carry (12 hours). */
export const MAX_QUEUE_DELAY_S = 43_200;

export interface DispatchResult {
  dispatcher: string;
  queued: number;
}

/** The cron tick: lease due sources to `dispatcher` and queue one message each. */
export async function dispatchDueSources(
  db: Kysely<Database>,
  queue: QueueProducer<PollMessage>,
  log: Logger,
  opts: { dispatcher: string; now: Date; limit?: number },
): Promise<DispatchResult> {
  const limit = opts.limit ?? MAX_DISPATCH_PER_TICK;
  let queued = 0;
  while (queued < limit) {
    const claimed = await claimDueSources(
      db,
      opts.dispatcher,
      opts.now,
      DISPATCH_LEASE_MS,
      Math.min(SEND_BATCH, limit - queued),
    );
    if (claimed.length === 0) break;
    try {
      await queue.sendBatch(
        claimed.map((c) => ({ body: { sourceId: c.source.id, dispatcher: opts.dispatcher } })),
      );
    } catch (err) {
      // Not queued: give the sources back so the next tick can try again instead of after the lease.
      await Promise.all(claimed.map((c) => releaseLease(db, c.source.id, opts.dispatcher)));
      throw err;
    }
    queued += claimed.length;
    if (claimed.length < SEND_BATCH) break;
  }
  log.info({ dispatcher: opts.dispatcher, queued }, 'due sources queued');
  return { dispatcher: opts.dispatcher, queued };
}

export interface ConsumeOptions {
  /** This consumer invocation's id in leases and logs. */
  consumer: string;
  leaseMs: number;
  heartbeatMs: number;
}

/** What became of one message (for logs and tests). */
export type MessageResult =
  | { kind: 'polled'; outcome: PollOutcome }
  | { kind: 'skipped'; reason: 'leased-or-not-due' }
  | { kind: 'retry'; delaySeconds: number; reason: string }
  | { kind: 'invalid' };

/**
 * The queue consumer: each message's source is polled once under a lease, in parallel. Acked on
 * success, on a failure recorded on the source (it backs off through next_poll_at and a later tick
 * queues it again) and on duplicates; retried with a delay when the upstream rate-limits (the source
 * stays reserved for the retry) or when the poll could not even record its outcome (database down).
 */
export async function consumePollMessages(
  deps: PollDeps,
  messages: readonly QueueMessage<PollMessage>[],
  opts: ConsumeOptions,
): Promise<MessageResult[]> {
  return Promise.all(messages.map((m) => consumeOne(deps, m, opts)));
}

function isPollMessage(body: unknown): body is PollMessage {
  const b = body as Partial<PollMessage> | null;
  return typeof b?.sourceId === 'string' && typeof b.dispatcher === 'string';
}

async function consumeOne(
  deps: PollDeps,
  message: QueueMessage<PollMessage>,
  opts: ConsumeOptions,
): Promise<MessageResult> {
  const log = deps.log;
  if (!isPollMessage(message.body)) {
    // Retrying cannot fix a malformed message: drop it, loudly.
    log.error({ messageId: message.id }, 'poll message without sourceId/dispatcher dropped');
    message.ack();
    return { kind: 'invalid' };
  }
  const { sourceId, dispatcher } = message.body;
  try {
    const source = await claimQueuedSource(
      deps.db,
      sourceId,
      dispatcher,
      opts.consumer,
      deps.now(),
      opts.leaseMs,
    );
    if (!source) {
      log.info(
        { sourceId, messageId: message.id, attempts: message.attempts },
        'poll message skipped: source leased or not due',
      );
      message.ack();
      return { kind: 'skipped', reason: 'leased-or-not-due' };
    }
    const outcome = await pollUnderLease(deps, source, opts);
    if (outcome.ok || outcome.error?.code !== 'FETCH_RATE_LIMITED') {
      // Success, or a failure pollSource recorded on the source with its backoff: done with this message.
      await releaseLease(deps.db, sourceId, opts.consumer);
      message.ack();
      return { kind: 'polled', outcome };
    }
    // Rate limited: come back when the upstream said (pollSource put that in nextPollAt), keeping the
    // source reserved for this message so that ticks in between do not queue it again.
    const waitMs = Math.max(0, outcome.nextPollAt.getTime() - deps.now().getTime());
    const delaySeconds = Math.ceil(waitMs / 1000);
    if (delaySeconds > MAX_QUEUE_DELAY_S) {
      await releaseLease(deps.db, sourceId, opts.consumer);
      message.ack();
      return { kind: 'polled', outcome };
    }
    await transferLease(
      deps.db,
      sourceId,
      opts.consumer,
      dispatcher,
      new Date(outcome.nextPollAt.getTime() + DISPATCH_LEASE_MS),
    );
    message.retry({ delaySeconds });
    log.info({ sourceId, delaySeconds }, 'poll rate limited: message retried with delay');
    return { kind: 'retry', delaySeconds, reason: 'FETCH_RATE_LIMITED' };
  } catch (err) {
    // The outcome could not be recorded (database unreachable): try again later. The lease expires by
    // then, so the retried message can claim the source even if this release fails too.
    await releaseLease(deps.db, sourceId, opts.consumer).catch(() => false);
    const delaySeconds = Math.ceil(
      Math.max(opts.leaseMs, backoffDelay(message.attempts - 1, 30_000, 15 * 60_000, Math.random)) / 1000,
    );
    log.error(
      { sourceId, attempts: message.attempts, delaySeconds, err: String(err) },
      'poll message failed, retrying',
    );
    message.retry({ delaySeconds });
    return { kind: 'retry', delaySeconds, reason: 'INTERNAL' };
  }
}

/** Polls with the lease extended every heartbeat; a lease taken over stops the poll between pages. */
async function pollUnderLease(
  deps: PollDeps,
  source: Parameters<typeof pollSource>[1],
  opts: ConsumeOptions,
): Promise<PollOutcome> {
  const abort = new AbortController();
  const timer = setInterval(() => {
    heartbeatLeases(deps.db, opts.consumer, [source.id], deps.now(), opts.leaseMs).then(
      (held) => {
        if (!held.has(source.id)) abort.abort();
      },
      (err) => deps.log.warn({ sourceId: source.id, err: String(err) }, 'lease heartbeat failed'),
    );
  }, opts.heartbeatMs);
  try {
    return await pollSource({ ...deps, signal: abort.signal, leaseOwner: opts.consumer }, source);
  } finally {
    clearInterval(timer);
  }
}
