// All SQL of the api_keys table. A key is found by its id; the secret's salted digest is compared by
// the service, in constant time. Searches go through ../api-key-sql.ts (bound parameters only).
import type { Database, Statement } from 'better-sqlite3';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeySearch, ApiKeySearchResult } from '../types.js';
import { API_KEY_COLUMNS, apiKeyFromRow as toRecord, apiKeySortValue, type ApiKeyRow } from '../rows.js';
import type { SqlParam } from '../api-key-sql.js';
import { sqliteApiKeySql } from './api-key-query.js';

const COLUMNS = API_KEY_COLUMNS;
const VALUES = COLUMNS.split(', ')
  .map((column) => `@${column}`)
  .join(', ');
const SELECT = COLUMNS.split(', ')
  .map((column) => `k.${column}`)
  .join(', ');

function toParams(record: ApiKeyRecord): ApiKeyRow {
  return {
    id: record.id,
    name: record.name,
    digest: record.digest,
    type: record.type,
    created_at: record.createdAt,
    expires_at: record.expiresAt,
    invalidated: record.invalidated ? 1 : 0,
    invalidated_at: record.invalidatedAt,
    username: record.username,
    realm_name: record.realmName,
    realm_type: record.realmType,
    full_name: record.fullName,
    email: record.email,
    user_metadata: JSON.stringify(record.userMetadata),
    metadata: JSON.stringify(record.metadata),
    role_descriptors: JSON.stringify(record.roleDescriptors),
    limited_by: JSON.stringify(record.limitedBy),
    version: record.version,
  };
}

export class SqliteApiKeys implements ApiKeyRepository {
  private readonly insertStmt: Statement<ApiKeyRow>;
  private readonly getStmt: Statement<[string], ApiKeyRow>;
  private readonly updateStmt: Statement<ApiKeyRow & { expected: number }>;
  private readonly invalidateStmt: Statement<[number, string]>;
  private readonly deleteRetiredStmt: Statement<[number, number, number]>;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO api_keys (${COLUMNS}) VALUES (${VALUES})`);
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
    this.updateStmt = db.prepare(
      `UPDATE api_keys SET name = @name, expires_at = @expires_at, full_name = @full_name, email = @email, user_metadata = @user_metadata,
       metadata = @metadata, role_descriptors = @role_descriptors, limited_by = @limited_by, version = @version
       WHERE id = @id AND version = @expected AND invalidated = 0`,
    );
    this.invalidateStmt = db.prepare('UPDATE api_keys SET invalidated = 1, invalidated_at = ? WHERE id = ? AND invalidated = 0');
    this.deleteRetiredStmt = db.prepare(
      `DELETE FROM api_keys WHERE id IN (SELECT id FROM api_keys
         WHERE (invalidated = 1 AND invalidated_at < ?) OR (expires_at IS NOT NULL AND expires_at < ?) LIMIT ?)`,
    );
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    this.insertStmt.run(toParams(record));
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const row = this.getStmt.get(id);
    return row ? toRecord(row) : null;
  }

  async search(search: ApiKeySearch): Promise<ApiKeySearchResult> {
    const where = sqliteApiKeySql.compileQuery(search.query);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM api_keys k WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    let sql = where.sql;
    const params: SqlParam[] = [...where.params];
    if (search.searchAfter !== undefined) {
      const after = sqliteApiKeySql.compileSearchAfter(search.sort, search.searchAfter);
      sql = `(${sql}) AND (${after.sql})`;
      params.push(...after.params);
    }
    const rows = this.db
      .prepare(`SELECT k.rowid AS rowid, ${SELECT} FROM api_keys k WHERE ${sql} ORDER BY ${sqliteApiKeySql.compileOrder(search.sort)} LIMIT ? OFFSET ?`)
      .all(...params, search.size, search.from) as Array<ApiKeyRow & { rowid: number }>;
    return {
      total,
      hits: rows.map((row) => ({ record: toRecord(row), sort: search.sort.map((s) => apiKeySortValue(row, row.rowid, s.field)) })),
    };
  }

  async update(record: ApiKeyRecord, expectedVersion: number): Promise<boolean> {
    return this.updateStmt.run({ ...toParams(record), expected: expectedVersion }).changes === 1;
  }

  async invalidate(ids: readonly string[], now: number): Promise<string[]> {
    const changed: string[] = [];
    this.db.transaction(() => {
      for (const id of ids) if (this.invalidateStmt.run(now, id).changes === 1) changed.push(id);
    })();
    return changed;
  }

  async deleteRetiredBefore(cutoff: number, limit: number): Promise<number> {
    return this.deleteRetiredStmt.run(cutoff, cutoff, limit).changes;
  }
}
