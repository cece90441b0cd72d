// All SQL of the api_keys table on PostgreSQL. Searches go through ../api-key-sql.ts (bound
// parameters only). Invalidating or updating a key revokes: it answers after the fleet applied it.
import type { ApiKeyRecord, ApiKeyRepository, ApiKeySearch, ApiKeySearchResult } from '../types.js';
import { API_KEY_COLUMNS, apiKeyFromRow as toRecord, apiKeySortValue, type ApiKeyRow } from '../rows.js';
import type { SqlParam } from '../api-key-sql.js';
import type { Params, PgDb } from './db.js';
import type { Fleet } from './fleet.js';
import { numberPlaceholders, pgApiKeySql } from './api-key-query.js';

const COLUMNS = API_KEY_COLUMNS;
const SELECT = COLUMNS.split(', ')
  .map((column) => `k.${column}`)
  .join(', ');

function toParams(r: ApiKeyRecord): Params {
  return [
    r.id,
    r.name,
    r.digest,
    r.type,
    r.createdAt,
    r.expiresAt,
    r.invalidated,
    r.invalidatedAt,
    r.username,
    r.realmName,
    r.realmType,
    r.fullName,
    r.email,
    JSON.stringify(r.userMetadata),
    JSON.stringify(r.metadata),
    JSON.stringify(r.roleDescriptors),
    JSON.stringify(r.limitedBy),
    r.version,
  ];
}

type DocRow = ApiKeyRow & { doc: number };

export class PgApiKeys implements ApiKeyRepository {
  constructor(
    private readonly db: PgDb,
    private readonly fleet: Fleet,
  ) {}

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.db.query(`INSERT INTO api_keys (${COLUMNS}) VALUES (${numberPlaceholders(COLUMNS.replace(/\w+/g, '?'))})`, toParams(record));
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const row = (await this.db.query<ApiKeyRow>(`SELECT doc, ${COLUMNS} FROM api_keys WHERE id = $1`, [id])).rows[0];
    return row === undefined ? null : toRecord(row);
  }

  async search(search: ApiKeySearch): Promise<ApiKeySearchResult> {
    const where = pgApiKeySql.compileQuery(search.query);
    const total = (await this.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM api_keys k WHERE ${numberPlaceholders(where.sql)}`, where.params)).rows[0]?.n ?? 0;
    let sql = where.sql;
    const params: SqlParam[] = [...where.params];
    if (search.searchAfter !== undefined) {
      const after = pgApiKeySql.compileSearchAfter(search.sort, search.searchAfter);
      sql = `(${sql}) AND (${after.sql})`;
      params.push(...after.params);
    }
    const rows = await this.db.query<DocRow>(
      numberPlaceholders(`SELECT k.doc, ${SELECT} FROM api_keys k WHERE ${sql} ORDER BY ${pgApiKeySql.compileOrder(search.sort)} LIMIT ? OFFSET ?`),
      [...params, search.size, search.from],
    );
    return { total, hits: rows.rows.map((row) => ({ record: toRecord(row), sort: search.sort.map((s) => apiKeySortValue(row, row.doc, s.field)) })) };
  }

  async update(record: ApiKeyRecord, expectedVersion: number): Promise<boolean> {
    return this.fleet.write(async (tx) => {
      const updated = await tx.query(
        `UPDATE api_keys SET name = $2, expires_at = $3, full_name = $4, email = $5, user_metadata = $6, metadata = $7,
           role_descriptors = $8, limited_by = $9, version = $10
         WHERE id = $1 AND version = $11 AND NOT invalidated`,
        [
          record.id,
          record.name,
          record.expiresAt,
          record.fullName,
          record.email,
          JSON.stringify(record.userMetadata),
          JSON.stringify(record.metadata),
          JSON.stringify(record.roleDescriptors),
          JSON.stringify(record.limitedBy),
          record.version,
          expectedVersion,
        ],
      );
      const done = updated.rowCount === 1;
      return { result: done, change: done ? { kind: 'api_key', subject: record.id, revokes: true } : null };
    });
  }

  async invalidate(ids: readonly string[], now: number): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.fleet.write(async (tx) => {
      const rows = await tx.query<{ id: string }>('UPDATE api_keys SET invalidated = TRUE, invalidated_at = $1 WHERE id = ANY($2::text[]) AND NOT invalidated RETURNING id', [now, ids]);
      // In the order asked for, like the SQLite store.
      const changed = new Set(rows.rows.map((row) => row.id));
      const result = ids.filter((id, i) => changed.has(id) && ids.indexOf(id) === i);
      return { result, change: result.length > 0 ? { kind: 'api_key', subject: result.slice(0, 10).join(','), revokes: true } : null };
    });
  }

  async deleteRetiredBefore(cutoff: number, limit: number): Promise<number> {
    const deleted = await this.db.query(
      `DELETE FROM api_keys WHERE id IN (SELECT id FROM api_keys
         WHERE (invalidated AND invalidated_at < $1) OR (expires_at IS NOT NULL AND expires_at < $1) ORDER BY doc LIMIT $2)`,
      [cutoff, limit],
    );
    return deleted.rowCount ?? 0;
  }
}
