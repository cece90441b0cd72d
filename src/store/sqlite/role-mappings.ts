// All SQL of the role_mappings table.
import type { Database, Statement } from 'better-sqlite3';
import type { RoleMappingRecord, RoleMappingRepository } from '../types.js';

interface Row {
  name: string;
  mapping: string;
}

const toRecord = (row: Row): RoleMappingRecord => ({ name: row.name, mapping: JSON.parse(row.mapping) as Record<string, unknown> });

export class SqliteRoleMappings implements RoleMappingRepository {
  private readonly getStmt: Statement<[string], Row>;
  private readonly listStmt: Statement<[], Row>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly putTx: (record: RoleMappingRecord) => { created: boolean };

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT name, mapping FROM role_mappings WHERE name = ?');
    this.listStmt = db.prepare('SELECT name, mapping FROM role_mappings ORDER BY name');
    this.deleteStmt = db.prepare('DELETE FROM role_mappings WHERE name = ?');
    const upsert = db.prepare<[Row]>('INSERT INTO role_mappings (name, mapping) VALUES (@name, @mapping) ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping');
    const tx = db.transaction((record: RoleMappingRecord) => {
      const created = this.getStmt.get(record.name) === undefined;
      upsert.run({ name: record.name, mapping: JSON.stringify(record.mapping) });
      return { created };
    });
    this.putTx = (record) => tx.immediate(record);
  }

  async get(name: string): Promise<RoleMappingRecord | null> {
    const row = this.getStmt.get(name);
    return row ? toRecord(row) : null;
  }

  async list(): Promise<RoleMappingRecord[]> {
    return this.listStmt.all().map(toRecord);
  }

  async put(record: RoleMappingRecord): Promise<{ created: boolean }> {
    return this.putTx(record);
  }

  async delete(name: string): Promise<boolean> {
    return this.deleteStmt.run(name).changes === 1;
  }
}
