// Signing keys of the ECE login's JWTs: a handful of rows, read whole.
import type { Database, Statement } from 'better-sqlite3';
import { signingKeyFromRow as recordOf, type SigningKeyRow as Row } from '../rows-entities.js';
import type { SigningKeyRecord, SigningKeyRepository } from '../types.js';

export class SqliteSigningKeys implements SigningKeyRepository {
  private readonly all: Statement<[], Row>;
  private readonly count: Statement<[], { n: number }>;
  private readonly retire: Statement<[number]>;
  private readonly drop: Statement<[number]>;
  private readonly insert: Statement<[string, string, string, string, number]>;

  constructor(private readonly db: Database) {
    this.all = db.prepare('SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM signing_keys');
    this.retire = db.prepare('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL');
    this.drop = db.prepare('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?');
    this.insert = db.prepare('INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)');
  }

  async list(): Promise<SigningKeyRecord[]> {
    return this.all.all().map(recordOf);
  }

  async rotate(next: SigningKeyRecord, dropRetiredBefore: number, onlyIfNone = false): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (onlyIfNone && (this.count.get()?.n ?? 0) > 0) return false;
        this.retire.run(next.createdAt);
        this.drop.run(dropRetiredBefore);
        this.insert.run(next.kid, next.algorithm, next.privateJwk, next.publicJwk, next.createdAt);
        return true;
      })
      .immediate();
  }
}
