import { describe, expect, it } from 'vitest';
import { HostLimiter, hostKey } from './host-limiter.ts';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('HostLimiter', () => {
  it('admits up to the limit per host, then first come first served; a failed task frees its slot', async () => {
    const limiter = new HostLimiter(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const run = (host: string, name: string) =>
      limiter
        .run(host, () => {
          started.push(name);
          const gate = deferred();
          gates.set(name, gate);
          return gate.promise;
        })
        .catch(() => undefined);
    const all = [run('a', 'a1'), run('a', 'a2'), run('a', 'a3'), run('a', 'a4'), run('b', 'b1')];
    await Promise.resolve();
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(limiter.active('a')).toBe(2);
    gates.get('a2')?.reject(new Error('boom'));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    gates.get('a1')?.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    for (const name of ['a3', 'a4', 'b1']) gates.get(name)?.resolve();
    await Promise.all(all);
    expect(limiter.active('a')).toBe(0);
    expect(limiter.active('b')).toBe(0);
  });

  it('rejects a limit below 1', () => {
    expect(() => new HostLimiter(0)).toThrow(RangeError);
  });

  it('keys by lower-cased host name and effective port', () => {
    expect(hostKey(new URL('https://API.example.com/x'))).toBe('api.example.com:443');
    expect(hostKey(new URL('http://api.example.com/x'))).toBe('api.example.com:80');
    expect(hostKey(new URL('http://api.example.com:8080/x'))).toBe('api.example.com:8080');
    expect(hostKey(new URL('http://[::1]:9/x'))).toBe('[::1]:9');
  });
});
