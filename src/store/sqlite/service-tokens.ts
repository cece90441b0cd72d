// All SQL of the service_tokens table.
import type { Database, Statement } from 'better-sqlite3';
import { SERVICE_TOKEN_COLUMNS as COLUMNS, serviceTokenFromRow as toRecord, type ServiceTokenRow } from '../rows-entities.js';
import type { ServiceTokenRecord, ServiceTokenRepository } from '../types.js';

export class SqliteServiceTokens implements ServiceTokenRepository {
  private readonly insertStmt: Statement<[ServiceTokenRow]>;
  private readonly getStmt: Statement<[string, string], ServiceTokenRow>;
  private readonly listStmt: Statement<[string], ServiceTokenRow>;
  private readonly deleteStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO service_tokens (${COLUMNS})
      VALUES (@account_id, @name, @digest, @created_at, @creator, @creator_realm) ON CONFLICT DO NOTHING`);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM service_tokens WHERE account_id = ? AND name = ?`);
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM service_tokens WHERE account_id = ? ORDER BY name`);
    this.deleteStmt = db.prepare('DELETE FROM service_tokens WHERE account_id = ? AND name = ?');
  }

  async insert(record: ServiceTokenRecord): Promise<boolean> {
    const row: ServiceTokenRow = {
      account_id: record.accountId,
      name: record.name,
      digest: record.digest,
      created_at: record.createdAt,
      creator: record.creator.principal,
      creator_realm: record.creator.realm,
    };
    return this.insertStmt.run(row).changes === 1;
  }

  async get(accountId: string, name: string): Promise<ServiceTokenRecord | null> {
    const row = this.getStmt.get(accountId, name);
    return row ? toRecord(row) : null;
  }

  async list(accountId: string): Promise<ServiceTokenRecord[]> {
    return this.listStmt.all(accountId).map(toRecord);
  }

  async delete(accountId: string, name: string): Promise<boolean> {
    return this.deleteStmt.run(accountId, name).changes === 1;
  }
}
