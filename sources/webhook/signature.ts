import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook request signing, in the style of Stripe and Standard Webhooks: the sender computes
 * HMAC-SHA256 with the source's secret over `<timestamp>.<raw body>` and sends
 *
 *   X-Trustwatch-Timestamp: 1735689600            (Unix seconds)
 *   X-Trustwatch-Signature: sha256=<64 hex chars>
 *
 * Signing the timestamp with the body means an old request cannot be replayed with a new
 * timestamp; requests outside the tolerance window are refused, and replays inside it are harmless
 * because ingest is idempotent on the item's external id.
 */

export const SIGNATURE_HEADER = 'X-Trustwatch-Signature';
export const TIMESTAMP_HEADER = 'X-Trustwatch-Timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

/** The hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function computeSignature(
  secret: string,
  timestamp: string | number,
  body: string | Uint8Array,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(toBuffer(body)).digest('hex');
}

/** The header value a sender puts in X-Trustwatch-Signature. */
export function signatureHeader(
  secret: string,
  timestamp: string | number,
  body: string | Uint8Array,
): string {
  return `sha256=${computeSignature(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  secret: string;
  body: Uint8Array;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
  toleranceSeconds?: number;
}

/**
 * Checks a signed request. The header may list several `sha256=` values separated by commas or
 * spaces (a sender rotating secrets signs with both); one match is enough.
 */
export function verifySignature(input: VerifyInput): VerifyResult {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!input.timestamp) return { ok: false, reason: `missing ${TIMESTAMP_HEADER} header (Unix seconds)` };
  if (!/^\d{1,12}$/.test(input.timestamp.trim())) {
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} must be Unix seconds, got "${input.timestamp.slice(0, 40)}"`,
    };
  }
  if (!input.signature) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header ("sha256=<hex>")` };
  const timestamp = input.timestamp.trim();
  const skew = Math.round(Math.abs(input.nowMs / 1000 - Number(timestamp)));
  if (skew > tolerance) {
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} is ${skew} s away from the server's clock (tolerance ${tolerance} s): a replay, or a sender clock that is off`,
    };
  }
  const expected = Buffer.from(computeSignature(input.secret, timestamp, input.body), 'hex');
  const candidates = input.signature
    .split(/[\s,]+/)
    .map((part) => /^sha256=([0-9a-f]{64})$/i.exec(part)?.[1])
    .filter((hex): hex is string => hex !== undefined);
  if (candidates.length === 0) {
    return { ok: false, reason: `${SIGNATURE_HEADER} must be "sha256=<64 hex characters>"` };
  }
  const match = candidates.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return match
    ? { ok: true }
    : {
        ok: false,
        reason: `${SIGNATURE_HEADER} does not match the body (wrong secret, or the body was changed)`,
      };
}
