// All SQL of the api_keys table. A key is found by its id; the secret's salted digest is compared by
// the service, in constant time. Searches go through api-key-query.ts (bound parameters only).
import type { Database, Statement } from 'better-sqlite3';
import type { ApiKeyDigest, ApiKeyQueryValue, ApiKeyRecord, ApiKeyRepository, ApiKeySearch, ApiKeySearchResult } from '../types.js';
import { compileOrder, compileQuery, compileSearchAfter, type SqlParam } from './api-key-query.js';

interface ApiKeyRow {
  id: string;
  name: string;
  digest: string;
  type: string;
  created_at: number;
  expires_at: number | null;
  invalidated: number;
  invalidated_at: number | null;
  username: string;
  realm_name: string;
  realm_type: string;
  full_name: string | null;
  email: string | null;
  user_metadata: string;
  metadata: string;
  role_descriptors: string;
  limited_by: string;
  version: number;
}

const COLUMNS =
  'id, name, digest, type, created_at, expires_at, invalidated, invalidated_at, username, realm_name, realm_type, full_name, email, ' +
  'user_metadata, metadata, role_descriptors, limited_by, version';
const VALUES = COLUMNS.split(', ')
  .map((column) => `@${column}`)
  .join(', ');
const SELECT = COLUMNS.split(', ')
  .map((column) => `k.${column}`)
  .join(', ');

type Named = Array<readonly [string, Record<string, unknown>]>;

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    digest: row.digest as ApiKeyDigest,
    type: 'rest',
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    invalidated: row.invalidated === 1,
    invalidatedAt: row.invalidated_at,
    username: row.username,
    realmName: row.realm_name,
    realmType: row.realm_type,
    fullName: row.full_name,
    email: row.email,
    userMetadata: JSON.parse(row.user_metadata) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    roleDescriptors: JSON.parse(row.role_descriptors) as Named,
    limitedBy: JSON.parse(row.limited_by) as Named,
    version: row.version,
  };
}

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

function sortValue(row: ApiKeyRow & { rowid: number }, field: string): ApiKeyQueryValue | null {
  switch (field) {
    case '_doc':
      return row.rowid;
    case 'creation':
      return row.created_at;
    case 'expiration':
      return row.expires_at;
    case 'invalidation':
      return row.invalidated_at;
    case 'invalidated':
      return row.invalidated === 1;
    case 'realm_name':
      return row.realm_name;
    default:
      return (row as unknown as Record<string, string>)[field] ?? null;
  }
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
    const where = compileQuery(search.query);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM api_keys k WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    let sql = where.sql;
    const params: SqlParam[] = [...where.params];
    if (search.searchAfter !== undefined) {
      const after = compileSearchAfter(search.sort, search.searchAfter);
      sql = `(${sql}) AND (${after.sql})`;
      params.push(...after.params);
    }
    const rows = this.db
      .prepare(`SELECT k.rowid AS rowid, ${SELECT} FROM api_keys k WHERE ${sql} ORDER BY ${compileOrder(search.sort)} LIMIT ? OFFSET ?`)
      .all(...params, search.size, search.from) as Array<ApiKeyRow & { rowid: number }>;
    return {
      total,
      hits: rows.map((row) => ({ record: toRecord(row), sort: search.sort.map((s) => sortValue(row, s.field)) })),
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
