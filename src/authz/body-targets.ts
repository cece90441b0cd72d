// Targets named in request bodies: `_bulk` action lines, `_msearch` headers, `_mget`/`_mtermvectors`
// docs, `_reindex` source/dest, `_aliases` actions. Parsed the way Elasticsearch parses them, with its
// error types; bodies are only read here when the endpoint's targets live in them.
import { parsingException } from '../errors/authz-request.js';
import { illegalArgument, parseException, validationFailed } from '../errors/request.js';
import { isObject, type JsonValue } from './strict-json.js';
import { splitIndexList } from './index-expression.js';

export interface TargetItem {
  /** The action authorized for this element (`indices:data/write/delete` for a bulk delete, …). */
  readonly action: string;
  /** Raw index expression parts (comma-split, date math unresolved); resolve with parseIndexExpression. */
  readonly expressions: readonly string[];
  /** The element's position in the request (bulk item, mget doc, msearch search) for per-item answers. */
  readonly position: number;
}

const WRITE_INDEX = 'indices:data/write/index';
const WRITE_CREATE = 'indices:data/write/index:op_type/create';
const SEARCH = 'indices:data/read/search';

const BULK_PARAMS = new Set([
  '_index', '_id', 'routing', 'op_type', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'retry_on_conflict',
  'pipeline', '_source', 'require_alias', 'require_data_stream', 'list_executed_pipelines', 'dynamic_templates',
]);

function lineObject(value: JsonValue, number: number, what: string): { [key: string]: JsonValue } {
  if (!isObject(value)) throw illegalArgument(`Malformed ${what} line [${number}], expected START_OBJECT or END_OBJECT but found [${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'}]`);
  return value;
}

function stringField(value: JsonValue | undefined, field: string, number: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw illegalArgument(`Malformed action/metadata line [${number}], expected a simple value for field [${field}] but found [${typeof value}]`);
  return value;
}

/**
 * `_bulk`: one item per action line; items without `_index` inherit the path's index. `lines` are
 * the parsed NDJSON lines (undefined: an empty line, forwarded empty), as request-body.ts reads them.
 */
export function bulkItems(lines: readonly (JsonValue | undefined)[], pathIndex: string | undefined): TargetItem[] {
  const items: TargetItem[] = [];
  const missing: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const number = i + 1;
    const line = lines[i];
    if (line === undefined) continue;
    const action = lineObject(line, number, 'action/metadata');
    const keys = Object.keys(action);
    if (keys.length !== 1) throw illegalArgument(`Malformed action/metadata line [${number}], expected a single action but found [${keys.length}]`);
    const type = keys[0] as string;
    if (type !== 'index' && type !== 'create' && type !== 'update' && type !== 'delete') {
      throw illegalArgument(`Malformed action/metadata line [${number}], expected one of [create, delete, index, update] but found [${type}]`);
    }
    const meta = action[type];
    if (!isObject(meta)) throw illegalArgument(`Malformed action/metadata line [${number}], expected START_OBJECT but found [${meta === null ? 'VALUE_NULL' : 'VALUE'}]`);
    for (const key of Object.keys(meta)) if (!BULK_PARAMS.has(key)) throw illegalArgument(`Action/metadata line [${number}] contains an unknown parameter [${key}]`);
    const index = stringField(meta['_index'], '_index', number) ?? pathIndex;
    const opType = stringField(meta['op_type'], 'op_type', number);
    let itemAction = type === 'update' ? 'indices:data/write/update' : type === 'delete' ? 'indices:data/write/delete' : WRITE_INDEX;
    if (type === 'create' || (type === 'index' && opType === 'create')) itemAction = WRITE_CREATE;
    if (index === undefined || index === '') missing.push('index is missing');
    else items.push({ action: itemAction, expressions: [index], position: items.length + missing.length });
    if (type !== 'delete') {
      i++; // the document (or update) line, whatever it holds
      if (i >= lines.length) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
    }
  }
  if (missing.length > 0) throw validationFailed(missing);
  if (items.length === 0) throw validationFailed(['no requests added']);
  return items;
}

function indexList(value: JsonValue | undefined, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return splitIndexList(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return (value as string[]).flatMap(splitIndexList);
  throw parseException(`[${where}] must be a string or an array of strings`);
}

const MSEARCH_HEADER = new Set([
  'index', 'indices', 'expand_wildcards', 'ignore_unavailable', 'allow_no_indices', 'ignore_throttled', 'search_type',
  'request_cache', 'routing', 'preference', 'allow_partial_search_results', 'ccs_minimize_roundtrips',
]);

/**
 * Where the first header is. Elasticsearch 8/9 reads an empty first line as an empty header, but
 * skips it under `compatible-with=7` (MultiSearchRequest.readMultiLineFormat): a body whose pairing
 * depends on the API version is refused rather than read one way and run the other.
 */
export function msearchStart(lines: readonly (JsonValue | undefined)[]): number {
  if (lines.length > 0 && lines[0] === undefined) throw illegalArgument('The msearch request must not start with an empty line');
  return 0;
}

/** `_msearch` and `_msearch/template`: one search per header/body pair, on the header's index or the path's. */
export function msearchItems(lines: readonly (JsonValue | undefined)[], pathIndex: string | undefined): TargetItem[] {
  const items: TargetItem[] = [];
  for (let i = msearchStart(lines); i < lines.length; i += 2) {
    const number = i + 1;
    const line = lines[i];
    const header = line === undefined ? {} : lineObject(line, number, 'msearch header');
    for (const key of Object.keys(header)) if (!MSEARCH_HEADER.has(key)) throw illegalArgument(`key [${key}] is not supported in the metadata section`);
    if (header['index'] !== undefined && header['indices'] !== undefined) throw illegalArgument(`msearch header line [${number}] names both [index] and [indices]`);
    const expressions = indexList(header['index'] ?? header['indices'], 'index') ?? (pathIndex === undefined ? [] : splitIndexList(pathIndex));
    if (i + 1 >= lines.length) break; // a header without a body line is not a search (Elasticsearch ignores it)
    items.push({ action: SEARCH, expressions, position: items.length });
  }
  if (items.length === 0) throw validationFailed(['no requests added']);
  return items;
}

/** The fields MultiGetRequest.parseDocuments reads; it does not skip others, so others are refused. */
const MGET_DOC_FIELDS = new Set(['_index', '_id', 'routing', 'version', 'version_type', 'stored_fields', '_source']);

/** `_mget` / `_mtermvectors`: each doc's `_index`, else the path's; `ids` need the path's index. */
export function mgetItems(value: JsonValue, pathIndex: string | undefined, itemAction: string, strictDocs: boolean): TargetItem[] {
  if (!isObject(value)) throw parseException('failed to parse multi get request: expected an object');
  const items: TargetItem[] = [];
  const missing: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (key === 'docs' && Array.isArray(field)) {
      field.forEach((doc, n) => {
        if (!isObject(doc)) throw parseException('failed to parse multi get request: docs must be objects');
        if (strictDocs) for (const name of Object.keys(doc)) if (!MGET_DOC_FIELDS.has(name)) throw parseException(`failed to parse multi get request. unknown field [${name}]`);
        const raw = doc['_index'];
        if (raw !== undefined && typeof raw !== 'string') throw parseException('failed to parse multi get request: [_index] must be a string');
        const index = raw ?? pathIndex;
        if (index === undefined || index === '') missing.push(`index is missing for doc ${n}`);
        else items.push({ action: itemAction, expressions: [index], position: n });
      });
    } else if (key === 'ids' && Array.isArray(field)) {
      field.forEach((_, n) => {
        if (pathIndex === undefined) missing.push(`index is missing for doc ${n}`);
        else items.push({ action: itemAction, expressions: [pathIndex], position: n });
      });
    } else if (!strictDocs && key === 'parameters' && isObject(field) && field['_index'] !== undefined) {
      // _mtermvectors: the template's `_index` becomes every doc's index (MultiTermVectorsRequest.add).
      throw illegalArgument('[parameters._index] in the body of [_mtermvectors] is not accepted by esgate; name the index in the path or in each doc');
    } else if (Array.isArray(field)) {
      if (strictDocs) throw parsingException(`unknown key [${key}] for a START_ARRAY, expected [docs] or [ids]`);
    } else if (strictDocs || key === 'docs' || key === 'ids') {
      throw parsingException(`unexpected token [${isObject(field) ? 'START_OBJECT' : 'VALUE'}], expected [FIELD_NAME] or [START_ARRAY]`);
    }
  }
  if (missing.length > 0) throw validationFailed(missing);
  if (items.length === 0) throw validationFailed(['no documents to get']);
  return items;
}

export interface ReindexTargets {
  readonly items: TargetItem[];
  /** `source.remote` is set: the source is another cluster, not authorized here. */
  readonly remote: boolean;
}

/** `_reindex`: read on `source.index` (unless remote), write on `dest.index`. */
export function reindexTargets(value: JsonValue): ReindexTargets {
  if (!isObject(value)) throw parseException('request body is required');
  const source = value['source'];
  const dest = value['dest'];
  if (!isObject(source)) throw validationFailed(['use _all if you really want to copy from all existing indexes']);
  if (!isObject(dest) || typeof dest['index'] !== 'string' || dest['index'] === '') throw validationFailed(['index must be specified']);
  const remote = source['remote'] !== undefined && source['remote'] !== null;
  const sources = indexList(source['index'], 'source.index') ?? [];
  if (sources.length === 0 && !remote) throw validationFailed(['use _all if you really want to copy from all existing indexes']);
  const items: TargetItem[] = [];
  if (!remote) items.push({ action: SEARCH, expressions: sources, position: 0 });
  // A reindex script may set ctx._index and write anywhere: the destination is then every index.
  const scripted = value['script'] !== undefined && value['script'] !== null;
  items.push({ action: dest['op_type'] === 'create' ? WRITE_CREATE : WRITE_INDEX, expressions: scripted ? [] : [dest['index']], position: 1 });
  return { items, remote };
}

/** `_aliases`: add/remove authorize `indices:admin/aliases` on the indices and the aliases; remove_index deletes. */
export function aliasActionItems(value: JsonValue): TargetItem[] {
  const actions = isObject(value) ? value['actions'] : undefined;
  if (!Array.isArray(actions) || actions.length === 0) throw validationFailed(['no aliases actions specified']);
  const items: TargetItem[] = [];
  actions.forEach((entry, position) => {
    const keys = isObject(entry) ? Object.keys(entry) : [];
    const type = keys[0];
    if (keys.length !== 1 || (type !== 'add' && type !== 'remove' && type !== 'remove_index')) throw parseException(`[aliases] failed to parse field [actions]: unknown alias action [${keys.join(',')}]`);
    const spec = (entry as { [key: string]: JsonValue })[type];
    if (!isObject(spec)) throw parseException(`[${type}] must be an object`);
    if (spec['index'] !== undefined && spec['indices'] !== undefined) throw illegalArgument(`[${type}] has both [index] and [indices]`);
    const indices = indexList(spec['index'] ?? spec['indices'], 'index') ?? [];
    if (indices.length === 0) throw validationFailed(['One of [index] or [indices] is required']);
    if (type === 'remove_index') {
      items.push({ action: 'indices:admin/delete', expressions: indices, position });
      return;
    }
    if (spec['alias'] !== undefined && spec['aliases'] !== undefined) throw illegalArgument(`[${type}] has both [alias] and [aliases]`);
    const aliases = indexList(spec['alias'] ?? spec['aliases'], 'alias') ?? [];
    if (aliases.length === 0) throw validationFailed(['One of [alias] or [aliases] is required']);
    items.push({ action: 'indices:admin/aliases', expressions: indices, position });
    items.push({ action: 'indices:admin/aliases', expressions: aliases, position });
  });
  return items;
}

/** Alias names declared in a create-index or resize body (`{"aliases": {"name": {…}}}`). */
export function declaredAliases(value: JsonValue | undefined): string[] {
  if (value === undefined) return [];
  const aliases = isObject(value) ? value['aliases'] : undefined;
  if (aliases === undefined) return [];
  if (!isObject(aliases)) throw parseException('[aliases] must be an object');
  return Object.keys(aliases);
}

/** Indices a datafeed, transform or enrich policy will read (and a transform write). */
export function deferredWorkItems(kind: 'datafeed' | 'transform' | 'enrich', value: JsonValue | undefined): TargetItem[] {
  if (value === undefined || !isObject(value)) return [];
  const items: TargetItem[] = [];
  if (kind === 'datafeed') {
    const sources = indexList(value['indices'] ?? value['indexes'], 'indices');
    if (sources) items.push({ action: SEARCH, expressions: sources, position: 0 });
    // An anomaly detection job's body may embed its datafeed.
    const embedded = value['datafeed_config'];
    if (isObject(embedded)) items.push(...deferredWorkItems('datafeed', embedded));
  } else if (kind === 'transform') {
    const source = value['source'];
    const sources = isObject(source) ? indexList(source['index'], 'source.index') : undefined;
    if (sources) items.push({ action: SEARCH, expressions: sources, position: 0 });
    items.push(...transformDestItems(value));
  } else {
    for (const type of ['match', 'range', 'geo_match']) {
      const policy = value[type];
      const sources = isObject(policy) ? indexList(policy['indices'], `${type}.indices`) : undefined;
      if (sources) items.push({ action: SEARCH, expressions: sources, position: 0 });
    }
  }
  return items;
}

/**
 * A transform's destination, as Elasticsearch's TransformPrivilegeChecker requires it: read, index
 * and create_index on `dest.index`, delete when a retention policy deletes from it, and manage
 * (aliases) on the destination and each `dest.aliases` alias it moves there.
 */
function transformDestItems(value: { [key: string]: JsonValue }): TargetItem[] {
  const dest = value['dest'];
  if (!isObject(dest)) return [];
  const index = typeof dest['index'] === 'string' ? [dest['index']] : [];
  const items: TargetItem[] = [];
  if (index.length > 0) {
    items.push({ action: WRITE_INDEX, expressions: index, position: 1 }, { action: SEARCH, expressions: index, position: 1 }, { action: 'indices:admin/create', expressions: index, position: 1 });
    if (value['retention_policy'] !== undefined && value['retention_policy'] !== null) items.push({ action: 'indices:data/write/delete', expressions: index, position: 1 });
  }
  const aliases = dest['aliases'];
  if (aliases !== undefined && aliases !== null) {
    if (!Array.isArray(aliases)) throw parseException('[dest.aliases] must be an array');
    const names = aliases.map((a) => (isObject(a) && typeof a['alias'] === 'string' && a['alias'] !== '' ? a['alias'] : null));
    if (names.includes(null)) throw parseException('[dest.aliases] entries must have an [alias]');
    if (names.length > 0) items.push({ action: 'indices:admin/aliases', expressions: [...index, ...(names as string[])], position: 1 });
  }
  return items;
}
