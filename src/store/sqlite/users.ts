// All SQL of the users table.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import { userFromRow as toRecord, type UserRow } from '../rows.js';
import type { UserRecord, UserRepository } from '../types.js';

function toParams(user: UserRecord): UserRow & { enabled: number } {
  return {
    username: user.username,
    password_hash: user.passwordHash,
    roles: JSON.stringify(user.roles),
    full_name: user.fullName,
    email: user.email,
    metadata: JSON.stringify(user.metadata),
    enabled: user.enabled ? 1 : 0,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

const COLUMNS = 'username, password_hash, roles, full_name, email, metadata, enabled, created_at, updated_at';
const VALUES = '@username, @password_hash, @roles, @full_name, @email, @metadata, @enabled, @created_at, @updated_at';

export class SqliteUsers implements UserRepository {
  private readonly getStmt: Statement<[string], UserRow>;
  private readonly listStmt: Statement<[], UserRow>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly insertStmt: Statement<[UserRow]>;
  private readonly upsertStmt: Statement<[UserRow]>;
  private readonly updateStmt: Statement<[UserRow]>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly putTx: Transaction<(user: UserRecord) => { created: boolean }>;

  constructor(db: Database) {
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM users WHERE username = ?`);
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY username`);
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM users');
    this.insertStmt = db.prepare(`INSERT INTO users (${COLUMNS}) VALUES (${VALUES}) ON CONFLICT (username) DO NOTHING`);
    // created_at survives an overwrite.
    this.upsertStmt = db.prepare(`INSERT INTO users (${COLUMNS}) VALUES (${VALUES})
      ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, roles = excluded.roles,
        full_name = excluded.full_name, email = excluded.email, metadata = excluded.metadata,
        enabled = excluded.enabled, updated_at = excluded.updated_at`);
    // Never creates: a user deleted by another process meanwhile stays deleted.
    this.updateStmt = db.prepare(`UPDATE users SET password_hash = @password_hash, roles = @roles, full_name = @full_name,
      email = @email, metadata = @metadata, enabled = @enabled, updated_at = @updated_at WHERE username = @username`);
    this.deleteStmt = db.prepare('DELETE FROM users WHERE username = ?');
    const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM users WHERE username = ?');
    this.putTx = db.transaction((user: UserRecord) => {
      const created = exists.get(user.username) === undefined;
      this.upsertStmt.run(toParams(user));
      return { created };
    });
  }

  async get(username: string): Promise<UserRecord | null> {
    const row = this.getStmt.get(username);
    return row ? toRecord(row) : null;
  }

  async list(): Promise<UserRecord[]> {
    return this.listStmt.all().map(toRecord);
  }

  async count(): Promise<number> {
    return this.countStmt.get()?.n ?? 0;
  }

  async put(user: UserRecord): Promise<{ created: boolean }> {
    return this.putTx.immediate(user);
  }

  async insert(user: UserRecord): Promise<boolean> {
    return this.insertStmt.run(toParams(user)).changes === 1;
  }

  async update(user: UserRecord): Promise<boolean> {
    return this.updateStmt.run(toParams(user)).changes === 1;
  }

  async delete(username: string): Promise<boolean> {
    return this.deleteStmt.run(username).changes === 1;
  }
}
