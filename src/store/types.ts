// The store interface services see. Async so a PostgreSQL store can implement it unchanged;
// record types carry only digests and hashes of secrets, never the secrets themselves.

declare const passwordHashBrand: unique symbol;
/** An argon2id PHC string (`$argon2id$v=19$m=…`). */
export type PasswordHash = string & { readonly [passwordHashBrand]: true };

export interface UserRecord {
  readonly username: string;
  readonly passwordHash: PasswordHash;
  readonly roles: readonly string[];
  readonly fullName: string | null;
  readonly email: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface UserRepository {
  get(username: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
  /** Inserts or replaces the whole record; `created` tells which. */
  put(user: UserRecord): Promise<{ created: boolean }>;
  /** Inserts only; false when the username exists. */
  insert(user: UserRecord): Promise<boolean>;
  /** Replaces an existing user (created_at kept); false, and nothing created, when there is none. */
  update(user: UserRecord): Promise<boolean>;
  delete(username: string): Promise<boolean>;
}

export interface RoleRecord {
  readonly name: string;
  /** The canonical role descriptor JSON (services/role-descriptor.ts). */
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface RoleRepository {
  get(name: string): Promise<RoleRecord | null>;
  list(): Promise<RoleRecord[]>;
  /** Inserts or replaces; created_at survives a replace. */
  put(role: RoleRecord): Promise<{ created: boolean }>;
  delete(name: string): Promise<boolean>;
}

declare const tokenDigestBrand: unique symbol;
/** base64url(SHA-256(token)): what the store keeps of an access or refresh token. */
export type TokenDigest = string & { readonly [tokenDigestBrand]: true };

declare const sealedTokensBrand: unique symbol;
/** A successor token pair, AES-256-GCM encrypted under a key derived from the refresh token it replaced. */
export type SealedTokens = string & { readonly [sealedTokensBrand]: true };

/** Who called the token API for a token; only that client may refresh it. */
export interface TokenClientRef {
  readonly username: string;
  readonly realmName: string;
  readonly realmType: string;
  readonly apiKeyId: string | null;
}

/** One access token and its optional refresh token (Elasticsearch's token document). */
export interface TokenRecord {
  readonly accessDigest: TokenDigest;
  /** null for client_credentials tokens, which have no refresh token. */
  readonly refreshDigest: TokenDigest | null;
  /** The user the token authenticates, and the realm that authenticated them. */
  readonly username: string;
  readonly realmName: string;
  readonly realmType: string;
  /** The authentication the token was created from, JSON-safe, without any secret. */
  readonly authentication: Readonly<Record<string, unknown>>;
  readonly client: TokenClientRef;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly accessExpiresAt: number;
  readonly accessInvalidated: boolean;
  readonly refreshInvalidated: boolean;
  /** When the refresh token was spent, and the pair that replaced it (for the 30 s reuse window). */
  readonly refreshedAt: number | null;
  readonly superseding: SealedTokens | null;
}

export interface TokenSuccessor {
  readonly record: TokenRecord;
  readonly superseding: SealedTokens;
  readonly refreshedAt: number;
}

export interface TokenRefreshOutcome {
  /** The refreshed record as it is after the call; null when no record has that refresh digest. */
  readonly current: TokenRecord | null;
  /** true when this call spent the refresh token and stored the successor. */
  readonly superseded: boolean;
}

export interface TokenInvalidationCount {
  readonly invalidated: number;
  readonly previouslyInvalidated: number;
}

export interface TokenRepository {
  insert(record: TokenRecord): Promise<void>;
  getByAccessDigest(digest: TokenDigest): Promise<TokenRecord | null>;
  getByRefreshDigest(digest: TokenDigest): Promise<TokenRecord | null>;
  /**
   * Atomically (one write transaction, or SELECT … FOR UPDATE): reads the record of `refreshDigest`;
   * when `supersede(current)` is true, stores the successor and marks the record refreshed.
   */
  refresh(refreshDigest: TokenDigest, successor: TokenSuccessor, supersede: (current: TokenRecord) => boolean): Promise<TokenRefreshOutcome>;
  /** null when no record has that digest. */
  invalidateAccess(digest: TokenDigest): Promise<TokenInvalidationCount | null>;
  invalidateRefresh(digest: TokenDigest): Promise<TokenInvalidationCount | null>;
  /**
   * Invalidates both tokens of every active record of a user and/or realm; each token counts. Active:
   * an access token not invalidated that expires at or after `now`, or a refresh token not invalidated
   * whose record was created at or after `refreshCreatedSince`.
   */
  invalidateActive(
    selector: { readonly username?: string; readonly realmName?: string },
    now: number,
    refreshCreatedSince: number,
  ): Promise<TokenInvalidationCount>;
  /** Deletes at most `limit` records created before `cutoff`; returns how many. */
  deleteCreatedBefore(cutoff: number, limit: number): Promise<number>;
  /** Up to `limit` records created at or after `createdSince`, ordered by access digest, after `afterDigest` (copying a store). */
  list(createdSince: number, afterDigest: TokenDigest | null, limit: number): Promise<TokenRecord[]>;
  count(): Promise<number>;
}

declare const apiKeyDigestBrand: unique symbol;
/** `<salt>$<hash>` (both base64url): salted SHA-256 of an API key secret; never the secret itself. */
export type ApiKeyDigest = string & { readonly [apiKeyDigestBrand]: true };

/** One API key (Elasticsearch's api_key document). Role descriptors are stored in their parsed JSON form. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly digest: ApiKeyDigest;
  readonly type: 'rest';
  /** Epoch ms. */
  readonly createdAt: number;
  /** null: never expires. */
  readonly expiresAt: number | null;
  readonly invalidated: boolean;
  readonly invalidatedAt: number | null;
  /** The owner: principal and realm of the creating (or granted) user, and the user fields _authenticate shows. */
  readonly username: string;
  readonly realmName: string;
  readonly realmType: string;
  readonly fullName: string | null;
  readonly email: string | null;
  readonly userMetadata: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Role name → descriptor, in order. */
  readonly roleDescriptors: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]>;
  readonly limitedBy: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]>;
  /** Bumped by every update (the authentication cache compares it). */
  readonly version: number;
}

/** A parsed API key query (services/api-key-query.ts) the store translates with bound parameters. */
export type ApiKeyQueryField = 'id' | 'name' | 'type' | 'username' | 'realm_name' | 'creation' | 'expiration' | 'invalidated' | 'invalidation' | 'metadata' | `metadata.${string}`;
export type ApiKeyQueryValue = string | number | boolean;
export type ApiKeyQuery =
  | { readonly kind: 'match_all' }
  | { readonly kind: 'match_none' }
  | { readonly kind: 'bool'; readonly must: readonly ApiKeyQuery[]; readonly should: readonly ApiKeyQuery[]; readonly mustNot: readonly ApiKeyQuery[]; readonly minimumShouldMatch: number }
  | { readonly kind: 'terms'; readonly field: ApiKeyQueryField; readonly values: readonly ApiKeyQueryValue[]; readonly caseInsensitive?: boolean }
  | { readonly kind: 'prefix'; readonly field: ApiKeyQueryField; readonly value: string; readonly caseInsensitive?: boolean }
  /** `*` any run, `?` one character; everything else literal. */
  | { readonly kind: 'wildcard'; readonly field: ApiKeyQueryField; readonly value: string; readonly caseInsensitive?: boolean }
  | { readonly kind: 'range'; readonly field: ApiKeyQueryField; readonly gt?: ApiKeyQueryValue; readonly gte?: ApiKeyQueryValue; readonly lt?: ApiKeyQueryValue; readonly lte?: ApiKeyQueryValue }
  | { readonly kind: 'exists'; readonly field: ApiKeyQueryField };

export interface ApiKeySort {
  readonly field: ApiKeyQueryField | '_doc';
  readonly order: 'asc' | 'desc';
}

export interface ApiKeySearch {
  readonly query: ApiKeyQuery;
  readonly sort: readonly ApiKeySort[];
  readonly from: number;
  readonly size: number;
  /** Values of the sort fields of the last hit of the previous page. */
  readonly searchAfter?: readonly (ApiKeyQueryValue | null)[];
}

export interface ApiKeySearchResult {
  readonly total: number;
  readonly hits: ReadonlyArray<{ readonly record: ApiKeyRecord; readonly sort: readonly (ApiKeyQueryValue | null)[] }>;
}

export interface ApiKeyRepository {
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  search(search: ApiKeySearch): Promise<ApiKeySearchResult>;
  /** Replaces the mutable fields when the stored version is `expectedVersion`; false otherwise. */
  update(record: ApiKeyRecord, expectedVersion: number): Promise<boolean>;
  /** Marks the keys invalidated (those not already); returns the ids it changed. */
  invalidate(ids: readonly string[], now: number): Promise<string[]>;
  /** Deletes at most `limit` keys expired or invalidated before `cutoff`; returns how many. */
  deleteRetiredBefore(cutoff: number, limit: number): Promise<number>;
}

/** A key pair that signs the ECE login's JWTs (services/jwt-service.ts); JWKs as JSON text. */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly algorithm: string;
  /** The private JWK: the store is where the issue keeps it; the data directory must stay private. */
  readonly privateJwk: string;
  readonly publicJwk: string;
  readonly createdAt: number;
  /** When a newer key replaced it (it still verifies until its JWTs expired); null for the signing key. */
  readonly retiredAt: number | null;
}

export interface SigningKeyRepository {
  /** Newest first. */
  list(): Promise<SigningKeyRecord[]>;
  /**
   * In one transaction: retires the current key(s), inserts `next` as the signing key, and deletes
   * keys retired before `dropRetiredBefore`. With `onlyIfNone`, does nothing when a key exists
   * (first start of several instances at once).
   */
  rotate(next: SigningKeyRecord, dropRetiredBefore: number, onlyIfNone?: boolean): Promise<boolean>;
}

export type ContinuationKind = 'scroll' | 'pit' | 'async_search';

/** Who received a scroll, PIT or async-search id; the id itself is kept only as a keyed digest. */
export interface ContinuationBinding {
  readonly owner: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface ContinuationRepository {
  /**
   * Binds the id to `owner` unless a live binding to another owner exists (that one is kept).
   * Returns the binding in force after the call.
   */
  bind(kind: ContinuationKind, digest: string, binding: ContinuationBinding, now: number): Promise<ContinuationBinding>;
  /** The live binding of the id, or null (unknown or expired at `now`). */
  get(kind: ContinuationKind, digest: string, now: number): Promise<ContinuationBinding | null>;
  delete(kind: ContinuationKind, digest: string): Promise<boolean>;
  /** Deletes at most `limit` bindings expired before `now`; returns how many. */
  deleteExpired(now: number, limit: number): Promise<number>;
}

/** One service account token of the store (Elasticsearch's `service_account_token` document). */
export interface ServiceTokenRecord {
  /** The service account's principal, `namespace/service` (e.g. `elastic/kibana`). */
  readonly accountId: string;
  readonly name: string;
  /** Salted digest of the secret, as for API keys; never the secret itself. */
  readonly digest: ApiKeyDigest;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Who created it: principal and realm name (kept as Elasticsearch keeps `creator`). */
  readonly creator: { readonly principal: string; readonly realm: string };
}

export interface ServiceTokenRepository {
  /** Inserts only; false when the account already has a token of that name. */
  insert(record: ServiceTokenRecord): Promise<boolean>;
  get(accountId: string, name: string): Promise<ServiceTokenRecord | null>;
  /** The account's tokens sorted by name. */
  list(accountId: string): Promise<ServiceTokenRecord[]>;
  delete(accountId: string, name: string): Promise<boolean>;
}

/** One application privilege (Elasticsearch's ApplicationPrivilegeDescriptor): a named set of actions. */
export interface ApplicationPrivilegeRecord {
  readonly application: string;
  readonly name: string;
  readonly actions: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface ApplicationPrivilegeRepository {
  /** Inserts or replaces; `created` tells which. */
  put(record: ApplicationPrivilegeRecord): Promise<{ created: boolean }>;
  /** Every privilege, or those of the given applications, sorted by application then name. */
  list(applications?: readonly string[]): Promise<ApplicationPrivilegeRecord[]>;
  delete(application: string, name: string): Promise<boolean>;
}

/** A user profile (Elasticsearch's `.security-profile` document), tied to a username and realm. */
export interface ProfileRecord {
  readonly uid: string;
  readonly enabled: boolean;
  /** Epoch ms of the last activation. */
  readonly lastSynchronized: number;
  readonly user: {
    readonly username: string;
    readonly realmName: string;
    readonly realmType: string;
    readonly roles: readonly string[];
    readonly fullName: string | null;
    readonly email: string | null;
  };
  readonly labels: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** Bumped by every write (shown as `_doc._seq_no`). */
  readonly seqNo: number;
}

export interface ProfileRepository {
  get(uid: string): Promise<ProfileRecord | null>;
  /** Inserts or replaces the whole record. */
  put(record: ProfileRecord): Promise<void>;
  /**
   * Enabled profiles whose username, full name or email starts with `name` (case-insensitive; every
   * enabled profile for ''), by username, at most `limit`; `total` counts all matches.
   */
  suggest(name: string, limit: number): Promise<{ total: number; profiles: ProfileRecord[] }>;
}

/** A role mapping (Elasticsearch's ExpressionRoleMapping), kept as its canonical JSON. */
export interface RoleMappingRecord {
  readonly name: string;
  /** `{enabled, roles | role_templates, rules, metadata}` */
  readonly mapping: Readonly<Record<string, unknown>>;
}

export interface RoleMappingRepository {
  get(name: string): Promise<RoleMappingRecord | null>;
  /** Sorted by name. */
  list(): Promise<RoleMappingRecord[]>;
  put(record: RoleMappingRecord): Promise<{ created: boolean }>;
  delete(name: string): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly tokens: TokenRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly continuations: ContinuationRepository;
  /**
   * Claims the run of a housekeeping job for the whole fleet: true for exactly one caller per
   * `intervalMs` (always true for a store only one instance uses).
   */
  claimJob(name: string, intervalMs: number): Promise<boolean>;
  /**
   * Removes at most `limit` change-feed rows (and heartbeats of long-gone instances) older than
   * `olderThanMs`; returns how many feed rows. An instance further behind finds a gap and clears its caches.
   */
  trimChanges(olderThanMs: number, limit: number): Promise<number>;
  readonly serviceTokens: ServiceTokenRepository;
  readonly applicationPrivileges: ApplicationPrivilegeRepository;
  readonly profiles: ProfileRepository;
  readonly roleMappings: RoleMappingRepository;
  /**
   * A number that changes whenever another process (the CLI, another instance) committed a change,
   * seen within a millisecond. Caches compare it to drop entries that such a change may have made
   * stale. Synchronous and cheap.
   */
  externalVersion(): number;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  /** Writes a consistent copy of the whole store to a file (mode 0600), while the store serves. */
  backup(destination: string): Promise<void>;
  close(): Promise<void>;
}
