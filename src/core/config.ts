import { z } from 'zod';
import { ValidationError } from './errors.ts';

/**
 * Every setting trustwatch reads from the environment, with its default and what it is for.
 * README.md's configuration table lists the same variables; keep them in step.
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes' || v === 'on');

export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .describe(
      'PostgreSQL connection URL. When unset, trustwatch uses embedded PGlite under TRUSTWATCH_DATA_DIR.',
    ),
  TRUSTWATCH_DATA_DIR: z
    .string()
    .default('./data')
    .describe('Where the embedded PGlite database keeps its files (only without DATABASE_URL).'),
  HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Interface the HTTP service listens on; 0.0.0.0 in a container.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port.'),
  TRUSTWATCH_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe('Public URL of this service, used in links (default http://HOST:PORT).'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level.'),
  TRUSTWATCH_SCHEDULER: bool
    .default(true)
    .describe('Run the source poller inside `serve` (1) or API only (0).'),
  TRUSTWATCH_SCHEDULER_TICK_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5000)
    .describe('How often the scheduler looks for due sources.'),
  TRUSTWATCH_POLL_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe(
      'Sources polled at once by one process (`serve` or `worker`; `worker --concurrency` overrides).',
    ),
  TRUSTWATCH_SOURCE_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60_000)
    .describe(
      'Lease a worker holds on a source it polls; a worker that dies loses its sources to others after this long.',
    ),
  TRUSTWATCH_SOURCE_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(20_000)
    .describe('How often a worker extends the leases of its polls in flight (at most half the lease).'),
  TRUSTWATCH_HTTP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15000)
    .describe('Total time limit for one upstream request.'),
  TRUSTWATCH_HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024)
    .describe('Largest upstream response body accepted (after decompression).'),
  TRUSTWATCH_ALLOW_PRIVATE_URLS: bool
    .default(false)
    .describe(
      'Let source URLs (and their redirects) reach private, loopback, link-local and other internal addresses (1). Off by default against SSRF.',
    ),
  TRUSTWATCH_USER_AGENT: z
    .string()
    .optional()
    .describe('User-Agent sent to upstreams (default names trustwatch).'),
  TRUSTWATCH_INGEST_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(500)
    .describe('Mentions stored per transaction.'),
  TRUSTWATCH_RETENTION_MONTHS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Keep mentions of the current month and this many months before it; older monthly partitions are dropped daily (rollups kept). 0: keep everything.',
    ),
  TRUSTWATCH_SCORER_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional()
    .describe(
      'HTTP endpoint that scores sentiment (a model you serve; protocol in docs/scoring.md). Unset: the built-in offline lexicon scorer. On error or timeout a batch keeps its lexicon scores.',
    ),
  TRUSTWATCH_SCORER_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5000)
    .describe('Time limit of one request to TRUSTWATCH_SCORER_URL (one batch of mentions).'),
  TRUSTWATCH_SCORER_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('Bearer token sent to TRUSTWATCH_SCORER_URL, if it needs one (never logged).'),
  TRUSTWATCH_API_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe('Largest request body the API accepts.'),
  TRUSTWATCH_API_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(0)
    .default(600)
    .describe('Requests per minute each API token may make (a token bucket per process); 0: no limit.'),
  TRUSTWATCH_TREND_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300_000)
    .default(5000)
    .describe('How long (ms) an API process reuses a trend answer for the same workspace and query; 0: off.'),
  TRUSTWATCH_TOKEN_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(5000)
    .describe(
      'How long (ms) an API process reuses a token lookup; a revocation elsewhere applies within it. 0: off.',
    ),
  TRUSTWATCH_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .refine(
      (origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
      'each origin is a scheme and host, e.g. https://dash.example.com (no path, no trailing slash)',
    )
    .describe('Comma-separated browser origins allowed to call /api/* (CORS). Unset: CORS off.'),
  TRUSTWATCH_DEMO_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe('Fixed API token for the demo workspace (default: a new random token printed at start).'),
  TRUSTWATCH_SLACK_SIGNING_SECRET: z
    .string()
    .min(8)
    .optional()
    .describe('Signing secret of your Slack app: enables the Acknowledge button (POST /slack/interactions).'),
  TRUSTWATCH_DELIVERY_TICK_MS: z.coerce
    .number()
    .int()
    .min(50)
    .default(1000)
    .describe('How often the delivery worker looks for due alert deliveries (new alerts wake it at once).'),
  TRUSTWATCH_DELIVERY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10000)
    .describe('Time limit of one attempt to deliver an alert to Slack or a webhook.'),
  TRUSTWATCH_DELIVERY_DEADLINE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 60)
    .describe(
      'Retry a failing delivery for this long, then mark it dead (retry by hand with the CLI or API).',
    ),
  TRUSTWATCH_ALERT_REOPEN_HOURS: z.coerce
    .number()
    .min(0)
    .default(6)
    .describe('A detection this soon after its alert was resolved reopens it instead of opening a new one.'),
  TRUSTWATCH_ALERT_AUTO_RESOLVE_HOURS: z.coerce
    .number()
    .min(0)
    .default(24)
    .describe('Resolve an alert automatically after this many hours without a detection (0: never).'),
  // Read by bin/trustwatch.js before any TypeScript loads (node flags can only be set at start); listed
  // here so a bad value is reported and the README stays in step.
  TRUSTWATCH_SEMI_SPACE_MB: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .describe(
      'V8 young-generation semi-space size for `serve`, `worker` and `demo` (node --max-semi-space-size); 0 leaves V8 to size it.',
    ),
  TRUSTWATCH_MAX_HEAP_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(512)
    .describe(
      'Cap of the V8 old generation for `serve`, `worker` and `demo` (node --max-old-space-size); 0 leaves V8 to size it.',
    ),
});

export type Config = z.infer<typeof configSchema>;

/** Parse settings from an env-like record; a bad value throws a ValidationError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(
      `Invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}

/** The variables and their descriptions, for `--help` and docs. */
export function describeConfig(): { name: string; description: string }[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
  }));
}
