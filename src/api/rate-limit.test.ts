import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './context.ts';
import { TokenBucketLimiter, rateLimitPerToken } from './rate-limit.ts';

describe('TokenBucketLimiter', () => {
  it('allows a burst of the minute allowance, then refuses until the bucket refills', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(60, () => now);
    for (let i = 0; i < 60; i++) {
      const d = limiter.take('a');
      expect(d.allowed).toBe(true);
      expect(d.remaining).toBe(59 - i);
    }
    const refused = limiter.take('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, resetSeconds: 60 });
    now += 999;
    expect(limiter.take('a').allowed).toBe(false);
    now += 1;
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    // A full minute later the bucket is full again, but never fuller.
    now += 10 * 60_000;
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 59, resetSeconds: 1 });
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketLimiter(2, () => 0);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('reports Retry-After from the refill rate', () => {
    const limiter = new TokenBucketLimiter(6, () => 0); // one request per 10 s
    for (let i = 0; i < 6; i++) limiter.take('a');
    expect(limiter.take('a').retryAfterSeconds).toBe(10);
  });

  it('drops idle full buckets once many are held', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(600, () => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBe(10_000);
    now += 60_000;
    limiter.take('new');
    expect(limiter.size).toBe(1);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new TokenBucketLimiter(0)).toThrow(RangeError);
  });
});

describe('rateLimitPerToken', () => {
  const appWith = (perMinute: number, now: () => number) => {
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('principal', {
        tokenId: c.req.header('x-token') ?? 't',
        workspaceId: 'w',
        role: 'viewer',
        name: 'n',
      });
      await next();
    });
    app.use('*', rateLimitPerToken(perMinute, now));
    app.get('/', (c) => c.json({ ok: true }));
    return app;
  };

  it('sends RateLimit headers and answers 429 problem+json with Retry-After when over', async () => {
    let now = 0;
    const app = appWith(2, () => now);
    const first = await app.request('/');
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Limit')).toBe('2');
    expect(first.headers.get('RateLimit-Remaining')).toBe('1');
    expect((await app.request('/')).status).toBe(200);
    const over = await app.request('/');
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(over.headers.get('Retry-After')).toBe('30');
    expect(over.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await over.json()).code).toBe('RATE_LIMITED');
    expect((await app.request('/', { headers: { 'x-token': 'other' } })).status).toBe(200);
    now += 30_000;
    expect((await app.request('/')).status).toBe(200);
  });

  it('is off at 0', async () => {
    const app = appWith(0, () => 0);
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('RateLimit-Limit')).toBeNull();
    }
  });
});
