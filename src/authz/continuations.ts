// Scroll ids, point-in-time ids and async-search ids belong to the identity that received them from
// the upstream. esgate records that binding from the upstream's answers and refuses anyone else, as
// Elasticsearch's SecuritySearchOperationListener does. Bindings live in the store, so an id
// received through one instance continues through any other and after a restart; each instance
// keeps the bindings it has seen in a bounded map, so a continuation costs one store read at most.
// Ids are kept as SHA-256 digests (the same on every instance), never as the ids themselves.
import { createHash } from 'node:crypto';
import type { Clock } from '../runtime/clock.js';
import type { Authentication } from '../services/authentication.js';
import type { ContinuationBinding, ContinuationKind, ContinuationRepository } from '../store/types.js';

export type { ContinuationKind } from '../store/types.js';

const MAX_IDS = 100_000;
/** Longest keep-alive Elasticsearch accepts for a scroll by default (search.max_keep_alive). */
const DEFAULT_TTL_MS = 24 * 3_600_000;
/** Most ids of one request looked up in the store; the rest count as unknown (404). */
const MAX_LOOKUPS = 64;

/** Who an id belongs to: the same user through the same realm, or the same API key. */
export function identityKey(authentication: Authentication): string {
  const subject = authentication.authenticatingUser ?? authentication.user;
  if (authentication.apiKey) return `api_key\u0000${authentication.apiKey.id}`;
  return `${authentication.authenticationRealm.name}\u0000${subject.username}\u0000${authentication.user.username}`;
}

/** The continuation targets of a classified request (classify.ts), as far as bindings go. */
export type ContinuationTargets = { readonly kind: 'scroll'; readonly ids: readonly string[] } | { readonly kind: 'pit' | 'async_search'; readonly id: string } | { readonly kind: string };

/** The owner as stored: a digest of the identity key (which separates its parts with NUL, which PostgreSQL text cannot hold). */
function ownerOf(authentication: Authentication): string {
  return createHash('sha256').update(identityKey(authentication)).digest('base64url');
}

export interface ContinuationLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export class ContinuationRegistry {
  private readonly known = new Map<string, ContinuationBinding>();

  constructor(
    private readonly clock: Clock,
    private readonly store: ContinuationRepository,
    private readonly logger: ContinuationLogger,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  private digest(kind: ContinuationKind, id: string): string {
    return createHash('sha256').update(kind).update('\u0000').update(id).digest('base64url');
  }

  private remember(key: string, binding: ContinuationBinding): void {
    this.known.delete(key);
    if (this.known.size >= MAX_IDS) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(key, binding);
  }

  /**
   * Binds `id` to `authentication`; resolves once the binding is durable (the answer carrying the id
   * is held until then, so another instance finds it). An id already bound to another identity keeps
   * its owner: the upstream issues each id once, so a second identity can only have met it quoted in
   * an answer (a document field `"id"` in a completed async search) and must not take it.
   */
  async record(kind: ContinuationKind, id: string, authentication: Authentication): Promise<void> {
    const key = this.digest(kind, id);
    const now = this.clock.now();
    const wanted = { owner: ownerOf(authentication), expiresAt: now + this.ttlMs };
    const current = this.known.get(key);
    if (current !== undefined && current.expiresAt > now && current.owner !== wanted.owner) return;
    this.remember(key, wanted);
    try {
      this.remember(key, await this.store.bind(kind, key, wanted, now));
    } catch (err) {
      // This instance still knows the binding; other instances answer 404 for the id (never let anyone else in).
      this.logger.warn({ err, kind }, 'continuation binding not stored; other instances will not accept this id');
    }
  }

  /** Reads the bindings of the request's ids this instance has not seen from the store (isOwner stays synchronous). */
  async load(targets: ContinuationTargets): Promise<void> {
    const wanted: Array<[ContinuationKind, string]> = [];
    if (targets.kind === 'scroll' && 'ids' in targets) for (const id of targets.ids) wanted.push(['scroll', id]);
    else if ((targets.kind === 'pit' || targets.kind === 'async_search') && 'id' in targets) wanted.push([targets.kind, targets.id]);
    const now = this.clock.now();
    let lookups = 0;
    for (const [kind, id] of wanted) {
      const key = this.digest(kind, id);
      const known = this.known.get(key);
      if ((known !== undefined && known.expiresAt > now) || lookups >= MAX_LOOKUPS) continue;
      lookups++;
      const stored = await this.store.get(kind, key, now);
      if (stored !== null) this.remember(key, stored);
    }
  }

  /** Whether `authentication` may continue with `id`; unknown or expired ids belong to no one. */
  isOwner(kind: ContinuationKind, id: string, authentication: Authentication): boolean {
    const key = this.digest(kind, id);
    const entry = this.known.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt <= this.clock.now()) {
      this.known.delete(key);
      return false;
    }
    return entry.owner === ownerOf(authentication);
  }
}
