// Successful username/password authentications, keyed by a keyed digest of both, so argon2 runs
// only on a miss. Entries are dropped per user by the services, and all at once when another
// process (the CLI, another instance) changed the store.
import type { Clock } from '../runtime/clock.js';
import { TtlCache } from './cache.js';
import type { KeyedDigest } from './keyed-digest.js';

/** Misses remembered while their verification runs; beyond this, the oldest is forgotten (and not cached). */
const MAX_PENDING = 4096;

export class CredentialCache<V = unknown> {
  private readonly cache: TtlCache<V>;
  private seenVersion: number;
  /** Bumped by every invalidation, so a verification that raced one does not cache a stale result. */
  private generation = 0;
  /** key → generation at the miss that started its verification. */
  private readonly pending = new Map<string, number>();

  constructor(
    clock: Clock,
    ttlMs: number,
    maxEntries: number,
    private readonly digest: KeyedDigest,
    private readonly externalVersion: () => number,
  ) {
    this.cache = new TtlCache<V>(clock, ttlMs, maxEntries);
    this.seenVersion = externalVersion();
  }

  keyFor(username: string, password: string): string {
    return this.digest(username, password);
  }

  /** Lookups answered from the cache, and not (metrics). */
  hits = 0;
  misses = 0;

  get(key: string): V | undefined {
    this.checkExternalVersion();
    const value = this.cache.get(key);
    if (value !== undefined) this.hits++;
    else this.misses++;
    if (value === undefined) {
      this.pending.delete(key);
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
      this.pending.set(key, this.generation);
    }
    return value;
  }

  /**
   * Caches a verified result for `key`, unless the user (or the store) changed after the miss that
   * started the verification: a password change must not be undone by a slow argon2 run.
   */
  set(key: string, username: string, value: V): void {
    const since = this.pending.get(key);
    this.pending.delete(key);
    this.checkExternalVersion();
    if (since === undefined || since !== this.generation) return;
    this.cache.set(key, username, value);
  }

  invalidateUser(username: string): void {
    this.generation += 1;
    this.cache.invalidate(username);
  }

  clear(): void {
    this.generation += 1;
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }

  private checkExternalVersion(): void {
    const version = this.externalVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.clear();
    }
  }
}
