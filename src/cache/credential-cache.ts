// Successful username/password authentications, keyed by a keyed digest of both, so argon2 runs
// only on a miss. Entries are dropped per user by the services, and all at once when another
// process (the CLI, another instance) changed the store.
import type { Clock } from '../runtime/clock.js';
import { TtlCache } from './cache.js';
import type { KeyedDigest } from './keyed-digest.js';

export class CredentialCache<V = unknown> {
  private readonly cache: TtlCache<V>;
  private seenVersion: number;

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

  get(key: string): V | undefined {
    const version = this.externalVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.cache.clear();
      return undefined;
    }
    return this.cache.get(key);
  }

  set(key: string, username: string, value: V): void {
    this.cache.set(key, username, value);
  }

  invalidateUser(username: string): void {
    this.cache.invalidate(username);
  }

  clear(): void {
    this.cache.clear();
  }
}
