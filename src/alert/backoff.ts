/**
 * Retry timing for deliveries: exponential backoff with "equal jitter" (half fixed, half random) so
 * that a recovering endpoint is not hit by every worker at the same instant, and the upstream's
 * Retry-After when it sends one.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** Delay before attempt `attempt + 1`, where `attempt` (>= 1) attempts have failed. */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = (opts.random ?? Math.random)();
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * Parses Retry-After (RFC 9110: delay-seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unparsable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
