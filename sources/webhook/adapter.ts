import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { DEFAULT_TOLERANCE_SECONDS } from './signature.ts';

/**
 * Webhook (push) source: any system (a helpdesk, a survey tool, a scraper, Zapier) POSTs mentions
 * to `/api/v1/ingest/<source id>`, signed with this source's secret. Nothing is polled; the
 * route in src/api/routes/ingest.ts verifies the signature and runs the ingest pipeline.
 */

export const webhookConfigSchema = z.object({
  secret: z
    .string()
    .min(24, 'use at least 24 characters (e.g. `openssl rand -hex 32`)')
    .max(512)
    .describe(
      'Shared secret for the HMAC-SHA256 signature (X-Trustwatch-Signature). At least 24 characters; generate one with `openssl rand -hex 32`.',
    ),
  toleranceSeconds: z
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(DEFAULT_TOLERANCE_SECONDS)
    .describe(
      'How far X-Trustwatch-Timestamp may be from the server clock before a push is refused as a replay.',
    ),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const webhookSource = defineSource<WebhookConfig, null>({
  id: 'webhook',
  name: 'Webhook (push)',
  description:
    'Receives mentions pushed by any system to POST /api/v1/ingest/<source id>, HMAC-SHA256 signed with a per-source secret; idempotent on externalId.',
  configSchema: webhookConfigSchema,
  secretFields: ['secret'],
  example: { secret: 'replace-with-openssl-rand-hex-32-output', toleranceSeconds: DEFAULT_TOLERANCE_SECONDS },
  // Never polled; the interval only matters for the source list's display.
  defaultIntervalSeconds: 86_400,
  push: true,
  async fetch() {
    // Push only: items arrive through the API, so there is never anything to fetch.
    return { items: [], nextCursor: null };
  },
});
