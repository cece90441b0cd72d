// All SQL of the tokens table. Rows are found by the digest of a token, never by the token itself.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type {
  TokenDigest,
  TokenInvalidationCount,
  TokenRecord,
  TokenRefreshOutcome,
  TokenRepository,
  TokenSuccessor,
} from '../types.js';
import { TOKEN_COLUMNS, tokenFromRow as toRecord, type TokenRow } from '../rows.js';

const COLUMNS = TOKEN_COLUMNS;
const VALUES = COLUMNS.split(', ')
  .map((column) => `@${column}`)
  .join(', ');

function toParams(record: TokenRecord): TokenRow {
  return {
    access_digest: record.accessDigest,
    refresh_digest: record.refreshDigest,
    username: record.username,
    realm_name: record.realmName,
    realm_type: record.realmType,
    authentication: JSON.stringify(record.authentication),
    client_username: record.client.username,
    client_realm_name: record.client.realmName,
    client_realm_type: record.client.realmType,
    client_api_key_id: record.client.apiKeyId,
    created_at: record.createdAt,
    access_expires_at: record.accessExpiresAt,
    access_invalidated: record.accessInvalidated ? 1 : 0,
    refresh_invalidated: record.refreshInvalidated ? 1 : 0,
    refreshed_at: record.refreshedAt,
    superseding: record.superseding,
  };
}

interface ActiveSelector {
  username: string | null;
  realm_name: string | null;
  now: number;
  refresh_since: number;
}

type FlagsRow = Pick<TokenRow, 'access_digest' | 'refresh_digest' | 'access_invalidated' | 'refresh_invalidated'>;

export class SqliteTokens implements TokenRepository {
  private readonly insertStmt: Statement<[TokenRow]>;
  private readonly byAccessStmt: Statement<[string], TokenRow>;
  private readonly byRefreshStmt: Statement<[string], TokenRow>;
  private readonly markRefreshedStmt: Statement<[number, string, string]>;
  private readonly invalidateAccessStmt: Statement<[string]>;
  private readonly invalidateRefreshStmt: Statement<[string]>;
  private readonly activeStmt: Statement<[ActiveSelector], FlagsRow>;
  private readonly invalidateBothStmt: Statement<[string]>;
  private readonly deleteOldStmt: Statement<[number, number]>;
  private readonly listStmt: Statement<[number, string, number], TokenRow>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly refreshTx: Transaction<(digest: TokenDigest, successor: TokenSuccessor, supersede: (r: TokenRecord) => boolean) => TokenRefreshOutcome>;
  private readonly invalidateOneTx: Transaction<(digest: TokenDigest, kind: 'access' | 'refresh') => TokenInvalidationCount | null>;
  private readonly invalidateActiveTx: Transaction<(selector: ActiveSelector) => TokenInvalidationCount>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO tokens (${COLUMNS}) VALUES (${VALUES})`);
    this.byAccessStmt = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE access_digest = ?`);
    this.byRefreshStmt = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE refresh_digest = ?`);
    this.markRefreshedStmt = db.prepare('UPDATE tokens SET refreshed_at = ?, superseding = ? WHERE refresh_digest = ?');
    this.invalidateAccessStmt = db.prepare('UPDATE tokens SET access_invalidated = 1 WHERE access_digest = ?');
    this.invalidateRefreshStmt = db.prepare('UPDATE tokens SET refresh_invalidated = 1 WHERE refresh_digest = ?');
    // Elasticsearch's findActiveTokensForRealm/User: a live access token or a usable refresh token.
    this.activeStmt = db.prepare(`SELECT access_digest, refresh_digest, access_invalidated, refresh_invalidated FROM tokens
      WHERE (@username IS NULL OR username = @username) AND (@realm_name IS NULL OR realm_name = @realm_name)
        AND ((access_invalidated = 0 AND access_expires_at >= @now)
          OR (refresh_digest IS NOT NULL AND refresh_invalidated = 0 AND created_at >= @refresh_since))`);
    this.invalidateBothStmt = db.prepare('UPDATE tokens SET access_invalidated = 1, refresh_invalidated = 1 WHERE access_digest = ?');
    // Bounded, so the purge holds the write lock only briefly.
    this.deleteOldStmt = db.prepare('DELETE FROM tokens WHERE rowid IN (SELECT rowid FROM tokens WHERE created_at < ? LIMIT ?)');

    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE created_at >= ? AND access_digest > ? ORDER BY access_digest LIMIT ?`);
    this.countStmt = db.prepare('SELECT COUNT(*) AS n FROM tokens');
    this.refreshTx = db.transaction((digest, successor, supersede) => {
      const row = this.byRefreshStmt.get(digest);
      if (row === undefined) return { current: null, superseded: false };
      const current = toRecord(row);
      if (!supersede(current)) return { current, superseded: false };
      this.insertStmt.run(toParams(successor.record));
      this.markRefreshedStmt.run(successor.refreshedAt, successor.superseding, digest);
      return { current: { ...current, refreshedAt: successor.refreshedAt, superseding: successor.superseding }, superseded: true };
    });

    this.invalidateOneTx = db.transaction((digest, kind) => {
      const row = kind === 'access' ? this.byAccessStmt.get(digest) : this.byRefreshStmt.get(digest);
      if (row === undefined) return null;
      const already = kind === 'access' ? row.access_invalidated === 1 : row.refresh_invalidated === 1;
      if (already) return { invalidated: 0, previouslyInvalidated: 1 };
      (kind === 'access' ? this.invalidateAccessStmt : this.invalidateRefreshStmt).run(digest);
      return { invalidated: 1, previouslyInvalidated: 0 };
    });

    this.invalidateActiveTx = db.transaction((selector) => {
      let invalidated = 0;
      let previouslyInvalidated = 0;
      for (const row of this.activeStmt.all(selector)) {
        // Each token of the record counts, as in Elasticsearch (refresh token first, then access token).
        if (row.refresh_digest !== null) {
          if (row.refresh_invalidated === 1) previouslyInvalidated++;
          else invalidated++;
        }
        if (row.access_invalidated === 1) previouslyInvalidated++;
        else invalidated++;
        this.invalidateBothStmt.run(row.access_digest);
      }
      return { invalidated, previouslyInvalidated };
    });
  }

  async insert(record: TokenRecord): Promise<void> {
    this.insertStmt.run(toParams(record));
  }

  async getByAccessDigest(digest: TokenDigest): Promise<TokenRecord | null> {
    const row = this.byAccessStmt.get(digest);
    return row === undefined ? null : toRecord(row);
  }

  async getByRefreshDigest(digest: TokenDigest): Promise<TokenRecord | null> {
    const row = this.byRefreshStmt.get(digest);
    return row === undefined ? null : toRecord(row);
  }

  async refresh(refreshDigest: TokenDigest, successor: TokenSuccessor, supersede: (current: TokenRecord) => boolean): Promise<TokenRefreshOutcome> {
    // BEGIN IMMEDIATE: read, decide and write under the write lock, so racing refreshes serialise.
    return this.refreshTx.immediate(refreshDigest, successor, supersede);
  }

  async invalidateAccess(digest: TokenDigest): Promise<TokenInvalidationCount | null> {
    return this.invalidateOneTx.immediate(digest, 'access');
  }

  async invalidateRefresh(digest: TokenDigest): Promise<TokenInvalidationCount | null> {
    return this.invalidateOneTx.immediate(digest, 'refresh');
  }

  async invalidateActive(
    selector: { readonly username?: string; readonly realmName?: string },
    now: number,
    refreshCreatedSince: number,
  ): Promise<TokenInvalidationCount> {
    return this.invalidateActiveTx.immediate({
      username: selector.username ?? null,
      realm_name: selector.realmName ?? null,
      now,
      refresh_since: refreshCreatedSince,
    });
  }

  async deleteCreatedBefore(cutoff: number, limit: number): Promise<number> {
    return this.deleteOldStmt.run(cutoff, limit).changes;
  }

  async list(createdSince: number, afterDigest: TokenDigest | null, limit: number): Promise<TokenRecord[]> {
    return this.listStmt.all(createdSince, afterDigest ?? '', limit).map(toRecord);
  }

  async count(): Promise<number> {
    return this.countStmt.get()?.n ?? 0;
  }
}
