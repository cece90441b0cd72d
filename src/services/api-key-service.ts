// The rules of API keys, as Elasticsearch's ApiKeyService applies them: creation with the owner's
// limited_by snapshot, derived keys, authentication in Elasticsearch's validation order with a cache
// of verified keys, invalidation, update (owner only, re-snapshot), and the retention purge.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EsError } from '../errors/es-error.js';
import { illegalArgument, resourceNotFound } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/random.js';
import type { ApiKeyRecord, ApiKeySearch, ApiKeySearchResult, Store } from '../store/types.js';
import { digestApiKeySecret, encodeApiKey, newApiKeyId, newApiKeySecret, verifyApiKeySecret } from './api-key-crypto.js';
import { grantsNothing, type ApiKeyFields, type NamedDescriptors, type NewApiKeyFields } from './api-key-validation.js';
import type { Authentication } from './authentication.js';
import type { RealmRef } from './reserved-users.js';
import type { RoleDescriptor } from './role-descriptor.js';
import type { RoleService } from './role-service.js';
import { SERVICE_ACCOUNTS } from './service-accounts.js';

export const API_KEY_REALM: RealmRef = Object.freeze({ name: '_es_api_key', type: '_es_api_key' });

export interface ApiKeyServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly roles: Pick<RoleService, 'get'>;
  /** api_key.delete.retention_period: expired/invalidated keys stay readable this long. */
  readonly retentionMs: number;
  readonly cacheTtlMs: number;
  readonly cacheMaxKeys: number;
}

export interface ApiKeyOwner {
  readonly username: string;
  readonly realmName: string;
  readonly realmType: string;
}

export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly expiration?: number;
  readonly api_key: string;
  readonly encoded: string;
}

export type ApiKeyCheck =
  | { readonly status: 'valid'; readonly authentication: Authentication }
  /** The message Elasticsearch records for the 401's additional_unsuccessful_credentials. */
  | { readonly status: 'failed'; readonly message: string };

interface CachedKey {
  readonly presented: Buffer;
  readonly authentication: Authentication;
  readonly expiresAt: number | null;
  usedAt: number;
}

type StoredDescriptors = ApiKeyRecord['roleDescriptors'];

const toStored = (descriptors: NamedDescriptors): StoredDescriptors =>
  descriptors.map(([name, descriptor]) => [name, descriptor as unknown as Record<string, unknown>] as const);
const fromStored = (descriptors: StoredDescriptors): RoleDescriptor[] => descriptors.map(([, d]) => d as unknown as RoleDescriptor);

const DERIVED_KEY_MESSAGE = 'creating derived api keys requires an explicit role descriptor that is empty (has no privileges)';

/** Who owns the keys a caller creates: the user and its realm (for an API key caller, its owner's). */
export function ownerOf(caller: Authentication): ApiKeyOwner {
  const realm = caller.apiKey?.ownerRealm ?? caller.lookupRealm;
  return { username: caller.user.username, realmName: realm.name, realmType: realm.type };
}

export function isOwnedBy(record: ApiKeyRecord, owner: ApiKeyOwner): boolean {
  return record.username === owner.username && record.realmName === owner.realmName;
}

export class ApiKeyService {
  private readonly cache = new Map<string, CachedKey>();
  /** Verifications answered from the cache, and not (metrics). */
  cacheHits = 0;
  cacheMisses = 0;
  private readonly expirations = new WeakMap<Authentication, number>();
  /** Bumped by every invalidation, so a verification that raced one is not cached. */
  private generation = 0;
  private seenVersion: number;
  /** Per-process key of the cache's digest of presented secrets (never the secret itself). */
  private readonly cacheKey: Buffer;

  constructor(private readonly deps: ApiKeyServiceDeps) {
    this.seenVersion = deps.store.externalVersion();
    this.cacheKey = deps.random.bytes(32);
  }

  /** The owner's current role descriptors by name (the limited_by snapshot). */
  private async snapshot(caller: Authentication): Promise<StoredDescriptors> {
    if (caller.apiKey !== undefined) {
      // A derived key is limited by what its parent key could do.
      const parent = await this.deps.store.apiKeys.get(caller.apiKey.id);
      if (parent === null) return [];
      return parent.roleDescriptors.length > 0 ? parent.roleDescriptors : parent.limitedBy;
    }
    // A service account's keys are limited by its fixed descriptor (Elasticsearch names it after the account).
    const account = caller.serviceAccount === undefined ? undefined : SERVICE_ACCOUNTS.get(caller.serviceAccount.principal);
    if (account !== undefined) return [[account.principal, account.roleDescriptor as unknown as Record<string, unknown>]];
    const out: Array<readonly [string, Record<string, unknown>]> = [];
    for (const name of caller.user.roles) {
      const descriptor = await this.deps.roles.get(name);
      if (descriptor !== null) out.push([name, descriptor as unknown as Record<string, unknown>]);
    }
    return out;
  }

  /** Creates a key owned by `caller` (the authenticated user, or the granted one). */
  async create(caller: Authentication, fields: NewApiKeyFields): Promise<CreatedApiKey> {
    if (caller.type === 'api_key') {
      const descriptors = fields.roleDescriptors ?? [];
      if (descriptors.length === 0 || !descriptors.every(([, d]) => grantsNothing(d))) throw illegalArgument(DERIVED_KEY_MESSAGE);
    }
    const { random, clock, store } = this.deps;
    const now = clock.now();
    const id = newApiKeyId(random);
    const secret = newApiKeySecret(random);
    const owner = ownerOf(caller);
    const expiresAt = fields.expirationMs === undefined ? null : now + fields.expirationMs;
    await store.apiKeys.insert({
      id,
      name: fields.name,
      digest: digestApiKeySecret(secret, random),
      type: 'rest',
      createdAt: now,
      expiresAt,
      invalidated: false,
      invalidatedAt: null,
      username: owner.username,
      realmName: owner.realmName,
      realmType: owner.realmType,
      fullName: caller.user.fullName,
      email: caller.user.email,
      userMetadata: caller.user.metadata,
      metadata: fields.metadata ?? {},
      roleDescriptors: toStored(fields.roleDescriptors ?? []),
      limitedBy: await this.snapshot(caller),
      version: 1,
    });
    return { id, name: fields.name, ...(expiresAt === null ? {} : { expiration: expiresAt }), api_key: secret, encoded: encodeApiKey(id, secret) };
  }

  /** Elasticsearch's validation order: exists → not invalidated → secret → not expired. */
  async authenticate(id: string, secret: string): Promise<ApiKeyCheck> {
    const now = this.deps.clock.now();
    this.checkExternalVersion();
    const presented = createHmac('sha256', this.cacheKey).update(secret, 'utf8').digest();
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      if (now - cached.usedAt > this.deps.cacheTtlMs) this.cache.delete(id);
      else if (timingSafeEqual(cached.presented, presented)) {
        if (cached.expiresAt !== null && now > cached.expiresAt) return { status: 'failed', message: 'api key is expired' };
        cached.usedAt = now;
        this.cacheHits++;
        return { status: 'valid', authentication: cached.authentication };
      }
    }
    this.cacheMisses++;
    const generation = this.generation;
    const record = await this.deps.store.apiKeys.get(id);
    if (record === null) return { status: 'failed', message: `unable to find apikey with id ${id}` };
    if (record.invalidated) return { status: 'failed', message: 'api key has been invalidated' };
    if (!verifyApiKeySecret(secret, record.digest)) return { status: 'failed', message: `invalid credentials for API key [${id}]` };
    if (record.expiresAt !== null && now > record.expiresAt) return { status: 'failed', message: 'api key is expired' };
    const authentication = this.authenticationOf(record);
    if (generation === this.generation && this.deps.cacheMaxKeys > 0 && this.deps.cacheTtlMs > 0) {
      if (this.cache.size >= this.deps.cacheMaxKeys) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(id, { presented, authentication, expiresAt: record.expiresAt, usedAt: now });
    }
    return { status: 'valid', authentication };
  }

  /** The expiry (epoch ms) of the key behind an API key authentication, if it expires. */
  expirationOf(authentication: Authentication | null): number | undefined {
    return authentication === null ? undefined : this.expirations.get(authentication);
  }

  private authenticationOf(record: ApiKeyRecord): Authentication {
    const authentication: Authentication = Object.freeze({
      user: Object.freeze({
        username: record.username,
        roles: Object.freeze([]),
        fullName: record.fullName,
        email: record.email,
        metadata: record.userMetadata,
        enabled: true,
      }),
      authenticationRealm: API_KEY_REALM,
      lookupRealm: API_KEY_REALM,
      type: 'api_key',
      scheme: 'apikey',
      apiKey: Object.freeze({
        id: record.id,
        name: record.name,
        roleDescriptors: Object.freeze(fromStored(record.roleDescriptors)),
        limitedBy: Object.freeze(fromStored(record.limitedBy)),
        ownerRealm: Object.freeze({ name: record.realmName, type: record.realmType }),
      }),
    });
    if (record.expiresAt !== null) this.expirations.set(authentication, record.expiresAt);
    return authentication;
  }

  search(search: ApiKeySearch): Promise<ApiKeySearchResult> {
    return this.deps.store.apiKeys.search(search);
  }

  get(id: string): Promise<ApiKeyRecord | null> {
    return this.deps.store.apiKeys.get(id);
  }

  /** Invalidates the keys; effective on the next request (their cache entries go now). */
  async invalidate(records: readonly ApiKeyRecord[]): Promise<{ invalidated: string[]; previouslyInvalidated: string[] }> {
    const previouslyInvalidated = records.filter((r) => r.invalidated).map((r) => r.id);
    const active = records.filter((r) => !r.invalidated).map((r) => r.id);
    this.evict(active);
    const changed = await this.deps.store.apiKeys.invalidate(active, this.deps.clock.now());
    this.evict(active);
    // A key invalidated by someone else meanwhile counts as previously invalidated.
    return { invalidated: changed, previouslyInvalidated: [...previouslyInvalidated, ...active.filter((id) => !changed.includes(id))] };
  }

  /**
   * Updates one of the caller's own keys (Elasticsearch's UpdateApiKey): new fields, a fresh
   * limited_by snapshot and the owner's current user fields. false: nothing changed.
   */
  async update(caller: Authentication, id: string, fields: ApiKeyFields): Promise<boolean> {
    if (caller.type === 'api_key') throw illegalArgument('authentication via API key not supported: only the owner user can update an API key');
    const now = this.deps.clock.now();
    const record = await this.deps.store.apiKeys.get(id);
    if (record === null || !isOwnedBy(record, ownerOf(caller))) throw resourceNotFound(`no API key owned by requesting user found for ID [${id}]`);
    if (record.invalidated) throw illegalArgument(`cannot update invalidated API key [${id}]`);
    if (record.expiresAt !== null && now > record.expiresAt) throw illegalArgument(`cannot update expired API key [${id}]`);
    const next: ApiKeyRecord = {
      ...record,
      expiresAt: fields.expirationMs === undefined ? record.expiresAt : now + fields.expirationMs,
      fullName: caller.user.fullName,
      email: caller.user.email,
      userMetadata: caller.user.metadata,
      metadata: fields.metadata ?? record.metadata,
      roleDescriptors: fields.roleDescriptors === undefined ? record.roleDescriptors : toStored(fields.roleDescriptors),
      limitedBy: await this.snapshot(caller),
      version: record.version + 1,
    };
    if (sameContent(record, next)) return false;
    this.evict([id]);
    const stored = await this.deps.store.apiKeys.update(next, record.version);
    this.evict([id]);
    if (!stored) {
      // Changed meanwhile: invalidated, or updated by a concurrent request (Elasticsearch: a version conflict).
      const current = await this.deps.store.apiKeys.get(id);
      if (current === null || current.invalidated) throw illegalArgument(`cannot update invalidated API key [${id}]`);
      throw new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, the API key was updated concurrently`);
    }
    return true;
  }

  /** Deletes keys that expired or were invalidated more than the retention period ago. */
  purgeRetired(limit: number): Promise<number> {
    return this.deps.store.apiKeys.deleteRetiredBefore(this.deps.clock.now() - this.deps.retentionMs, limit);
  }

  /** POST /_security/api_key/{ids}/_clear_cache: the named keys, or every key for `*`. */
  clearCache(ids: readonly string[]): void {
    if (ids.includes('*')) {
      this.generation += 1;
      this.cache.clear();
    } else this.evict(ids);
  }

  private evict(ids: readonly string[]): void {
    this.generation += 1;
    for (const id of ids) this.cache.delete(id);
  }

  private checkExternalVersion(): void {
    const version = this.deps.store.externalVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.generation += 1;
      this.cache.clear();
    }
  }
}

function sameContent(a: ApiKeyRecord, b: ApiKeyRecord): boolean {
  const view = (r: ApiKeyRecord) =>
    JSON.stringify([r.expiresAt, r.fullName, r.email, r.userMetadata, r.metadata, r.roleDescriptors, r.limitedBy]);
  return view(a) === view(b);
}
