import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

describe('TtlCache', () => {
  it('keeps a value for its time to live, then computes again', async () => {
    let now = 0;
    let calls = 0;
    const cache = new TtlCache<number>(1000, 10, () => now);
    const compute = async () => ++calls;
    expect(await cache.get('a', compute)).toBe(1);
    now = 999;
    expect(await cache.get('a', compute)).toBe(1);
    now = 1000;
    expect(await cache.get('a', compute)).toBe(2);
    expect(await cache.get('b', compute)).toBe(3);
  });

  it('shares one computation between concurrent misses and forgets failures', async () => {
    const cache = new TtlCache<string>(1000);
    let calls = 0;
    let release: (v: string) => void = () => {};
    const slow = () => {
      calls++;
      return new Promise<string>((r) => {
        release = r;
      });
    };
    const waiting = [cache.get('k', slow), cache.get('k', slow), cache.get('k', slow)];
    release('done');
    expect(await Promise.all(waiting)).toEqual(['done', 'done', 'done']);
    expect(calls).toBe(1);

    await expect(cache.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('bad', async () => 'ok')).toBe('ok');
  });

  it('is off at ttl 0 and bounded by maxEntries', async () => {
    let calls = 0;
    const off = new TtlCache<number>(0);
    await off.get('a', async () => ++calls);
    await off.get('a', async () => ++calls);
    expect([calls, off.size]).toEqual([2, 0]);

    const small = new TtlCache<number>(60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) await small.get(k, async () => 1);
    expect(small.size).toBe(3);
    let recomputed = false;
    await small.get('a', async () => {
      recomputed = true;
      return 2;
    });
    expect(recomputed).toBe(true);
    small.clear();
    expect(small.size).toBe(0);
  });
});

describe('TtlCache with a stale window', () => {
  it('answers the expired value while one background refresh replaces it', async () => {
    let now = 0;
    let calls = 0;
    const cache = new TtlCache<number>(1000, 10, () => now, 5000);
    let release: () => void = () => {};
    const compute = () => {
      calls++;
      if (calls === 1) return Promise.resolve(1);
      return new Promise<number>((r) => {
        release = () => r(calls);
      });
    };
    expect(await cache.get('k', compute)).toBe(1);
    now = 1500;
    expect(await cache.get('k', compute)).toBe(1);
    expect(await cache.get('k', compute)).toBe(1);
    expect(calls).toBe(2);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', compute)).toBe(2);
    // Past the stale window the caller waits for a fresh value.
    now = 1500 + 1000 + 5000;
    const fresh = cache.get('k', async () => 42);
    expect(await fresh).toBe(42);
  });

  it('keeps serving the stale value when a refresh fails', async () => {
    let now = 0;
    const cache = new TtlCache<string>(1000, 10, () => now, 5000);
    await cache.get('k', async () => 'old');
    now = 2000;
    expect(await cache.get('k', () => Promise.reject(new Error('db down')))).toBe('old');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', async () => 'new')).toBe('old');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', async () => 'newer')).toBe('new');
  });
});
