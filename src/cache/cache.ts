// A bounded TTL cache with tags, so services can drop every entry that concerns one user or key.
// Keys are expected to be keyed digests (see keyed-digest.ts), never raw credentials.
import type { Clock } from '../runtime/clock.js';

interface Entry<V> {
  value: V;
  expiresAt: number;
  tag: string;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly byTag = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.delete(key, entry);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, tag: string, value: V): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.delete(key, previous);
    if (this.entries.size >= this.maxEntries) {
      // Map iteration order is insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.delete(oldest.value, this.entries.get(oldest.value) as Entry<V>);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.ttlMs, tag });
    let keys = this.byTag.get(tag);
    if (keys === undefined) {
      keys = new Set();
      this.byTag.set(tag, keys);
    }
    keys.add(key);
  }

  /** Drops every entry stored under `tag` (e.g. a username). */
  invalidate(tag: string): void {
    const keys = this.byTag.get(tag);
    if (keys === undefined) return;
    for (const key of keys) this.entries.delete(key);
    this.byTag.delete(tag);
  }

  clear(): void {
    this.entries.clear();
    this.byTag.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    const keys = this.byTag.get(entry.tag);
    keys?.delete(key);
    if (keys?.size === 0) this.byTag.delete(entry.tag);
  }
}
