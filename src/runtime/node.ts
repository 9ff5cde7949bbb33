import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { DetectionLoop } from '../alert/detection-loop.ts';
import { digestTicker } from '../alert/digest.ts';
import { type AlertSettings, alertSettings } from '../alert/settings.ts';
import { DeliveryWorker } from '../alert/worker.ts';
import { createApp } from '../api/app.ts';
import { readNodeAssets } from '../api/dashboard/node-assets.ts';
import { loadConfig } from '../core/config.ts';
import { TrustwatchError } from '../core/errors.ts';
import type { AppLogger } from '../core/logger.ts';
import { runDetectors } from '../detect/runner.ts';
import type { PollDeps } from '../ingest/poll.ts';
import { Scheduler, type SchedulerOptions } from '../ingest/scheduler.ts';
import type { SentimentScorer } from '../score/sentiment.ts';
import { startPartitionMaintenance } from '../store/retention.ts';
import type { Database } from '../store/schema.ts';

/**
 * The Node entry point: the Hono app on @hono/node-server plus, optionally, the source scheduler in
 * the same process. Everything runtime-independent lives in src/api and src/ingest.
 */
export interface NodeServiceOptions {
  db: Kysely<Database>;
  log: AppLogger;
  storage: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Scorer for pushed mentions; the pollers' scorer when a scheduler runs. */
  scorer?: SentimentScorer | undefined;
  /** When given, sources are polled in this process. */
  scheduler?: ({ deps: PollDeps; tickMs: number } & Partial<SchedulerOptions>) | undefined;
  /**
   * Alert settings (links, Slack secret, delivery worker). Default: from the environment. The delivery
   * worker runs whenever the scheduler does.
   */
  alerts?: AlertSettings | undefined;
  /** API requests per minute per token (0 = off) and allowed CORS origins. Default: from the environment. */
  rateLimitPerMinute?: number | undefined;
  corsOrigins?: readonly string[] | undefined;
  /** Serve the web dashboard at `/` (default true; its files are read from disk once, here). */
  dashboard?: boolean | undefined;
}

export interface NodeService {
  url: string;
  port: number;
  scheduler: Scheduler | undefined;
  /** Sends alert deliveries (running with the scheduler); detection runners call `wake()` after writing. */
  deliveryWorker: DeliveryWorker | undefined;
  close(): Promise<void>;
}

export async function startNodeService(opts: NodeServiceOptions): Promise<NodeService> {
  const env = loadConfig();
  const alerts = opts.alerts ?? alertSettings(env, `http://${opts.host}:${opts.port}`);
  const deliveryWorker = opts.scheduler
    ? new DeliveryWorker(
        { db: opts.db, log: opts.log, onTick: digestTicker(opts.db, alerts.baseUrl) },
        alerts.worker,
      )
    : undefined;
  const app = createApp({
    db: opts.db,
    log: opts.log,
    storage: opts.storage,
    maxBodyBytes: opts.maxBodyBytes,
    scorer: opts.scorer ?? opts.scheduler?.deps.scorer,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? env.TRUSTWATCH_API_RATE_LIMIT,
    corsOrigins: opts.corsOrigins ?? env.TRUSTWATCH_CORS_ORIGINS,
    trendCacheMs: env.TRUSTWATCH_TREND_CACHE_MS,
    tokenCacheMs: env.TRUSTWATCH_TOKEN_CACHE_MS,
    dashboard:
      opts.dashboard === false
        ? undefined
        : { assets: readNodeAssets(), secureCookies: alerts.baseUrl.startsWith('https:') || undefined },
    alerts: {
      baseUrl: alerts.baseUrl,
      slackSigningSecret: alerts.slackSigningSecret,
      ...(deliveryWorker ? { onEnqueued: () => deliveryWorker.wake() } : {}),
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new TrustwatchError(
            'CONFIG_INVALID',
            `Port ${opts.port} on ${opts.host} is already in use: stop the other process or choose another port (PORT=... or --port).`,
            { cause: err },
          ),
        );
      } else reject(err);
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  const scheduler = opts.scheduler
    ? new Scheduler(opts.scheduler.deps, schedulerOptions(opts.scheduler))
    : undefined;
  // Detectors run as each hour closes; their alerts wake the worker (alerts reach Slack in about a second).
  const detectionLoop = deliveryWorker
    ? new DetectionLoop(opts.db, opts.log, runDetectors, {
        baseUrl: alerts.baseUrl,
        reopenWindowMs: alerts.reopenWindowMs,
        autoResolveMs: alerts.autoResolveMs,
        onEnqueued: () => deliveryWorker.wake(),
      })
    : undefined;
  scheduler?.start();
  deliveryWorker?.start();
  detectionLoop?.start();
  // Monthly partitions ahead and retention, at start and daily, wherever sources are polled.
  const partitions = opts.scheduler
    ? startPartitionMaintenance(opts.db, opts.log, { retentionMonths: env.TRUSTWATCH_RETENTION_MONTHS })
    : undefined;
  return {
    url,
    port,
    scheduler,
    deliveryWorker,
    async close() {
      await scheduler?.stop();
      await partitions?.stop();
      await detectionLoop?.stop();
      await deliveryWorker?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Poll concurrency and source leases from the environment unless the caller set them. */
function schedulerOptions(
  s: { deps: PollDeps; tickMs: number } & Partial<SchedulerOptions>,
): SchedulerOptions {
  const { deps: _deps, ...set } = s;
  const config = loadConfig();
  return {
    concurrency: config.TRUSTWATCH_POLL_CONCURRENCY,
    leaseMs: config.TRUSTWATCH_SOURCE_LEASE_MS,
    heartbeatMs: config.TRUSTWATCH_SOURCE_HEARTBEAT_MS,
    ...set,
  };
}

/** Stops the service cleanly on SIGINT/SIGTERM (finish in-flight polls, close the database). */
export function closeOnSignals(close: () => Promise<void>, log: AppLogger): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}
