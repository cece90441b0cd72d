// All SQL of the roles table on PostgreSQL. Changing or deleting a role revokes: it answers after
// the fleet applied it.
import { roleFromRow as toRecord, type RoleRow } from '../rows.js';
import type { RoleRecord, RoleRepository } from '../types.js';
import type { PgDb } from './db.js';
import type { Fleet } from './fleet.js';

export class PgRoles implements RoleRepository {
  constructor(
    private readonly db: PgDb,
    private readonly fleet: Fleet,
  ) {}

  async get(name: string): Promise<RoleRecord | null> {
    const row = (await this.db.query<RoleRow>('SELECT name, descriptor, created_at, updated_at FROM roles WHERE name = $1', [name])).rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async list(): Promise<RoleRecord[]> {
    return (await this.db.query<RoleRow>('SELECT name, descriptor, created_at, updated_at FROM roles ORDER BY name')).rows.map(toRecord);
  }

  async put(role: RoleRecord): Promise<{ created: boolean }> {
    return this.fleet.write(async (tx) => {
      const row = await tx.query<{ created: boolean }>(
        `INSERT INTO roles (name, descriptor, created_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET descriptor = EXCLUDED.descriptor, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS created`,
        [role.name, JSON.stringify(role.descriptor), role.createdAt, role.updatedAt],
      );
      const created = row.rows[0]?.created === true;
      // A new role may already be named by users whose cached permission lacks it: the feed still tells the fleet.
      return { result: { created }, change: { kind: 'role', subject: role.name, revokes: !created } };
    });
  }

  async delete(name: string): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const done = (await tx.query('DELETE FROM roles WHERE name = $1', [name])).rowCount === 1;
      return { result: done, change: done ? { kind: 'role', subject: name, revokes: true } : null };
    });
  }
}
