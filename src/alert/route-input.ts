import { z } from 'zod';
import { DETECTION_KINDS } from '../core/detection.ts';
import type { AlertRoute, RouteInput } from '../store/repositories/alert-routes.ts';
import { isValidTimeZone } from './quiet-hours.ts';
import { redactDestinationUrl } from './redact.ts';
import { generateWebhookSecret, isWebhookSecret } from './standard-webhooks.ts';

/** Route settings as the API and the CLI accept them (one schema, so both validate the same way). */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

export const routeFields = {
  name: z.string().trim().min(1).max(200),
  type: z.enum(['slack', 'webhook']),
  url: httpUrl,
  secret: z.string().refine(isWebhookSecret, 'must look like whsec_<base64 of at least 16 bytes>').optional(),
  watchId: z.uuid().nullish(),
  kinds: z.array(z.enum(DETECTION_KINDS as [string, ...string[]])).max(20),
  minSeverity: z.enum(['info', 'warning', 'critical']),
  cooldownSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400),
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable(),
  timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone (e.g. Europe/Paris)'),
  digest: z.enum(['off', 'daily', 'weekly']),
  enabled: z.boolean(),
};

export const newRouteSchema = z.object({
  ...routeFields,
  kinds: routeFields.kinds.default([]),
  minSeverity: routeFields.minSeverity.default('warning'),
  cooldownSeconds: routeFields.cooldownSeconds.default(600),
  quietHours: routeFields.quietHours.default(null),
  timeZone: routeFields.timeZone.default('UTC'),
  digest: routeFields.digest.default('off'),
  enabled: routeFields.enabled.default(true),
});

export const routePatchSchema = z.object(routeFields).partial();

export type NewRouteBody = z.infer<typeof newRouteSchema>;
export type RoutePatchBody = z.infer<typeof routePatchSchema>;

/**
 * Turns validated input into what the repository stores. A webhook route without a secret gets a
 * new one, returned to the caller once (like an API token) so the receiver can verify signatures.
 */
export function toRouteInput(body: NewRouteBody): { input: RouteInput; generatedSecret: string | undefined } {
  const generatedSecret = body.type === 'webhook' && !body.secret ? generateWebhookSecret() : undefined;
  const secret = body.secret ?? generatedSecret;
  return {
    generatedSecret,
    input: {
      name: body.name,
      type: body.type,
      config: { url: body.url, ...(body.type === 'webhook' && secret ? { secret } : {}) },
      watchId: body.watchId ?? null,
      kinds: body.kinds,
      minSeverity: body.minSeverity,
      cooldownSeconds: body.cooldownSeconds,
      quietHours: body.quietHours,
      timeZone: body.timeZone,
      digest: body.digest,
      enabled: body.enabled,
    },
  };
}

export function toRoutePatch(current: AlertRoute, body: RoutePatchBody): Partial<RouteInput> {
  const { url, secret, ...rest } = body;
  const patch: Partial<RouteInput> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (patch as Record<string, unknown>)[k] = v;
  if (url !== undefined || secret !== undefined) {
    patch.config = { ...current.config, ...(url ? { url } : {}), ...(secret ? { secret } : {}) };
  }
  return patch;
}

/** A route as shown by the API and CLI: the URL redacted, the secret reduced to "has one". */
export function routeView(r: AlertRoute) {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    url: redactDestinationUrl(r.config.url),
    signed: Boolean(r.config.secret),
    watchId: r.watchId,
    kinds: r.kinds,
    minSeverity: r.minSeverity,
    cooldownSeconds: r.cooldownSeconds,
    quietHours: r.quietHours,
    timeZone: r.timeZone,
    digest: r.digest,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
