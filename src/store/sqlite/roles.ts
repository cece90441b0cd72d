// All SQL of the roles table. Descriptors are stored as their canonical JSON.
import type { Database, Statement } from 'better-sqlite3';
import { roleFromRow as toRecord, type RoleRow } from '../rows.js';
import type { RoleRecord, RoleRepository } from '../types.js';

export class SqliteRoles implements RoleRepository {
  private readonly getStmt: Statement<[string], RoleRow>;
  private readonly listStmt: Statement<[], RoleRow>;
  private readonly upsertStmt: Statement<[RoleRow], unknown>;
  private readonly existsStmt: Statement<[string], { one: number }>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly putTx: (record: RoleRecord) => { created: boolean };

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT name, descriptor, created_at, updated_at FROM roles WHERE name = ?');
    this.listStmt = db.prepare('SELECT name, descriptor, created_at, updated_at FROM roles ORDER BY name');
    this.existsStmt = db.prepare('SELECT 1 AS one FROM roles WHERE name = ?');
    this.upsertStmt = db.prepare(`INSERT INTO roles (name, descriptor, created_at, updated_at)
      VALUES (@name, @descriptor, @created_at, @updated_at)
      ON CONFLICT (name) DO UPDATE SET descriptor = excluded.descriptor, updated_at = excluded.updated_at`);
    this.deleteStmt = db.prepare('DELETE FROM roles WHERE name = ?');
    const tx = db.transaction((record: RoleRecord) => {
      const created = this.existsStmt.get(record.name) === undefined;
      this.upsertStmt.run({ name: record.name, descriptor: JSON.stringify(record.descriptor), created_at: record.createdAt, updated_at: record.updatedAt });
      return { created };
    });
    this.putTx = (record) => tx.immediate(record);
  }

  async get(name: string): Promise<RoleRecord | null> {
    const row = this.getStmt.get(name);
    return row ? toRecord(row) : null;
  }

  async list(): Promise<RoleRecord[]> {
    return this.listStmt.all().map(toRecord);
  }

  async put(record: RoleRecord): Promise<{ created: boolean }> {
    return this.putTx(record);
  }

  async delete(name: string): Promise<boolean> {
    return this.deleteStmt.run(name).changes === 1;
  }
}
