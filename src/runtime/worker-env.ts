import { type Config, loadConfig } from '../core/config.ts';

/**
 * The bindings wrangler.toml gives the worker, and the few Workers runtime types the handlers use
 * (declared here rather than pulling in @cloudflare/workers-types for five interfaces).
 */

/** One queued poll: the source, and the cron tick whose lease on it the consumer takes over. */
export interface PollMessage {
  sourceId: string;
  dispatcher: string;
}

export interface QueueProducer<T> {
  send(body: T, options?: { delaySeconds?: number }): Promise<void>;
  sendBatch(messages: Iterable<{ body: T; delaySeconds?: number }>): Promise<void>;
}

export interface QueueMessage<T> {
  readonly id: string;
  readonly body: T;
  /** Delivery attempts so far, counting this one. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface QueueBatch<T> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<T>[];
}

export interface ScheduledEvent {
  readonly scheduledTime: number;
  readonly cron: string;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface WorkerEnv {
  /** Hyperdrive in front of PostgreSQL (`wrangler hyperdrive create`). */
  HYPERDRIVE: { connectionString: string };
  /** Producer binding of the poll queue (`wrangler queues create trustwatch-polls`). */
  POLL_QUEUE: QueueProducer<PollMessage>;
  /** Vars and secrets: the same TRUSTWATCH_* settings as on Node (README), as strings. */
  [name: string]: unknown;
}

/**
 * The settings from the worker's vars and secrets, validated by the same schema as on Node. With
 * nodejs_compat, process.env holds them too, but passing `env` keeps the worker independent of that
 * flag. Non-string bindings (Hyperdrive, queues) are left out.
 */
export function workerConfig(env: WorkerEnv): Config {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
  return loadConfig(vars);
}
