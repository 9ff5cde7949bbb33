/**
 * At most `limit` requests in flight per host. Several sources often point at one upstream (ten
 * subreddits, twenty Google Alerts); without a per-host cap the scheduler's concurrency lands on a
 * single server at once. Waiters are served first come, first served.
 */
export class HostLimiter {
  readonly #limit: number;
  readonly #active = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('per-host limit must be an integer >= 1');
    this.#limit = limit;
  }

  /** Runs `task` once a slot for `host` is free, and frees the slot when it settles. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await this.#acquire(host);
    try {
      return await task();
    } finally {
      this.#release(host);
    }
  }

  /** Requests in flight for `host` (for tests and debugging). */
  active(host: string): number {
    return this.#active.get(host) ?? 0;
  }

  #acquire(host: string): Promise<void> {
    const n = this.#active.get(host) ?? 0;
    if (n < this.#limit) {
      this.#active.set(host, n + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.#waiting.get(host) ?? [];
      queue.push(resolve);
      this.#waiting.set(host, queue);
    });
  }

  #release(host: string): void {
    const queue = this.#waiting.get(host);
    const next = queue?.shift();
    if (next) {
      // The slot passes straight to the next waiter; the count stays the same.
      if (queue?.length === 0) this.#waiting.delete(host);
      next();
      return;
    }
    const n = (this.#active.get(host) ?? 1) - 1;
    if (n <= 0) this.#active.delete(host);
    else this.#active.set(host, n);
  }
}

/** The key requests are limited by: host name and port, lower-cased (`api.github.com:443`). */
export function hostKey(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname.toLowerCase()}:${port}`;
}
