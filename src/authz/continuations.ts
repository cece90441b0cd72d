// Scroll ids, point-in-time ids and async-search ids belong to the identity that received them from
// the upstream. esgate records that binding from the upstream's answers and refuses anyone else, as
// Elasticsearch's SecuritySearchOperationListener does. Kept in memory, keyed by a keyed digest of
// the id, bounded in number and time.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../runtime/clock.js';
import type { Authentication } from '../services/authentication.js';

const MAX_IDS = 100_000;
/** Longest keep-alive Elasticsearch accepts for a scroll by default (search.max_keep_alive). */
const DEFAULT_TTL_MS = 24 * 3_600_000;

export type ContinuationKind = 'scroll' | 'pit' | 'async_search';

/** Who an id belongs to: the same user through the same realm, or the same API key. */
export function identityKey(authentication: Authentication): string {
  const subject = authentication.authenticatingUser ?? authentication.user;
  if (authentication.apiKey) return `api_key\u0000${authentication.apiKey.id}`;
  return `${authentication.authenticationRealm.name}\u0000${subject.username}\u0000${authentication.user.username}`;
}

export class ContinuationRegistry {
  private readonly owners = new Map<string, { owner: string; expiresAt: number }>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  private digest(kind: ContinuationKind, id: string): string {
    return createHmac('sha256', this.key).update(kind).update('\u0000').update(id).digest('base64url');
  }

  /**
   * Binds `id` to `authentication`. An id already bound to another identity keeps its owner: the
   * upstream issues each id once, so a second identity can only have met it quoted in an answer
   * (a document field `"id"` in a completed async search, read by the sniffer) and must not take it.
   */
  record(kind: ContinuationKind, id: string, authentication: Authentication): void {
    const key = this.digest(kind, id);
    const current = this.owners.get(key);
    const owner = identityKey(authentication);
    if (current !== undefined && current.expiresAt > this.clock.now() && current.owner !== owner) return;
    this.owners.delete(key);
    if (this.owners.size >= MAX_IDS) {
      const oldest = this.owners.keys().next();
      if (!oldest.done) this.owners.delete(oldest.value);
    }
    this.owners.set(key, { owner, expiresAt: this.clock.now() + this.ttlMs });
  }

  /** Whether `authentication` may continue with `id`; unknown or expired ids belong to no one. */
  isOwner(kind: ContinuationKind, id: string, authentication: Authentication): boolean {
    const key = this.digest(kind, id);
    const entry = this.owners.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt <= this.clock.now()) {
      this.owners.delete(key);
      return false;
    }
    return entry.owner === identityKey(authentication);
  }

  forget(kind: ContinuationKind, id: string): void {
    this.owners.delete(this.digest(kind, id));
  }
}
