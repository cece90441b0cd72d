// A parsed API key query (store/types.ts ApiKeyQuery) → an SQL WHERE/ORDER BY over the api_keys
// table, for either store: what differs between SQLite and PostgreSQL (booleans, JSON leaves,
// wildcards, the insertion-order column) is a small dialect. Column names come from a fixed table;
// every value, metadata path included, is a bound parameter (`?`, numbered by the PostgreSQL store),
// so nothing a client sends is ever spliced into the SQL text.
import type { ApiKeyQuery, ApiKeyQueryField, ApiKeyQueryValue, ApiKeySort } from './types.js';

export type SqlParam = string | number | boolean | null | readonly string[];

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

export interface SqlDialect {
  readonly true: string;
  readonly false: string;
  /** A condition as 0 or 1 (NULL counting as 0), to count matching should clauses. */
  count(condition: string): string;
  /** The column of insertion order (the `_doc` sort). */
  readonly docColumn: string;
  /** How a boolean column value is bound. */
  bool(value: boolean): SqlParam;
  /**
   * EXISTS over the leaves (scalars, or scalars inside an array) of `segments` of the metadata
   * (null: any leaf at any depth), with `condition` written against `leaf` (the leaf as text).
   */
  metadataLeaf(segments: readonly string[] | null, condition: (leaf: string) => SqlFragment): SqlFragment;
  /** An Elasticsearch wildcard (`*`, `?`, `\\` escapes) as the dialect's pattern match. */
  wildcard(target: string, pattern: string, folded: boolean): SqlFragment;
  /** A column as text (prefix and wildcard on any field). */
  text(column: string): string;
}

const COLUMNS: Readonly<Record<string, string>> = {
  id: 'id',
  name: 'name',
  type: 'type',
  username: 'username',
  realm_name: 'realm_name',
  creation: 'created_at',
  expiration: 'expires_at',
  invalidated: 'invalidated',
  invalidation: 'invalidated_at',
};

/** Metadata is flattened like Elasticsearch's `flattened` field: every leaf compares as a keyword. */
type MetadataPath = { readonly segments: readonly string[] | null } | null;

function metadataPath(field: string): MetadataPath {
  if (field === 'metadata') return { segments: null };
  if (!field.startsWith('metadata.')) return null;
  const segments = field.slice('metadata.'.length).split('.');
  // A key containing a double quote cannot be addressed by SQLite's JSON path: it matches nothing on both stores.
  if (segments.some((segment) => segment === '' || segment.includes('"'))) return { segments: ['\u0000'] };
  return { segments };
}

function columnOf(field: ApiKeyQueryField): string {
  const column = COLUMNS[field];
  if (column === undefined) throw new Error(`not a column: ${field}`);
  return column;
}

/** The WHERE, ORDER BY and search_after fragments of API key searches, in one dialect. */
export class ApiKeySql {
  constructor(private readonly dialect: SqlDialect) {}

  private value(field: ApiKeyQueryField | '_doc', value: ApiKeyQueryValue): SqlParam {
    if (field === '_doc') return Number(value);
    if (field === 'invalidated') return this.dialect.bool(value === true || value === 'true');
    if (typeof value === 'boolean') return String(value);
    return value;
  }

  private leafCondition(query: Exclude<ApiKeyQuery, { kind: 'match_all' | 'match_none' | 'bool' | 'exists' }>, column: string, metadata: boolean): SqlFragment {
    const d = this.dialect;
    // case_insensitive: both sides lower-cased, like a keyword normalizer would.
    const folded = query.kind !== 'range' && query.caseInsensitive === true;
    const text = metadata ? column : d.text(column);
    const value = (v: ApiKeyQueryValue): SqlParam => (metadata ? String(v) : this.value(query.field, v));
    switch (query.kind) {
      case 'terms': {
        if (query.values.length === 0) return { sql: d.false, params: [] };
        const target = folded ? `lower(${text})` : column;
        const param = folded ? 'lower(?)' : '?';
        return { sql: `${target} IN (${query.values.map(() => param).join(', ')})`, params: query.values.map((v) => (folded ? String(v) : value(v))) };
      }
      case 'prefix': {
        const target = folded ? `lower(${text})` : text;
        const param = folded ? 'lower(?)' : '?';
        return { sql: `substr(${target}, 1, length(?)) = ${param}`, params: [query.value, query.value] };
      }
      case 'wildcard':
        return d.wildcard(folded ? `lower(${text})` : text, query.value, folded);
      case 'range': {
        const parts: string[] = [];
        const params: SqlParam[] = [];
        const bound = (op: string, v: ApiKeyQueryValue | undefined) => {
          if (v === undefined) return;
          parts.push(`${column} ${op} ?`);
          params.push(value(v));
        };
        bound('>', query.gt);
        bound('>=', query.gte);
        bound('<', query.lt);
        bound('<=', query.lte);
        return { sql: parts.length === 0 ? `${column} IS NOT NULL` : parts.join(' AND '), params };
      }
    }
  }

  compileQuery(query: ApiKeyQuery): SqlFragment {
    const d = this.dialect;
    switch (query.kind) {
      case 'match_all':
        return { sql: d.true, params: [] };
      case 'match_none':
        return { sql: d.false, params: [] };
      case 'bool': {
        const parts: string[] = [];
        const params: SqlParam[] = [];
        for (const clause of query.must) {
          const compiled = this.compileQuery(clause);
          parts.push(`(${compiled.sql})`);
          params.push(...compiled.params);
        }
        for (const clause of query.mustNot) {
          const compiled = this.compileQuery(clause);
          // SQL's NULL (a comparison with a missing value) is "no match", so NOT must not keep it NULL.
          parts.push(`NOT COALESCE((${compiled.sql}), ${d.false})`);
          params.push(...compiled.params);
        }
        if (query.should.length > 0 && query.minimumShouldMatch > 0) {
          const compiled = query.should.map((clause) => this.compileQuery(clause));
          // "at least n of the should clauses".
          parts.push(`((${compiled.map((c) => d.count(c.sql)).join(' + ')}) >= ?)`);
          for (const c of compiled) params.push(...c.params);
          params.push(query.minimumShouldMatch);
        }
        return { sql: parts.length === 0 ? d.true : parts.join(' AND '), params };
      }
      case 'exists': {
        const path = metadataPath(query.field);
        if (path !== null) return d.metadataLeaf(path.segments, () => ({ sql: d.true, params: [] }));
        return { sql: `k.${columnOf(query.field)} IS NOT NULL`, params: [] };
      }
      default: {
        const path = metadataPath(query.field);
        if (path !== null) return d.metadataLeaf(path.segments, (leaf) => this.leafCondition(query, leaf, true));
        return this.leafCondition(query, `k.${columnOf(query.field)}`, false);
      }
    }
  }

  private sortTarget(sort: ApiKeySort): string {
    if (sort.field === '_doc') return this.dialect.docColumn;
    if (metadataPath(sort.field) !== null) throw new Error('metadata fields are not sortable');
    return `k.${columnOf(sort.field)}`;
  }

  /** ORDER BY of the requested sort (missing values last, as Elasticsearch), then a stable tiebreak. */
  compileOrder(sorts: readonly ApiKeySort[]): string {
    const parts = sorts.map((sort) => `${this.sortTarget(sort)} ${sort.order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
    parts.push('k.created_at ASC', 'k.id ASC');
    return parts.join(', ');
  }

  /** The rows strictly after `after` in the order of `sorts` (Elasticsearch's search_after). */
  compileSearchAfter(sorts: readonly ApiKeySort[], after: readonly (ApiKeyQueryValue | null)[]): SqlFragment {
    const alternatives: string[] = [];
    const params: SqlParam[] = [];
    for (let i = 0; i < sorts.length; i++) {
      const conjunction: string[] = [];
      const local: SqlParam[] = [];
      let possible = true;
      for (let j = 0; j <= i; j++) {
        const sort = sorts[j] as ApiKeySort;
        const target = this.sortTarget(sort);
        const raw = after[j] ?? null;
        const v = raw === null ? null : this.value(sort.field, raw);
        if (j < i) {
          if (v === null) conjunction.push(`${target} IS NULL`);
          else {
            conjunction.push(`${target} = ?`);
            local.push(v);
          }
        } else if (v === null) {
          // Nothing sorts after a missing value (missing values come last).
          possible = false;
        } else {
          conjunction.push(`(${target} ${sort.order === 'desc' ? '<' : '>'} ? OR ${target} IS NULL)`);
          local.push(v);
        }
      }
      if (!possible) continue;
      alternatives.push(`(${conjunction.join(' AND ')})`);
      params.push(...local);
    }
    return { sql: alternatives.length === 0 ? this.dialect.false : alternatives.join(' OR '), params };
  }
}
