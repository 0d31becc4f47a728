/** A GET response kept so that a later `304 Not Modified` can be answered from memory. */
export interface CachedResponse {
  etag: string;
  data: unknown;
  headers: Record<string, string | number | undefined>;
  /** Approximate size, for the cache's byte bound. */
  bytes: number;
}

export interface EtagCacheLimits {
  /** Most responses kept; default 5000. */
  maxEntries?: number;
  /** Most bytes kept (JSON size of the bodies); default 64 MiB. */
  maxBytes?: number;
}

/**
 * Bounded least-recently-used store of GET responses with their ETag, keyed by the caller identity and the
 * full URL. Conditional requests answered with 304 cost no GitHub quota, which is what lets an unchanged
 * repository be polled for free.
 */
export class EtagCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private totalBytes = 0;

  constructor(limits: EtagCacheLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 5000;
    this.maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The entry for `key`, marking it recently used. */
  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    // A body larger than the whole budget would only evict everything else and then itself.
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(key, entry);
    this.totalBytes += entry.bytes;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.totalBytes -= old.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
