/**
 * A small in-process cache with a time to live, for API answers that are read far more often than
 * they change (trend series, token lookups). Concurrent misses of one key share a single computation,
 * so an expired entry under load costs one database read, not one per waiting request. Failed
 * computations are not kept. Entries are bounded: beyond `maxEntries` the oldest is dropped.
 *
 * With `staleMs`, an expired entry is still answered for that long while one background refresh
 * replaces it, so under load nobody waits for the refresh (the answer is then at most `ttlMs` plus
 * the refresh's duration old). Without it every caller waits for the recomputation.
 */
interface Entry<V> {
  expiresMs: number;
  value: Promise<V>;
  /** Set once `value` resolved: only a settled value may be served stale. */
  settled: boolean;
  refreshing: boolean;
}

export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    /** 0 (or less) turns the cache off: every call computes. */
    readonly ttlMs: number,
    readonly maxEntries = 1000,
    private readonly nowMs: () => number = Date.now,
    readonly staleMs = 0,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value cached under `key`, or `compute()`'s, which is then kept for `ttlMs`. */
  get(key: string, compute: () => Promise<V>): Promise<V> {
    if (!this.enabled) return compute();
    const now = this.nowMs();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresMs > now) return hit.value;
    if (hit?.settled && hit.expiresMs + this.staleMs > now) {
      if (!hit.refreshing) this.#refresh(key, hit, compute);
      return hit.value;
    }
    if (hit) this.#entries.delete(key);
    else if (this.#entries.size >= this.maxEntries) this.#evict(now);
    return this.#store(key, compute(), now).value;
  }

  #store(key: string, value: Promise<V>, now: number): Entry<V> {
    const entry: Entry<V> = { expiresMs: now + this.ttlMs, value, settled: false, refreshing: false };
    this.#entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => this.#drop(key, entry),
    );
    return entry;
  }

  /** Recomputes in the background; the stale entry is replaced only by a successful result. */
  #refresh(key: string, stale: Entry<V>, compute: () => Promise<V>): void {
    stale.refreshing = true;
    compute().then(
      (v) => {
        if (this.#entries.get(key) === stale) this.#store(key, Promise.resolve(v), this.nowMs());
      },
      () => {
        stale.refreshing = false;
      },
    );
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  #drop(key: string, entry: Entry<V>): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }

  /** Drops expired entries, and the oldest one if all are fresh (a Map iterates in insertion order). */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresMs + this.staleMs <= now) this.#entries.delete(key);
    }
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
