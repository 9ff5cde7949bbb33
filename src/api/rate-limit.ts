import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';
import { problem } from './problem.ts';

/**
 * Per-token rate limit: a token bucket per API token that holds `perMinute` requests and refills at
 * `perMinute / 60` per second, so a client may burst up to its minute's allowance and then continues at
 * the steady rate. Buckets live in this process's memory: several API processes each allow the limit.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left after this one. */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until the next request is allowed; 0 when allowed (Retry-After). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Above this many buckets, full (idle) ones are dropped so memory stays bounded by active tokens. */
const SWEEP_THRESHOLD = 10_000;

export class TokenBucketLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (!(perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.#perMs = perMinute / 60_000;
  }

  /** Takes one request from `key`'s bucket if it has one. */
  take(key: string): RateLimitDecision {
    const now = this.nowMs();
    const bucket = this.#refill(key, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const missing = this.perMinute - bucket.tokens;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil(missing / this.#perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000)),
    };
  }

  /** Number of buckets held (for tests of the sweep). */
  get size(): number {
    return this.#buckets.size;
  }

  #refill(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= SWEEP_THRESHOLD) this.#sweep(now);
      bucket = { tokens: this.perMinute, updatedMs: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedMs);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + elapsed * this.#perMs);
    bucket.updatedMs = now;
    return bucket;
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedMs) * this.#perMs >= this.perMinute) this.#buckets.delete(key);
    }
  }
}

/**
 * Middleware for routes behind requireToken: limits each API token (by its id) and sends
 * RateLimit-Limit/Remaining/Reset on every response, 429 RATE_LIMITED with Retry-After when over.
 * `perMinute` 0 (or less) turns it off.
 */
export function rateLimitPerToken(
  perMinute: number,
  nowMs: () => number = Date.now,
): MiddlewareHandler<AppEnv> {
  if (!(perMinute > 0)) return async (_c, next) => next();
  const limiter = new TokenBucketLimiter(perMinute, nowMs);
  return async (c, next) => {
    const principal = c.get('principal');
    const decision = limiter.take(principal.tokenId);
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(decision.limit),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(decision.resetSeconds),
    };
    if (!decision.allowed) {
      const res = problem(
        c,
        429,
        'RATE_LIMITED',
        `This token may make ${decision.limit} requests per minute; retry in ${decision.retryAfterSeconds} s`,
      );
      res.headers.set('Retry-After', String(decision.retryAfterSeconds));
      for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
      return res;
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
