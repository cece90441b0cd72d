// PostgreSQL's dialect of the API key search (store/api-key-sql.ts): real booleans, jsonb for
// metadata leaves (the column stays text so it round-trips byte for byte), LIKE for wildcards.
import { ApiKeySql, type SqlFragment } from '../api-key-sql.js';

/** Elasticsearch wildcard (`*`, `?`, `\` escapes) → LIKE with `%`, `_` and `\` made literal. */
export function wildcardToLike(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] as string;
      out += next === '%' || next === '_' || next === '\\' ? `\\${next}` : next;
    } else if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** A leaf as text: strings unquoted, numbers and booleans as written, null as NULL. */
const LEAF_TEXT = "(je.value #>> '{}')";

export const pgApiKeySql = new ApiKeySql({
  true: 'TRUE',
  false: 'FALSE',
  count: (condition) => `(CASE WHEN (${condition}) THEN 1 ELSE 0 END)`,
  docColumn: 'k.doc',
  bool: (value) => value,
  text: (column) => `CAST(${column} AS TEXT)`,
  wildcard: (target, pattern, folded) => ({ sql: `${target} LIKE ${folded ? 'lower(?)' : '?'} ESCAPE '\\'`, params: [wildcardToLike(pattern)] }),
  metadataLeaf(segments, condition): SqlFragment {
    const leaf = condition(LEAF_TEXT);
    if (segments === null) {
      // The flattened root field: any leaf at any depth.
      return {
        sql: `EXISTS (SELECT 1 FROM jsonb_path_query(k.metadata::jsonb, 'strict $.**') je(value) WHERE jsonb_typeof(je.value) NOT IN ('object', 'array') AND ${leaf.sql})`,
        params: leaf.params,
      };
    }
    // The value at the path: a scalar is its own leaf, an array's scalar elements are its leaves.
    const at = '(k.metadata::jsonb #> ?::text[])';
    return {
      sql: `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(${at}) WHEN 'array' THEN ${at} WHEN 'object' THEN '[]'::jsonb ELSE jsonb_build_array(${at}) END) je(value)
        WHERE ${at} IS NOT NULL AND jsonb_typeof(je.value) NOT IN ('object', 'array') AND ${leaf.sql})`,
      params: [segments, segments, segments, segments, ...leaf.params],
    };
  },
});

/** `?` placeholders → `$1…$n` (the shared compiler writes `?`; no `?` appears in its SQL text otherwise). */
export function numberPlaceholders(sql: string, offset = 0): string {
  let n = offset;
  return sql.replace(/\?/g, () => `$${++n}`);
}
