// Indices a search body reads besides the ones it searches: terms lookups, indexed shapes,
// percolated documents, more_like_this items and `lookup` runtime fields. Elasticsearch fetches them
// under the caller's identity, so they are authorized too; behind esgate the upstream would fetch
// them with no one's privileges. Search templates are rendered by the upstream: when one may hold a
// lookup (a stored template, or an inline one that mentions one), its lookup may name any index.
import { msearchStart, type TargetItem } from './body-targets.js';
import { isObject, type JsonValue } from './strict-json.js';

const GET = 'indices:data/read/get';
const MTV = 'indices:data/read/mtv';
/** Default index of geo_shape/shape `indexed_shape` (ShapeQueryBuilder.DEFAULT_SHAPE_INDEX_NAME). */
const DEFAULT_SHAPE_INDEX = 'shapes';
const SEARCH = 'indices:data/read/search';
const KEYWORDS = ['"terms"', '"geo_shape"', '"shape"', '"percolate"', '"more_like_this"', '"mlt"', '"lookup"', '"wrapper"', '"collate"'];

/**
 * Cheap test on a canonical body (request-body.ts) before walking it: canonical text spells every
 * key plainly (escapes of ordinary characters are decoded), so a lookup key appears literally.
 */
export function mayHaveLookups(canonical: string): boolean {
  return KEYWORDS.some((keyword) => canonical.includes(keyword));
}

/**
 * A search template (inline source or a stored template by id) is rendered by the upstream; mustache
 * can assemble any query, lookups included, from parts no scan would recognise. So a template is a
 * read of every index (allowed for identities that may read everything).
 */
export function templateLookups(): TargetItem[] {
  return [{ action: GET, expressions: [], position: 0 }];
}

function push(items: TargetItem[], action: string, index: JsonValue | undefined, fallback?: string): void {
  const name = typeof index === 'string' && index !== '' ? index : fallback;
  if (name !== undefined) items.push({ action, expressions: [name], position: 0 });
}

function lookupsIn(key: string, value: JsonValue, items: TargetItem[]): void {
  // A wrapper query is base64 of another query (in any XContent format) that the upstream decodes and
  // rewrites, lookups included: a read of every index.
  if (!isObject(value)) return;
  if (key === 'wrapper') {
    if (value['query'] !== undefined) items.push({ action: GET, expressions: [], position: 0 });
    return;
  }
  // A phrase suggester's collate is a template the cluster renders and runs as a query (PhraseSuggester).
  if (key === 'phrase' && value['collate'] !== undefined) items.push({ action: GET, expressions: [], position: 0 });
  if (key === 'terms') {
    for (const spec of Object.values(value)) if (isObject(spec) && spec['id'] !== undefined) push(items, GET, spec['index']);
  } else if (key === 'geo_shape' || key === 'shape') {
    for (const spec of Object.values(value)) {
      const indexed = isObject(spec) ? spec['indexed_shape'] : undefined;
      if (isObject(indexed)) push(items, GET, indexed['index'], DEFAULT_SHAPE_INDEX);
    }
  } else if (key === 'percolate') {
    if (value['id'] !== undefined) push(items, GET, value['index']);
  } else if (key === 'more_like_this' || key === 'mlt') {
    for (const field of ['like', 'unlike']) {
      const entries = value[field];
      for (const entry of Array.isArray(entries) ? entries : [entries]) if (isObject(entry)) push(items, MTV, entry['_index']);
    }
  }
}

/** Every level is walked: the reader bounds the depth (strict-json.ts MAX_JSON_DEPTH), never this walk. */
function walk(value: JsonValue, items: TargetItem[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const entry of value) walk(entry, items);
    return;
  }
  // A `lookup` runtime field (in a search, a mapping or a template) searches its target index.
  const target = value['target_index'];
  if (value['type'] === 'lookup' && target !== undefined) items.push({ action: SEARCH, expressions: typeof target === 'string' && target !== '' ? [target] : [], position: 0 });
  for (const [key, child] of Object.entries(value)) {
    lookupsIn(key, child, items);
    walk(child, items);
  }
}

/** Lookups in one JSON search body (or any body holding a query); [] when there are none. */
export function searchLookups(value: JsonValue | undefined): TargetItem[] {
  const items: TargetItem[] = [];
  if (value !== undefined) walk(value, items);
  return items;
}

/** Lookups in each search body line of an `_msearch` body (headers are on the even lines after the start). */
export function msearchLookups(lines: readonly (JsonValue | undefined)[]): TargetItem[] {
  const items: TargetItem[] = [];
  let position = 0;
  for (let i = msearchStart(lines) + 1; i < lines.length; i += 2, position++) {
    const line = lines[i];
    if (line === undefined) continue;
    for (const item of searchLookups(line)) items.push({ ...item, position });
  }
  return items;
}

/**
 * Lookups in the documents of a `_bulk` body (source lines, and update lines' doc/upsert/script
 * params): into an index with a percolator field they become queries the cluster rewrites.
 */
export function bulkDocumentLookups(lines: readonly (JsonValue | undefined)[]): TargetItem[] {
  const items: TargetItem[] = [];
  let position = 0;
  for (let i = 0; i < lines.length; i++) {
    const action = lines[i];
    if (!isObject(action)) continue;
    const type = Object.keys(action)[0];
    if (type === 'delete') {
      position++;
      continue;
    }
    const doc = lines[++i];
    if (doc !== undefined) for (const item of searchLookups(doc)) items.push({ ...item, position });
    position++;
  }
  return items;
}
