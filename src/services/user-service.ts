// The rules for users: validation, hashing, and dropping cached credentials on every change.
import type { CredentialCache } from '../cache/credential-cache.js';
import { illegalArgument, validationFailed } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { PasswordHash, Store, UserRecord } from '../store/types.js';
import type { PasswordHasher } from './password-hasher.js';
import { RESERVED_USERNAMES, reservedUser } from './reserved-users.js';
import { passwordProblem, usernameProblem } from './user-validation.js';

export interface UserDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  readonly credentialCache: CredentialCache;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly fullName?: string | null;
  readonly email?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly enabled?: boolean;
}

export interface PutUser {
  readonly username: string;
  readonly password?: string;
  readonly passwordHash?: PasswordHash;
  readonly roles: readonly string[];
  readonly fullName?: string | null;
  readonly email?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly enabled?: boolean;
}

export class UserService {
  constructor(private readonly deps: UserDeps) {}

  /** A stored user, or a reserved one (which always exists, with its reserved roles). */
  async get(username: string): Promise<UserRecord | null> {
    const stored = await this.deps.store.users.get(username);
    return RESERVED_USERNAMES.has(username) ? reservedUser(username, stored, this.deps.clock.now()) : stored;
  }

  /** Only the users the store holds (the CLI's listing, like elasticsearch-users of its own file). */
  listStored(): Promise<UserRecord[]> {
    return this.deps.store.users.list();
  }

  /** The reserved users first (in Elasticsearch's order), then the stored ones by name. */
  async list(): Promise<UserRecord[]> {
    const stored = await this.deps.store.users.list();
    const byName = new Map(stored.map((user) => [user.username, user]));
    const now = this.deps.clock.now();
    const reserved = [...RESERVED_USERNAMES].map((name) => reservedUser(name, byName.get(name) ?? null, now) as UserRecord);
    return [...reserved, ...stored.filter((user) => !RESERVED_USERNAMES.has(user.username))];
  }

  count(): Promise<number> {
    return this.deps.store.users.count();
  }

  /** Creates a user; false when the username is taken. */
  async create(user: NewUser): Promise<boolean> {
    this.validate(user.username, user.password);
    const now = this.deps.clock.now();
    const inserted = await this.deps.store.users.insert({
      username: user.username,
      passwordHash: await this.deps.hasher.hash(user.password),
      roles: [...user.roles],
      fullName: user.fullName ?? null,
      email: user.email ?? null,
      metadata: user.metadata ?? {},
      enabled: user.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    });
    this.deps.credentialCache.invalidateUser(user.username);
    return inserted;
  }

  /** Sets a new password; false when the user does not exist. */
  async changePassword(username: string, password: string): Promise<boolean> {
    const problem = passwordProblem(password);
    if (problem) throw validationFailed([problem]);
    const passwordHash = await this.deps.hasher.hash(password);
    return this.update(username, (user) => ({ ...user, passwordHash }));
  }

  async setRoles(username: string, roles: readonly string[]): Promise<boolean> {
    if (RESERVED_USERNAMES.has(username)) throw validationFailed([`user [${username}] is reserved and only the password can be changed`]);
    return this.update(username, (user) => ({ ...user, roles: [...roles] }));
  }

  async setEnabled(username: string, enabled: boolean): Promise<boolean> {
    return this.update(username, (user) => ({ ...user, enabled }));
  }

  async delete(username: string): Promise<boolean> {
    const deleted = await this.deps.store.users.delete(username);
    this.deps.credentialCache.invalidateUser(username);
    return deleted;
  }

  /**
   * Creates or replaces a user (the user API's PUT). Without a password or hash, an existing user
   * keeps its password; a new user needs one. Returns whether the user was created.
   */
  async put(user: PutUser): Promise<{ created: boolean }> {
    const problems: string[] = [];
    const nameProblem = usernameProblem(user.username);
    if (nameProblem) problems.push(nameProblem);
    if (user.password !== undefined) {
      const problem = passwordProblem(user.password);
      if (problem) problems.push(problem);
    }
    if (Object.keys(user.metadata ?? {}).some((key) => key.startsWith('_'))) problems.push('metadata keys may not start with [_]');
    if (problems.length > 0) throw validationFailed(problems);
    const current = await this.deps.store.users.get(user.username);
    let passwordHash = user.passwordHash;
    if (passwordHash === undefined && user.password !== undefined) passwordHash = await this.deps.hasher.hash(user.password);
    passwordHash ??= current?.passwordHash;
    if (passwordHash === undefined) throw validationFailed(['password must be specified unless you are updating an existing user']);
    const now = this.deps.clock.now();
    const result = await this.deps.store.users.put({
      username: user.username,
      passwordHash,
      roles: [...user.roles],
      fullName: user.fullName ?? null,
      email: user.email ?? null,
      metadata: user.metadata ?? {},
      enabled: user.enabled ?? true,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    });
    this.deps.credentialCache.invalidateUser(user.username);
    return result;
  }

  /** Stores a ready hash (the password API's password_hash); false when the user does not exist. */
  async setPasswordHash(username: string, passwordHash: PasswordHash): Promise<boolean> {
    return this.update(username, (user) => ({ ...user, passwordHash }));
  }

  private async update(username: string, change: (user: UserRecord) => UserRecord): Promise<boolean> {
    const stored = await this.deps.store.users.get(username);
    const now = this.deps.clock.now();
    // A reserved user is stored the first time its password or enabled state is set.
    const current = RESERVED_USERNAMES.has(username) ? reservedUser(username, stored, now) : stored;
    if (!current) return false;
    const next = { ...change(current), updatedAt: now };
    // update, not put: a user another process deleted since the read is not brought back.
    const updated = stored === null ? (await this.deps.store.users.insert(next)) || (await this.deps.store.users.update(next)) : await this.deps.store.users.update(next);
    this.deps.credentialCache.invalidateUser(username);
    return updated;
  }

  private validate(username: string, password: string): void {
    const problems = [usernameProblem(username), passwordProblem(password)].filter((p): p is string => p !== null);
    if (problems.length > 0) throw validationFailed(problems);
    if (username.startsWith('_')) throw illegalArgument(`username [${username}] is reserved and may not be used`);
  }
}
