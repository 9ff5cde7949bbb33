/**
 * When to try again. Upstreams tell us in different dialects: `Retry-After` (RFC 9110: seconds or
 * an HTTP date), the IETF draft `RateLimit-Reset` (seconds from now) and the older
 * `X-RateLimit-Reset` (seconds from now on some APIs, a Unix timestamp on GitHub and Twitter).
 */

/** Anything above this is a Unix timestamp, not a delay (1e9 s is 2001; no API asks for 31 years). */
const EPOCH_SECONDS_THRESHOLD = 1e9;
const EPOCH_MS_THRESHOLD = 1e12;

function parseDelayOrEpoch(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  if (n >= EPOCH_MS_THRESHOLD) return Math.max(0, n - nowMs);
  if (n >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, n * 1000 - nowMs);
  return Math.round(n * 1000);
}

/** `Retry-After` value in ms from now: delta-seconds or an HTTP date. Undefined when unparseable. */
export function parseRetryAfterValue(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The longest wait any of the rate-limit headers asks for, in ms from now; undefined when none do. */
export function retryAfterFromHeaders(headers: Headers, nowMs: number): number | undefined {
  const waits: number[] = [];
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const ms = parseRetryAfterValue(retryAfter, nowMs);
    if (ms !== undefined) waits.push(ms);
  }
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const value = headers.get(name);
    if (value === null) continue;
    const ms = parseDelayOrEpoch(value, nowMs);
    if (ms !== undefined) waits.push(ms);
  }
  return waits.length === 0 ? undefined : Math.max(...waits);
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so that many
 * sources failing together do not come back in lockstep. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}
