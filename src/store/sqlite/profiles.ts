// All SQL of the profiles table.
import type { Database, Statement } from 'better-sqlite3';
import { PROFILE_COLUMNS as COLUMNS, profileFromRow as toRecord, type ProfileRow as Row } from '../rows-entities.js';
import type { ProfileRecord, ProfileRepository } from '../types.js';

const MATCH = "enabled = 1 AND (username LIKE @prefix ESCAPE '\\' OR full_name LIKE @prefix ESCAPE '\\' OR email LIKE @prefix ESCAPE '\\')";

export class SqliteProfiles implements ProfileRepository {
  private readonly getStmt: Statement<[string], Row>;
  private readonly putStmt: Statement<[Row]>;
  private readonly suggestStmt: Statement<[{ prefix: string; limit: number }], Row>;
  private readonly countStmt: Statement<[{ prefix: string }], { n: number }>;

  constructor(db: Database) {
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM profiles WHERE uid = ?`);
    this.putStmt = db.prepare(`INSERT OR REPLACE INTO profiles (${COLUMNS}) VALUES
      (@uid, @enabled, @last_synchronized, @username, @realm_name, @realm_type, @roles, @full_name, @email, @labels, @data, @seq_no)`);
    this.suggestStmt = db.prepare(`SELECT ${COLUMNS} FROM profiles WHERE ${MATCH} ORDER BY username LIMIT @limit`);
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM profiles WHERE ${MATCH}`);
  }

  async get(uid: string): Promise<ProfileRecord | null> {
    const row = this.getStmt.get(uid);
    return row ? toRecord(row) : null;
  }

  async put(record: ProfileRecord): Promise<void> {
    this.putStmt.run({
      uid: record.uid,
      enabled: record.enabled ? 1 : 0,
      last_synchronized: record.lastSynchronized,
      username: record.user.username,
      realm_name: record.user.realmName,
      realm_type: record.user.realmType,
      roles: JSON.stringify(record.user.roles),
      full_name: record.user.fullName,
      email: record.user.email,
      labels: JSON.stringify(record.labels),
      data: JSON.stringify(record.data),
      seq_no: record.seqNo,
    });
  }

  async suggest(name: string, limit: number): Promise<{ total: number; profiles: ProfileRecord[] }> {
    // LIKE is case-insensitive for ASCII in SQLite; % and _ in the name are literal.
    const prefix = `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return { total: this.countStmt.get({ prefix })?.n ?? 0, profiles: this.suggestStmt.all({ prefix, limit }).map(toRecord) };
  }
}
