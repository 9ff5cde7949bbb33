import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfterValue, retryAfterFromHeaders } from './retry.ts';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('retry timing', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfterValue('120', now)).toBe(120_000);
    expect(parseRetryAfterValue('Wed, 01 May 2024 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfterValue('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterValue('soon', now)).toBeUndefined();
  });

  it('reads RateLimit-Reset as a delay and X-RateLimit-Reset as a delay or a Unix time', () => {
    expect(retryAfterFromHeaders(new Headers({ 'ratelimit-reset': '42' }), now)).toBe(42_000);
    expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 90) }), now)).toBe(
      90_000,
    );
    expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': '15' }), now)).toBe(15_000);
    expect(retryAfterFromHeaders(new Headers({}), now)).toBeUndefined();
  });

  it('takes the longest wait when several headers speak', () => {
    const headers = new Headers({ 'retry-after': '5', 'ratelimit-reset': '30' });
    expect(retryAfterFromHeaders(headers, now)).toBe(30_000);
  });

  it('backs off exponentially within [half, full] of the step, capped', () => {
    expect(backoffDelay(0, 500, 10_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 10_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 500, 10_000, () => 1)).toBe(10_000);
  });
});
