// All SQL of the tokens table on PostgreSQL. Rows are found by the digest of a token. A refresh
// locks the row (SELECT … FOR UPDATE), so racing refreshes on any instance serialise; invalidations
// revoke and answer after the fleet applied them.
import type {
  TokenDigest,
  TokenInvalidationCount,
  TokenRecord,
  TokenRefreshOutcome,
  TokenRepository,
  TokenSuccessor,
} from '../types.js';
import { TOKEN_COLUMNS, tokenFromRow as toRecord, type TokenRow } from '../rows.js';
import type { Params, PgDb, Queryable } from './db.js';
import type { Fleet } from './fleet.js';

const COLUMNS = TOKEN_COLUMNS;
const PLACEHOLDERS = COLUMNS.split(', ')
  .map((_, i) => `$${i + 1}`)
  .join(', ');

function toParams(r: TokenRecord): Params {
  return [
    r.accessDigest,
    r.refreshDigest,
    r.username,
    r.realmName,
    r.realmType,
    JSON.stringify(r.authentication),
    r.client.username,
    r.client.realmName,
    r.client.realmType,
    r.client.apiKeyId,
    r.createdAt,
    r.accessExpiresAt,
    r.accessInvalidated,
    r.refreshInvalidated,
    r.refreshedAt,
    r.superseding,
  ];
}

const tokenChange = (username: string, revokes: boolean) => ({ kind: 'token', subject: username, revokes });

async function insertRow(q: Queryable, record: TokenRecord): Promise<void> {
  await q.query(`INSERT INTO tokens (${COLUMNS}) VALUES (${PLACEHOLDERS})`, toParams(record));
}

export class PgTokens implements TokenRepository {
  constructor(
    private readonly db: PgDb,
    private readonly fleet: Fleet,
  ) {}

  async insert(record: TokenRecord): Promise<void> {
    await insertRow(this.db, record);
  }

  async getByAccessDigest(digest: TokenDigest): Promise<TokenRecord | null> {
    const row = (await this.db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE access_digest = $1`, [digest])).rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async getByRefreshDigest(digest: TokenDigest): Promise<TokenRecord | null> {
    const row = (await this.db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE refresh_digest = $1`, [digest])).rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async refresh(refreshDigest: TokenDigest, successor: TokenSuccessor, supersede: (current: TokenRecord) => boolean): Promise<TokenRefreshOutcome> {
    return this.fleet.write<TokenRefreshOutcome>(async (tx) => {
      const row = (await tx.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE refresh_digest = $1 FOR UPDATE`, [refreshDigest])).rows[0];
      if (row === undefined) return { result: { current: null, superseded: false }, change: null };
      const current = toRecord(row);
      if (!supersede(current)) return { result: { current, superseded: false }, change: null };
      await insertRow(tx, successor.record);
      await tx.query('UPDATE tokens SET refreshed_at = $1, superseding = $2 WHERE refresh_digest = $3', [successor.refreshedAt, successor.superseding, refreshDigest]);
      return {
        result: { current: { ...current, refreshedAt: successor.refreshedAt, superseding: successor.superseding }, superseded: true },
        change: tokenChange(current.username, false),
      };
    });
  }

  invalidateAccess(digest: TokenDigest): Promise<TokenInvalidationCount | null> {
    return this.invalidateOne(digest, 'access');
  }

  invalidateRefresh(digest: TokenDigest): Promise<TokenInvalidationCount | null> {
    return this.invalidateOne(digest, 'refresh');
  }

  private async invalidateOne(digest: TokenDigest, kind: 'access' | 'refresh'): Promise<TokenInvalidationCount | null> {
    const column = kind === 'access' ? 'access_digest' : 'refresh_digest';
    const flag = kind === 'access' ? 'access_invalidated' : 'refresh_invalidated';
    return this.fleet.write<TokenInvalidationCount | null>(async (tx) => {
      const row = (await tx.query<{ username: string; done: boolean }>(`SELECT username, ${flag} AS done FROM tokens WHERE ${column} = $1 FOR UPDATE`, [digest])).rows[0];
      if (row === undefined) return { result: null, change: null };
      if (row.done) return { result: { invalidated: 0, previouslyInvalidated: 1 }, change: null };
      await tx.query(`UPDATE tokens SET ${flag} = TRUE WHERE ${column} = $1`, [digest]);
      return { result: { invalidated: 1, previouslyInvalidated: 0 }, change: tokenChange(row.username, true) };
    });
  }

  async invalidateActive(
    selector: { readonly username?: string; readonly realmName?: string },
    now: number,
    refreshCreatedSince: number,
  ): Promise<TokenInvalidationCount> {
    return this.fleet.write(async (tx) => {
      // Elasticsearch's findActiveTokensForRealm/User: a live access token or a usable refresh token.
      const rows = await tx.query<{ had_refresh: boolean; access_was: boolean; refresh_was: boolean }>(
        `WITH active AS (
           SELECT id, refresh_digest IS NOT NULL AS had_refresh, access_invalidated AS access_was, refresh_invalidated AS refresh_was
           FROM tokens
           WHERE ($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR realm_name = $2)
             AND ((NOT access_invalidated AND access_expires_at >= $3)
               OR (refresh_digest IS NOT NULL AND NOT refresh_invalidated AND created_at >= $4))
           FOR UPDATE)
         UPDATE tokens t SET access_invalidated = TRUE, refresh_invalidated = TRUE FROM active a WHERE t.id = a.id
         RETURNING a.had_refresh, a.access_was, a.refresh_was`,
        [selector.username ?? null, selector.realmName ?? null, now, refreshCreatedSince],
      );
      let invalidated = 0;
      let previouslyInvalidated = 0;
      for (const row of rows.rows) {
        // Each token of the record counts, as in Elasticsearch.
        if (row.had_refresh) {
          if (row.refresh_was) previouslyInvalidated++;
          else invalidated++;
        }
        if (row.access_was) previouslyInvalidated++;
        else invalidated++;
      }
      const subject = selector.username ?? `realm:${selector.realmName ?? '*'}`;
      return { result: { invalidated, previouslyInvalidated }, change: invalidated > 0 ? tokenChange(subject, true) : null };
    });
  }

  async deleteCreatedBefore(cutoff: number, limit: number): Promise<number> {
    const deleted = await this.db.query('DELETE FROM tokens WHERE id IN (SELECT id FROM tokens WHERE created_at < $1 ORDER BY id LIMIT $2)', [cutoff, limit]);
    return deleted.rowCount ?? 0;
  }

  async list(createdSince: number, afterDigest: TokenDigest | null, limit: number): Promise<TokenRecord[]> {
    const rows = await this.db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE created_at >= $1 AND access_digest > $2 ORDER BY access_digest LIMIT $3`, [
      createdSince,
      afterDigest ?? '',
      limit,
    ]);
    return rows.rows.map(toRecord);
  }

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM tokens')).rows[0]?.n ?? 0;
  }
}
