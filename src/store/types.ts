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

export interface Store {
  readonly kind: 'sqlite';
  readonly users: UserRepository;
  /**
   * A number that changes whenever another process (the CLI, another instance) committed a change.
   * Caches compare it to drop entries that such a change may have made stale. Synchronous and cheap.
   */
  externalVersion(): number;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
