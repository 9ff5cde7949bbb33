/**
 * A small in-process cache with a time to live, for API answers that are read far more often than
 * they change (trend series, token lookups). Concurrent misses of one key share a single computation,
 * so an expired entry under load costs one database read, not one per waiting request. Failed
 * computations are not kept. Entries are bounded: beyond `maxEntries` the oldest is dropped.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { expiresMs: number; value: Promise<V> }>();

  constructor(
    /** 0 (or less) turns the cache off: every call computes. */
    readonly ttlMs: number,
    readonly maxEntries = 1000,
    private readonly nowMs: () => number = Date.now,
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
    if (hit) this.#entries.delete(key);
    else if (this.#entries.size >= this.maxEntries) this.#evict(now);
    const entry = { expiresMs: now + this.ttlMs, value: compute() };
    this.#entries.set(key, entry);
    entry.value.catch(() => this.#drop(key, entry));
    return entry.value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  #drop(key: string, entry: { expiresMs: number; value: Promise<V> }): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }

  /** Drops expired entries, and the oldest one if all are fresh (a Map iterates in insertion order). */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresMs <= now) this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
