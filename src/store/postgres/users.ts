// All SQL of the users table on PostgreSQL. Every write that changes a user goes through the fleet,
// so its change-feed row commits with it; anything but a creation revokes (password, roles,
// enabled, deletion) and answers after the fleet applied it.
import { userFromRow as toRecord, type UserRow } from '../rows.js';
import type { UserRecord, UserRepository } from '../types.js';
import type { PgDb, Params } from './db.js';
import type { Fleet } from './fleet.js';

const COLUMNS = 'username, password_hash, roles, full_name, email, metadata, enabled, created_at, updated_at';

function toParams(user: UserRecord): Params {
  return [user.username, user.passwordHash, JSON.stringify(user.roles), user.fullName, user.email, JSON.stringify(user.metadata), user.enabled, user.createdAt, user.updatedAt];
}

const userChange = (username: string, revokes: boolean) => ({ kind: 'user', subject: username, revokes });

export class PgUsers implements UserRepository {
  constructor(
    private readonly db: PgDb,
    private readonly fleet: Fleet,
  ) {}

  async get(username: string): Promise<UserRecord | null> {
    const row = (await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username])).rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).rows.map(toRecord);
  }

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM users')).rows[0]?.n ?? 0;
  }

  async put(user: UserRecord): Promise<{ created: boolean }> {
    return this.fleet.write(async (tx) => {
      // xmax = 0 tells an inserted row from an updated one; created_at survives an overwrite.
      const row = await tx.query<{ created: boolean }>(
        `INSERT INTO users (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles,
           full_name = EXCLUDED.full_name, email = EXCLUDED.email, metadata = EXCLUDED.metadata,
           enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS created`,
        toParams(user),
      );
      const created = row.rows[0]?.created === true;
      return { result: { created }, change: userChange(user.username, !created) };
    });
  }

  async insert(user: UserRecord): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const inserted = await tx.query(`INSERT INTO users (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (username) DO NOTHING`, toParams(user));
      const done = inserted.rowCount === 1;
      return { result: done, change: done ? userChange(user.username, false) : null };
    });
  }

  async update(user: UserRecord): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const updated = await tx.query(
        `UPDATE users SET password_hash = $2, roles = $3, full_name = $4, email = $5, metadata = $6, enabled = $7, updated_at = $8
         WHERE username = $1`,
        [user.username, user.passwordHash, JSON.stringify(user.roles), user.fullName, user.email, JSON.stringify(user.metadata), user.enabled, user.updatedAt],
      );
      const done = updated.rowCount === 1;
      return { result: done, change: done ? userChange(user.username, true) : null };
    });
  }

  async delete(username: string): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const deleted = await tx.query('DELETE FROM users WHERE username = $1', [username]);
      const done = deleted.rowCount === 1;
      return { result: done, change: done ? userChange(username, true) : null };
    });
  }
}
