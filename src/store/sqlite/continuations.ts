// All SQL of the continuations table (scroll, PIT and async-search bindings).
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { ContinuationBinding, ContinuationKind, ContinuationRepository } from '../types.js';

interface BindingRow {
  owner: string;
  expires_at: number;
}

export class SqliteContinuations implements ContinuationRepository {
  private readonly getStmt: Statement<[string, string], BindingRow>;
  private readonly upsertStmt: Statement<[string, string, string, number]>;
  private readonly deleteStmt: Statement<[string, string]>;
  private readonly deleteExpiredStmt: Statement<[number, number]>;
  private readonly bindTx: Transaction<(kind: ContinuationKind, digest: string, binding: ContinuationBinding, now: number) => ContinuationBinding>;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT owner, expires_at FROM continuations WHERE kind = ? AND digest = ?');
    this.upsertStmt = db.prepare(`INSERT INTO continuations (kind, digest, owner, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, digest) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`);
    this.deleteStmt = db.prepare('DELETE FROM continuations WHERE kind = ? AND digest = ?');
    this.deleteExpiredStmt = db.prepare(
      'DELETE FROM continuations WHERE rowid IN (SELECT rowid FROM continuations WHERE expires_at <= ? LIMIT ?)',
    );
    this.bindTx = db.transaction((kind, digest, binding, now) => {
      const current = this.getStmt.get(kind, digest);
      if (current !== undefined && current.expires_at > now && current.owner !== binding.owner) {
        return { owner: current.owner, expiresAt: current.expires_at };
      }
      this.upsertStmt.run(kind, digest, binding.owner, binding.expiresAt);
      return binding;
    });
  }

  async bind(kind: ContinuationKind, digest: string, binding: ContinuationBinding, now: number): Promise<ContinuationBinding> {
    return this.bindTx.immediate(kind, digest, binding, now);
  }

  async get(kind: ContinuationKind, digest: string, now: number): Promise<ContinuationBinding | null> {
    const row = this.getStmt.get(kind, digest);
    return row === undefined || row.expires_at <= now ? null : { owner: row.owner, expiresAt: row.expires_at };
  }

  async delete(kind: ContinuationKind, digest: string): Promise<boolean> {
    return this.deleteStmt.run(kind, digest).changes === 1;
  }

  async deleteExpired(now: number, limit: number): Promise<number> {
    return this.deleteExpiredStmt.run(now, limit).changes;
  }
}
