import type { AlertRoute } from '../store/repositories/alert-routes.ts';
import type { Delivery } from '../store/repositories/deliveries.ts';
import { parseRetryAfter } from './backoff.ts';
import type { AlertPayload, DeliveryPayload, DigestPayload } from './payload.ts';
import { renderAlertMessage, renderDigestMessage } from './slack-message.ts';
import { webhookHeaders } from './standard-webhooks.ts';

/**
 * One HTTP attempt of a delivery. Errors are described without the destination URL (it is the
 * secret for Slack webhooks) and without response bodies beyond a short, single-line excerpt.
 */
export type SendOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      status: number | null;
      error: string;
      /** The receiver will never accept this request as is (4xx other than 408/409/425/429). */
      permanent: boolean;
      retryAfterMs?: number | undefined;
    };

export interface SendOptions {
  timeoutMs: number;
  now: Date;
  userAgent: string;
  fetch?: typeof fetch;
  /** Aborts the attempt when the worker stops. */
  signal?: AbortSignal;
}

export interface OutgoingRequest {
  body: string;
  headers: Record<string, string>;
}

/** The exact request a delivery becomes; deterministic apart from the webhook timestamp. */
export function buildRequest(
  route: AlertRoute,
  delivery: Delivery,
  now: Date,
  userAgent: string,
): OutgoingRequest {
  const payload = delivery.payload as unknown as DeliveryPayload;
  const common = {
    'content-type': 'application/json',
    'user-agent': userAgent,
    // Receivers that dedupe (and our fake Slack) use this; Standard Webhooks receivers use webhook-id.
    'idempotency-key': delivery.idempotencyKey,
  };
  if (route.type === 'slack') {
    const message =
      payload.type === 'digest'
        ? renderDigestMessage(payload as DigestPayload)
        : renderAlertMessage(payload as AlertPayload);
    return { body: JSON.stringify(message), headers: common };
  }
  const body = JSON.stringify(payload);
  const signed = route.config.secret
    ? webhookHeaders(route.config.secret, delivery.idempotencyKey, now, body)
    : {};
  return { body, headers: { ...common, ...signed } };
}

const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

export async function sendDelivery(
  route: AlertRoute,
  delivery: Delivery,
  opts: SendOptions,
): Promise<SendOutcome> {
  const req = buildRequest(route, delivery, opts.now, opts.userAgent);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(route.config.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal,
      // A redirect would resend the signed body somewhere the route does not name.
      redirect: 'manual',
    });
    const text = await readExcerpt(res);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const excerpt = text ? `: ${text}` : '';
    if (res.status === 429) {
      return {
        ok: false,
        status: 429,
        error: `HTTP 429 rate limited${excerpt}`,
        permanent: false,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), opts.now),
      };
    }
    const permanent = res.status >= 300 && res.status < 500 && !RETRYABLE_4XX.has(res.status);
    return {
      ok: false,
      status: res.status,
      error: `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' redirect (not followed)' : ''}${excerpt}`,
      permanent,
      retryAfterMs:
        res.status === 503 ? parseRetryAfter(res.headers.get('retry-after'), opts.now) : undefined,
    };
  } catch (err) {
    if (opts.signal?.aborted) return { ok: false, status: null, error: 'worker stopped', permanent: false };
    if (timeout.aborted) {
      return { ok: false, status: null, error: `timed out after ${opts.timeoutMs} ms`, permanent: false };
    }
    return { ok: false, status: null, error: `network error: ${networkCode(err)}`, permanent: false };
  }
}

/** First 200 characters of a response body, one line; the rest is discarded unread. */
async function readExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The system error code (ECONNREFUSED...) without the message, which could quote the URL. */
function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string } })?.cause;
  if (cause?.code) return cause.code;
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' ? code : 'request failed';
}
