// SQLite's dialect of the API key search (store/api-key-sql.ts): 0/1 booleans, json_each/json_tree
// for metadata leaves, GLOB for wildcards.
import { ApiKeySql, type SqlFragment } from '../api-key-sql.js';

/** A metadata leaf as text: booleans as true/false, like Elasticsearch's flattened keyword. */
const LEAF_TEXT = "(CASE je.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(je.value AS TEXT) END)";

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

export const sqliteApiKeySql = new ApiKeySql({
  true: '1',
  false: '0',
  count: (condition) => `COALESCE((${condition}), 0)`,
  docColumn: 'k.rowid',
  bool: (value) => (value ? 1 : 0),
  text: (column) => column,
  wildcard: (target, pattern, folded) => ({ sql: `${target} GLOB ${folded ? 'lower(?)' : '?'}`, params: [wildcardToGlob(pattern)] }),
  metadataLeaf(segments, condition): SqlFragment {
    const leaf = condition(LEAF_TEXT);
    if (segments === null) {
      // The flattened root field: any leaf at any depth.
      return { sql: `EXISTS (SELECT 1 FROM json_tree(k.metadata) je WHERE je.type NOT IN ('object', 'array') AND ${leaf.sql})`, params: leaf.params };
    }
    // JSON path with each key quoted.
    const path = '$' + segments.map((segment) => `."${segment}"`).join('');
    return {
      sql: `EXISTS (SELECT 1 FROM json_each(k.metadata, ?) je WHERE json_type(k.metadata, ?) <> 'object' AND je.type NOT IN ('object', 'array') AND ${leaf.sql})`,
      params: [path, path, ...leaf.params],
    };
  },
});
