// A bounded TTL cache with least-recently-used eviction, for the answers many sites share (the
// addresses of a provider's name servers and mail hosts, popular SPF include targets). A Map keeps
// insertion order, which is all an LRU needs: a hit is re-inserted at the end, eviction takes the
// first key. Small enough that a dependency (lru-cache) would add more surface than it saves.

export class TtlLruCache<V> {
  private readonly entries = new Map<string, { expiresAt: number; value: V }>();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.misses++;
      return undefined;
    }
    this.entries.set(key, entry);
    this.hits++;
    return entry.value;
  }

  set(key: string, value: V, ttlSeconds: number): void {
    if (this.maxEntries <= 0 || !(ttlSeconds > 0)) return;
    this.entries.delete(key);
    this.entries.set(key, { expiresAt: this.now() + ttlSeconds * 1000, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions++;
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
