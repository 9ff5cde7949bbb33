import type { Config } from '../core/config.ts';
import type { DeliveryWorkerOptions } from './worker.ts';

/** Alerting settings as the service and the CLI use them, derived from the environment config. */
export interface AlertSettings {
  /** Public URL of trustwatch for "Open in trustwatch" links. */
  baseUrl: string;
  slackSigningSecret: string | undefined;
  reopenWindowMs: number;
  autoResolveMs: number;
  worker: DeliveryWorkerOptions;
}

export function alertSettings(config: Config, fallbackBaseUrl: string): AlertSettings {
  return {
    baseUrl: config.TRUSTWATCH_BASE_URL ?? fallbackBaseUrl,
    slackSigningSecret: config.TRUSTWATCH_SLACK_SIGNING_SECRET,
    reopenWindowMs: config.TRUSTWATCH_ALERT_REOPEN_HOURS * 3_600_000,
    autoResolveMs: config.TRUSTWATCH_ALERT_AUTO_RESOLVE_HOURS * 3_600_000,
    worker: {
      tickMs: config.TRUSTWATCH_DELIVERY_TICK_MS,
      timeoutMs: config.TRUSTWATCH_DELIVERY_TIMEOUT_MS,
      deadlineMs: config.TRUSTWATCH_DELIVERY_DEADLINE_MINUTES * 60_000,
      backoffBaseMs: 2000,
      backoffMaxMs: 15 * 60_000,
      ...(config.TRUSTWATCH_USER_AGENT ? { userAgent: config.TRUSTWATCH_USER_AGENT } : {}),
    },
  };
}
