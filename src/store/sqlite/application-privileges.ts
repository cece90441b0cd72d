// All SQL of the application_privileges table.
import type { Database, Statement } from 'better-sqlite3';
import type { ApplicationPrivilegeRecord, ApplicationPrivilegeRepository } from '../types.js';

interface Row {
  application: string;
  name: string;
  actions: string;
  metadata: string;
}

const toRecord = (row: Row): ApplicationPrivilegeRecord => ({
  application: row.application,
  name: row.name,
  actions: JSON.parse(row.actions) as string[],
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
});

export class SqliteApplicationPrivileges implements ApplicationPrivilegeRepository {
  private readonly listAll: Statement<[], Row>;
  private readonly listOne: Statement<[string], Row>;
  private readonly deleteStmt: Statement<[string, string]>;
  private readonly putTx: (record: ApplicationPrivilegeRecord) => { created: boolean };

  constructor(db: Database) {
    this.listAll = db.prepare('SELECT application, name, actions, metadata FROM application_privileges ORDER BY application, name');
    this.listOne = db.prepare('SELECT application, name, actions, metadata FROM application_privileges WHERE application = ? ORDER BY name');
    this.deleteStmt = db.prepare('DELETE FROM application_privileges WHERE application = ? AND name = ?');
    const exists = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM application_privileges WHERE application = ? AND name = ?');
    const upsert = db.prepare<[Row]>(`INSERT INTO application_privileges (application, name, actions, metadata)
      VALUES (@application, @name, @actions, @metadata)
      ON CONFLICT (application, name) DO UPDATE SET actions = excluded.actions, metadata = excluded.metadata`);
    const tx = db.transaction((record: ApplicationPrivilegeRecord) => {
      const created = exists.get(record.application, record.name) === undefined;
      upsert.run({ application: record.application, name: record.name, actions: JSON.stringify(record.actions), metadata: JSON.stringify(record.metadata) });
      return { created };
    });
    this.putTx = (record) => tx.immediate(record);
  }

  async put(record: ApplicationPrivilegeRecord): Promise<{ created: boolean }> {
    return this.putTx(record);
  }

  async list(applications?: readonly string[]): Promise<ApplicationPrivilegeRecord[]> {
    if (applications === undefined) return this.listAll.all().map(toRecord);
    const unique = [...new Set(applications)].sort();
    return unique.flatMap((application) => this.listOne.all(application).map(toRecord));
  }

  async delete(application: string, name: string): Promise<boolean> {
    return this.deleteStmt.run(application, name).changes === 1;
  }
}
