// All SQL of the continuations table on PostgreSQL: scroll, PIT and async-search bindings shared by
// the fleet, so an id received through one instance continues through any other.
import type { ContinuationBinding, ContinuationKind, ContinuationRepository } from '../types.js';
import type { PgDb } from './db.js';

interface BindingRow {
  owner: string;
  expires_at: number;
}

export class PgContinuations implements ContinuationRepository {
  constructor(private readonly db: PgDb) {}

  async bind(kind: ContinuationKind, digest: string, binding: ContinuationBinding, now: number): Promise<ContinuationBinding> {
    // One statement: a live binding to someone else is never overwritten, whatever races it.
    const row = (
      await this.db.query<BindingRow>(
        `INSERT INTO continuations AS c (kind, digest, owner, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, digest) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
           WHERE c.expires_at <= $5 OR c.owner = EXCLUDED.owner
         RETURNING owner, expires_at`,
        [kind, digest, binding.owner, binding.expiresAt, now],
      )
    ).rows[0];
    if (row !== undefined) return { owner: row.owner, expiresAt: row.expires_at };
    return (await this.get(kind, digest, now)) ?? binding;
  }

  async get(kind: ContinuationKind, digest: string, now: number): Promise<ContinuationBinding | null> {
    const row = (await this.db.query<BindingRow>('SELECT owner, expires_at FROM continuations WHERE kind = $1 AND digest = $2 AND expires_at > $3', [kind, digest, now])).rows[0];
    return row === undefined ? null : { owner: row.owner, expiresAt: row.expires_at };
  }

  async delete(kind: ContinuationKind, digest: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM continuations WHERE kind = $1 AND digest = $2', [kind, digest])).rowCount === 1;
  }

  async deleteExpired(now: number, limit: number): Promise<number> {
    const deleted = await this.db.query(
      'DELETE FROM continuations WHERE ctid IN (SELECT ctid FROM continuations WHERE expires_at <= $1 LIMIT $2)',
      [now, limit],
    );
    return deleted.rowCount ?? 0;
  }
}
