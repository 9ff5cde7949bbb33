/**
 * Cloudflare Workers entry point (wrangler.toml; deploy steps in docs/cloudflare.md). The same Hono
 * app as on Node serves `fetch`; `scheduled` (the cron trigger) queues due sources; `queue` polls them
 * through the same ingest pipeline. PostgreSQL is reached through the Hyperdrive binding. Node-only
 * pieces (undici and its DNS-level SSRF guard, pino, PGlite, files) are replaced by the worker-*.ts
 * modules next to this one.
 */
import './worker-lexicons.ts';
import type { Hono } from 'hono';
import { createApp } from '../api/app.ts';
import type { AppEnv } from '../api/context.ts';
import type { Config } from '../core/config.ts';
import type { AppLogger } from '../core/logger.ts';
import type { PollDeps } from '../ingest/poll.ts';
import { scorerFromConfig } from '../score/http-scorer.ts';
import { withInvocationPool, workerDatabase } from './worker-db.ts';
import {
  type ExecutionContext,
  type PollMessage,
  type QueueBatch,
  type ScheduledEvent,
  type WorkerEnv,
  workerConfig,
} from './worker-env.ts';
import { createWorkerHttpClient } from './worker-http.ts';
import { createConsoleLogger } from './worker-logger.ts';
import { consumePollMessages, dispatchDueSources } from './worker-polling.ts';

export type { WorkerEnv } from './worker-env.ts';

interface Runtime {
  config: Config;
  log: AppLogger;
}

/** Settings and logger, parsed once per isolate (vars and secrets only change with a new deployment). */
let runtime: { env: WorkerEnv; value: Runtime } | undefined;
function runtimeFor(env: WorkerEnv): Runtime {
  if (runtime?.env !== env) {
    const config = workerConfig(env);
    // pino's extra levels fold into the nearest of the console logger's.
    const level =
      config.LOG_LEVEL === 'trace' ? 'debug' : config.LOG_LEVEL === 'fatal' ? 'error' : config.LOG_LEVEL;
    runtime = { env, value: { config, log: createConsoleLogger(level) } };
  }
  return runtime.value;
}

/**
 * The app is built once per isolate, keyed by the Hyperdrive connection string, so per-isolate state
 * survives between requests: the API rate limiter counts per isolate (Cloudflare runs several isolates
 * per location, so the limit is per isolate, not global), and the OpenAPI document is built once.
 */
let app: { key: string; app: Hono<AppEnv> } | undefined;
function appFor(env: WorkerEnv, origin: string): Hono<AppEnv> {
  const key = env.HYPERDRIVE.connectionString;
  if (app?.key !== key) {
    const { config, log } = runtimeFor(env);
    app = {
      key,
      app: createApp({
        db: workerDatabase(key),
        log,
        storage: 'postgres',
        maxBodyBytes: config.TRUSTWATCH_API_MAX_BODY_BYTES,
        scorer: scorerFromConfig(config, log),
        rateLimitPerMinute: config.TRUSTWATCH_API_RATE_LIMIT,
        corsOrigins: config.TRUSTWATCH_CORS_ORIGINS,
        // Per isolate, like the rate limiter: a token revoked through one isolate's API may still
        // work in another for up to TRUSTWATCH_TOKEN_CACHE_MS.
        trendCacheMs: config.TRUSTWATCH_TREND_CACHE_MS,
        tokenCacheMs: config.TRUSTWATCH_TOKEN_CACHE_MS,
        alerts: {
          baseUrl: config.TRUSTWATCH_BASE_URL ?? origin,
          slackSigningSecret: config.TRUSTWATCH_SLACK_SIGNING_SECRET,
        },
      }),
    };
  }
  return app.app;
}

function pollDeps(env: WorkerEnv): PollDeps {
  const { config, log } = runtimeFor(env);
  return {
    db: workerDatabase(env.HYPERDRIVE.connectionString),
    http: createWorkerHttpClient({
      timeoutMs: config.TRUSTWATCH_HTTP_TIMEOUT_MS,
      maxBodyBytes: config.TRUSTWATCH_HTTP_MAX_BODY_BYTES,
      ...(config.TRUSTWATCH_USER_AGENT ? { userAgent: config.TRUSTWATCH_USER_AGENT } : {}),
      allowPrivateUrls: config.TRUSTWATCH_ALLOW_PRIVATE_URLS,
      log,
    }),
    scorer: scorerFromConfig(config, log),
    log,
    batchSize: config.TRUSTWATCH_INGEST_BATCH_SIZE,
    now: () => new Date(),
  };
}

/**
 * A bad var or secret (the config schema refused it): a 500 problem for every request, and the
 * schema's message, which names the variable but not its value, in the log.
 */
function configFailure(err: unknown): Response {
  const message = err instanceof Error ? err.message : String(err);
  console.error(
    JSON.stringify({
      level: 50,
      time: new Date().toISOString(),
      service: 'trustwatch',
      err: message,
      msg: 'invalid worker configuration',
    }),
  );
  return Response.json(
    {
      type: 'https://trustwatch.dev/problems/config-invalid',
      title: 'Service misconfigured',
      status: 500,
      detail: 'The service configuration is invalid; see the worker log.',
      code: 'CONFIG_INVALID',
    },
    { status: 500, headers: { 'content-type': 'application/problem+json' } },
  );
}

/**
 * Some answers are encoded by the app itself (trends are cached gzipped). workerd compresses a body
 * whose response names a Content-Encoding unless told the body already is encoded, which would gzip
 * those twice; on Node the bytes go out as they are.
 */
function passEncoded(res: Response): Response {
  if (!res.headers.has('content-encoding') || res.body === null) return res;
  const init = { status: res.status, statusText: res.statusText, headers: res.headers, encodeBody: 'manual' };
  return new Response(res.body, init as ResponseInit);
}

function invocationId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

// Workers require a default export of the handler object; this is the one exception to the rule.
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let handler: Hono<AppEnv>;
    try {
      handler = appFor(env, new URL(request.url).origin);
    } catch (err) {
      return configFailure(err);
    }
    return withInvocationPool(env.HYPERDRIVE.connectionString, ctx, async () =>
      passEncoded(await handler.fetch(request)),
    );
  },

  async scheduled(event: ScheduledEvent, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { log } = runtimeFor(env);
    await withInvocationPool(env.HYPERDRIVE.connectionString, ctx, () =>
      dispatchDueSources(workerDatabase(env.HYPERDRIVE.connectionString), env.POLL_QUEUE, log, {
        dispatcher: invocationId(`cron-${new Date(event.scheduledTime).toISOString()}`),
        now: new Date(),
      }),
    );
  },

  async queue(batch: QueueBatch<PollMessage>, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { config } = runtimeFor(env);
    await withInvocationPool(env.HYPERDRIVE.connectionString, ctx, () =>
      consumePollMessages(pollDeps(env), batch.messages, {
        consumer: invocationId('queue'),
        leaseMs: config.TRUSTWATCH_SOURCE_LEASE_MS,
        heartbeatMs: Math.min(
          config.TRUSTWATCH_SOURCE_HEARTBEAT_MS,
          Math.floor(config.TRUSTWATCH_SOURCE_LEASE_MS / 2),
        ),
      }),
    );
  },
};
