// All SQL of the signing keys of the ECE login's JWTs on PostgreSQL: a handful of rows, read whole.
// A rotation is not a revocation (older keys verify until retired), so it writes no feed row.
import { signingKeyFromRow as recordOf, type SigningKeyRow as Row } from '../rows-entities.js';
import type { SigningKeyRecord, SigningKeyRepository } from '../types.js';
import type { PgDb } from './db.js';

export class PgSigningKeys implements SigningKeyRepository {
  constructor(private readonly db: PgDb) {}

  async list(): Promise<SigningKeyRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC')).rows.map(recordOf);
  }

  async rotate(next: SigningKeyRecord, dropRetiredBefore: number, onlyIfNone = false): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Instances starting together: one creates the first key, the others see it.
      await tx.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
      if (onlyIfNone) {
        const count = await tx.query<{ n: string }>('SELECT COUNT(*) AS n FROM signing_keys');
        if (Number(count.rows[0]?.n ?? 0) > 0) return false;
      }
      await tx.query('UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL', [next.createdAt]);
      await tx.query('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1', [dropRetiredBefore]);
      await tx.query('INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4, $5, NULL)', [
        next.kid,
        next.algorithm,
        next.privateJwk,
        next.publicJwk,
        next.createdAt,
      ]);
      return true;
    });
  }
}
