// A parsed API key query (store/types.ts ApiKeyQuery) → an SQL WHERE/ORDER BY over the api_keys
// table. Column names come from a fixed table; every value, metadata path included, is a bound
// parameter, so nothing a client sends is ever spliced into the SQL text.
import type { ApiKeyQuery, ApiKeyQueryField, ApiKeyQueryValue, ApiKeySort } from '../types.js';

export type SqlParam = string | number | null;

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlParam[];
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
const LEAF_TEXT = "CASE je.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(je.value AS TEXT) END";

function metadataPath(field: string): string | null {
  if (field === 'metadata') return '$';
  if (!field.startsWith('metadata.')) return null;
  const segments = field.slice('metadata.'.length).split('.');
  // JSON path with each key quoted; a key containing a double quote cannot be addressed and matches nothing.
  if (segments.some((segment) => segment === '' || segment.includes('"'))) return '$."\u0000"';
  return '$' + segments.map((segment) => `."${segment}"`).join('');
}

function columnOf(field: ApiKeyQueryField): string {
  const column = COLUMNS[field];
  if (column === undefined) throw new Error(`not a column: ${field}`);
  return column;
}

function sqlValue(field: ApiKeyQueryField, value: ApiKeyQueryValue): SqlParam {
  if (field === 'invalidated') return value === true || value === 'true' ? 1 : 0;
  if (typeof value === 'boolean') return String(value);
  return value;
}

/** `EXISTS (… leaf of the metadata path satisfying <condition on LEAF_TEXT>)`. */
function metadataLeaf(path: string, condition: string, params: readonly SqlParam[]): SqlFragment {
  if (path === '$') {
    // The flattened root field: any leaf at any depth.
    return { sql: `EXISTS (SELECT 1 FROM json_tree(k.metadata) je WHERE je.type NOT IN ('object', 'array') AND ${condition})`, params };
  }
  return {
    sql: `EXISTS (SELECT 1 FROM json_each(k.metadata, ?) je WHERE json_type(k.metadata, ?) <> 'object' AND je.type NOT IN ('object', 'array') AND ${condition})`,
    params: [path, path, ...params],
  };
}

/** Elasticsearch wildcard (`*`, `?`, `\` escapes) → SQLite GLOB with `[`/`]` made literal. */
export function wildcardToGlob(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] as string;
      out += next === '*' || next === '?' || next === '[' || next === ']' ? `[${next}]` : next;
    } else if (ch === '[' || ch === ']') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

function leafCondition(query: Exclude<ApiKeyQuery, { kind: 'match_all' | 'match_none' | 'bool' | 'exists' }>, column: string, metadata: boolean): SqlFragment {
  // case_insensitive: both sides lower-cased (SQLite's lower() folds ASCII, like a keyword normalizer would).
  const folded = query.kind !== 'range' && query.caseInsensitive === true;
  const target = folded ? `lower(${column})` : column;
  const param = folded ? 'lower(?)' : '?';
  const value = (v: ApiKeyQueryValue): SqlParam => (metadata ? String(v) : sqlValue(query.field, v));
  switch (query.kind) {
    case 'terms':
      if (query.values.length === 0) return { sql: '0', params: [] };
      return { sql: `${target} IN (${query.values.map(() => param).join(', ')})`, params: query.values.map(value) };
    case 'prefix':
      return { sql: `substr(${target}, 1, length(?)) = ${param}`, params: [query.value, query.value] };
    case 'wildcard':
      return { sql: `${target} GLOB ${param}`, params: [wildcardToGlob(query.value)] };
    case 'range': {
      const parts: string[] = [];
      const params: SqlParam[] = [];
      const bound = (op: string, v: ApiKeyQueryValue | undefined) => {
        if (v === undefined) return;
        parts.push(`${target} ${op} ?`);
        params.push(value(v));
      };
      bound('>', query.gt);
      bound('>=', query.gte);
      bound('<', query.lt);
      bound('<=', query.lte);
      return { sql: parts.length === 0 ? `${target} IS NOT NULL` : parts.join(' AND '), params };
    }
  }
}

export function compileQuery(query: ApiKeyQuery): SqlFragment {
  switch (query.kind) {
    case 'match_all':
      return { sql: '1', params: [] };
    case 'match_none':
      return { sql: '0', params: [] };
    case 'bool': {
      const parts: string[] = [];
      const params: SqlParam[] = [];
      for (const clause of query.must) {
        const compiled = compileQuery(clause);
        parts.push(`(${compiled.sql})`);
        params.push(...compiled.params);
      }
      for (const clause of query.mustNot) {
        const compiled = compileQuery(clause);
        // SQL's NULL (a comparison with a missing value) is "no match", so NOT must not keep it NULL.
        parts.push(`NOT COALESCE((${compiled.sql}), 0)`);
        params.push(...compiled.params);
      }
      if (query.should.length > 0 && query.minimumShouldMatch > 0) {
        const compiled = query.should.map(compileQuery);
        // "at least n of the should clauses": each clause is 0 or 1 in SQLite.
        parts.push(`((${compiled.map((c) => `COALESCE((${c.sql}), 0)`).join(' + ')}) >= ?)`);
        for (const c of compiled) params.push(...c.params);
        params.push(query.minimumShouldMatch);
      }
      return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
    }
    case 'exists': {
      const path = metadataPath(query.field);
      if (path !== null) return metadataLeaf(path, '1', []);
      return { sql: `k.${columnOf(query.field)} IS NOT NULL`, params: [] };
    }
    default: {
      const path = metadataPath(query.field);
      if (path !== null) {
        const condition = leafCondition(query, `(${LEAF_TEXT})`, true);
        return metadataLeaf(path, condition.sql, condition.params);
      }
      return leafCondition(query, `k.${columnOf(query.field)}`, false);
    }
  }
}

function sortTarget(sort: ApiKeySort): string {
  if (sort.field === '_doc') return 'k.rowid';
  const path = metadataPath(sort.field);
  if (path !== null) throw new Error('metadata fields are not sortable');
  return `k.${columnOf(sort.field)}`;
}

/** ORDER BY of the requested sort (missing values last, as Elasticsearch), then a stable tiebreak. */
export function compileOrder(sorts: readonly ApiKeySort[]): string {
  const parts = sorts.map((sort) => `${sortTarget(sort)} ${sort.order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  parts.push('k.created_at ASC', 'k.id ASC');
  return parts.join(', ');
}

/** The rows strictly after `after` in the order of `sorts` (Elasticsearch's search_after). */
export function compileSearchAfter(sorts: readonly ApiKeySort[], after: readonly (ApiKeyQueryValue | null)[]): SqlFragment {
  const alternatives: string[] = [];
  const params: SqlParam[] = [];
  for (let i = 0; i < sorts.length; i++) {
    const conjunction: string[] = [];
    const local: SqlParam[] = [];
    let possible = true;
    for (let j = 0; j <= i; j++) {
      const sort = sorts[j] as ApiKeySort;
      const target = sortTarget(sort);
      const raw = after[j] ?? null;
      const v = raw === null ? null : sort.field === '_doc' ? Number(raw) : sqlValue(sort.field, raw);
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
  return { sql: alternatives.length === 0 ? '0' : alternatives.join(' OR '), params };
}
