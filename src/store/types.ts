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
}

export interface Store {
  readonly kind: 'sqlite';
  readonly users: UserRepository;
  readonly roles: RoleRepository;
  readonly tokens: TokenRepository;
  /**
   * A number that changes whenever another process (the CLI, another instance) committed a change.
   * Caches compare it to drop entries that such a change may have made stale. Synchronous and cheap.
   */
  externalVersion(): number;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
