// Request → what must be authorized: the action Elasticsearch would authorize and the targets it
// would authorize it on. Pure; the Fastify hook buffers a body only when needsBody() says so.
//
// How to read a Classification:
// - action null: no endpoint matched; requires the cluster privilege `all` (deny by default).
// - actionKind 'cluster' (Elasticsearch's isClusterAction: `cluster:*` and template actions): checked
//   with the cluster privileges; `items` next to it are index privileges the creator must also hold
//   on what the upstream will later read or write (datafeeds, transforms, enrich policies).
// - actionKind 'index': `indices` → the action on every expression ([] = every index); `items` →
//   the top-level action on some index, then each item's action on its expressions; `any_index` →
//   the action on some index; `opaque` → the targets are in a query language: every index.
// - `scroll`, `pit`, `async_search`: continuations, allowed for the identity that received the id.
// - alsoCluster: cluster actions Elasticsearch runs too (the `_cat` APIs).
// - lookups: indices the body reads besides its targets (terms lookup, indexed shapes, percolate,
//   more_like_this items), each needing its action on its index, as Elasticsearch's own get does.
import { illegalArgument } from '../errors/request.js';
import { aliasActionItems, bulkItems, declaredAliases, deferredWorkItems, mgetItems, msearchItems, reindexTargets, type TargetItem } from './body-targets.js';
import { matchEndpoint, type EndpointMatch } from './endpoints.js';
import { splitIndexList } from './index-expression.js';
import { normalizePath, type NormalizedPath } from './path.js';
import { prepareBodySync, singleParam, type BodyFormat, type ParsedBody, type PreparedBody } from './request-body.js';
import { QUERY_BODY_ACTIONS, STORED_QUERY_ACTIONS } from './body-actions.js';
import { innerRequests } from './inner-requests.js';
import { bulkDocumentLookups, msearchLookups, searchLookups, templateLookups } from './search-lookups.js';
import { isObject, type JsonValue } from './strict-json.js';

export type { TargetItem } from './body-targets.js';

export type Targets =
  | { readonly kind: 'none' }
  | { readonly kind: 'indices'; readonly expressions: readonly string[] }
  | { readonly kind: 'any_index' }
  | { readonly kind: 'items'; readonly items: readonly TargetItem[]; readonly remote?: true }
  | { readonly kind: 'scroll'; readonly ids: readonly string[] }
  | { readonly kind: 'pit'; readonly id: string }
  | { readonly kind: 'async_search'; readonly id: string }
  | { readonly kind: 'opaque'; readonly reason: string };

export interface Classification {
  readonly action: string | null;
  readonly actionKind: 'cluster' | 'index' | null;
  readonly targets: Targets;
  readonly alsoCluster: readonly string[];
  readonly lookups: readonly TargetItem[];
  /** The cluster would act with its full rights on anything (a restore, a watch): cluster `all` only. */
  readonly clusterAll?: true;
  /** The matched path template, for logs (`/{index}/_search`). */
  readonly endpoint: string | null;
}

export interface ClassifyInput {
  readonly method: string;
  readonly path: NormalizedPath;
  /** The body as prepared by request-body.ts (what will be forwarded); else read from `body`. */
  readonly prepared?: PreparedBody | undefined;
  readonly body?: Buffer | string | undefined;
  readonly contentType?: string | undefined;
  readonly contentEncoding?: string | undefined;
  /** Decompressed body bound (http.max_content_length); default 100mb. */
  readonly maxBodyBytes?: number | undefined;
}

const NONE: Targets = { kind: 'none' };
const BODY_KINDS = new Set(['body:bulk', 'body:mget', 'body:mtermvectors', 'body:msearch', 'body:reindex', 'body:aliases', 'body:create-index', 'body:resize', 'body:datafeed', 'body:transform', 'body:enrich', 'scroll', 'pit']);


/** Elasticsearch's ClusterPrivilegeResolver.isClusterAction. */
export function isClusterAction(action: string): boolean {
  return action.startsWith('cluster:') || action.startsWith('indices:admin/template/') || action.startsWith('indices:admin/index_template/');
}

const TERMVECTORS = 'indices:data/read/tv';

/** A body field that would name other targets than the path: refused (400) rather than authorized twice. */
function refuseBodyTargets(body: JsonValue | undefined, fields: readonly string[], endpoint: string): void {
  if (!isObject(body)) return;
  for (const field of fields) {
    if (body[field] !== undefined) throw illegalArgument(`[${field}] in the body of [${endpoint}] is not accepted by esgate; name the targets in the path`);
  }
}

const NDJSON_KINDS = new Set(['body:bulk', 'body:msearch']);

/** How the endpoint's body is read when it must be: NDJSON for `_bulk`/`_msearch`, else one JSON document. */
export function bodyFormatOf(match: EndpointMatch): BodyFormat {
  return NDJSON_KINDS.has(match.endpoint.targets) ? 'ndjson' : 'json';
}

/** Whether the matched endpoint's targets can be in its body, so the body must be read before authorizing. */
export function endpointNeedsBody(match: EndpointMatch | null): boolean {
  if (match === null) return false;
  return BODY_KINDS.has(match.endpoint.targets) || QUERY_BODY_ACTIONS.has(match.endpoint.action) || match.endpoint.action === TERMVECTORS || match.endpoint.targets === 'path:index+name';
}

/** Whether the request's targets can be in its body, so the body must be buffered before authorizing. */
export function needsBody(method: string, path: NormalizedPath | string): boolean {
  const normalized = typeof path === 'string' ? normalizePath(path) : path;
  return endpointNeedsBody(matchEndpoint(method, normalized.segments));
}

/** The `{index}` path parameter, else the `index` query parameter (one parameter map in Elasticsearch). */
function indexParam(match: EndpointMatch, query: URLSearchParams, name = 'index'): string | undefined {
  return match.params[name] ?? singleParam(query, name);
}

function indices(raw: string | undefined): Targets {
  return { kind: 'indices', expressions: raw === undefined ? [] : splitIndexList(raw) };
}

type BodyReader = () => ParsedBody | undefined;

/** The JSON body's value; undefined when there is none (or it is empty). */
function jsonOf(body: BodyReader): JsonValue | undefined {
  const parsed = body();
  return parsed?.format === 'json' ? parsed.value : undefined;
}

function requireJson(body: BodyReader): JsonValue {
  const value = jsonOf(body);
  if (value === undefined) throw illegalArgument('request body is required');
  return value;
}

function requireLines(body: BodyReader): readonly (JsonValue | undefined)[] {
  const parsed = body();
  if (parsed === undefined || parsed.format !== 'ndjson' || parsed.lines.length === 0) throw illegalArgument('request body is required');
  return parsed.lines;
}

function stringIds(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw illegalArgument(`[${field}] must be a string or an array of strings`);
}

function scrollTargets(match: EndpointMatch, query: URLSearchParams, body: JsonValue | undefined): Targets {
  // Elasticsearch lets the body override the parameter; every id presented is checked.
  const ids = new Set<string>();
  const param = match.params['scroll_id'] ?? singleParam(query, 'scroll_id');
  if (param !== undefined) for (const id of param.split(',')) if (id !== '') ids.add(id);
  if (body !== undefined) {
    if (!isObject(body)) throw illegalArgument('scroll request body must be an object');
    for (const id of stringIds(body['scroll_id'], 'scroll_id')) ids.add(id);
  }
  if (ids.size === 0) throw illegalArgument('Validation Failed: 1: scrollId is missing;');
  return { kind: 'scroll', ids: [...ids] };
}

function pitId(body: JsonValue | undefined, nested: boolean): string | undefined {
  if (!isObject(body)) return undefined;
  const holder = nested ? body['pit'] : body;
  if (holder === undefined) return undefined;
  if (!isObject(holder) || typeof holder['id'] !== 'string') throw illegalArgument('[pit] must be an object with a string [id]');
  return holder['id'];
}

function targetsOf(match: EndpointMatch, input: ClassifyInput, body: BodyReader): Targets {
  const { query } = input.path;
  const index = indexParam(match, query);
  switch (match.endpoint.targets) {
    case 'none':
      return NONE;
    case 'path:index':
      // _termvectors reads `_index` from its body and lets it replace the path's (TermVectorsRequest).
      if (match.endpoint.action === TERMVECTORS) refuseBodyTargets(jsonOf(body), ['_index'], match.endpoint.path);
      return indices(index);
    case 'path:index|any':
      return index === undefined ? { kind: 'any_index' } : indices(index);
    case 'path:name':
      return indices(indexParam(match, query, 'name'));
    case 'all':
      return indices(undefined);
    case 'path:index+name': {
      const { action } = match.endpoint;
      const name = indexParam(match, query, 'name') ?? '';
      // Elasticsearch's put-alias lets the body's index/alias replace the path's (RestIndexPutAliasAction):
      // targets must be named in one place only, the path, which is what esgate authorizes.
      if (input.method === 'PUT' || input.method === 'POST') refuseBodyTargets(jsonOf(body), ['index', 'indices', 'alias', 'aliases'], match.endpoint.path);
      return { kind: 'items', items: [{ action, expressions: splitIndexList(index ?? ''), position: 0 }, { action, expressions: splitIndexList(name), position: 0 }] };
    }
    case 'search': {
      if (index !== undefined) return indices(index);
      const id = pitId(jsonOf(body), true);
      return id === undefined ? indices(undefined) : { kind: 'pit', id };
    }
    case 'pit': {
      const id = pitId(jsonOf(body), false);
      if (id === undefined) throw illegalArgument('Validation Failed: 1: point in time id is missing;');
      return { kind: 'pit', id };
    }
    case 'scroll':
      return scrollTargets(match, query, jsonOf(body));
    case 'async_search':
      return { kind: 'async_search', id: match.params['id'] ?? '' };
    case 'opaque':
      return { kind: 'opaque', reason: `the targets of [${match.endpoint.action}] are inside its query, which esgate does not parse` };
    case 'body:bulk':
      return { kind: 'items', items: bulkItems(requireLines(body), index) };
    case 'body:msearch':
      return { kind: 'items', items: msearchItems(requireLines(body), index) };
    case 'body:mget':
      return { kind: 'items', items: mgetItems(requireJson(body), index, 'indices:data/read/mget[shard]', true) };
    case 'body:mtermvectors': {
      const value = jsonOf(body);
      // Without a body, `?ids=` on the path's index.
      if (value === undefined) return indices(index);
      return { kind: 'items', items: mgetItems(value, index, 'indices:data/read/tv', false) };
    }
    case 'body:reindex': {
      const { items, remote } = reindexTargets(requireJson(body));
      return remote ? { kind: 'items', items, remote: true } : { kind: 'items', items };
    }
    case 'body:aliases':
      return { kind: 'items', items: aliasActionItems(requireJson(body)) };
    case 'body:create-index':
    case 'body:resize': {
      const { action } = match.endpoint;
      const items: TargetItem[] = [{ action, expressions: splitIndexList(index ?? ''), position: 0 }];
      const target = match.params['target'];
      if (target !== undefined) items.push({ action, expressions: [target], position: 0 });
      for (const alias of declaredAliases(jsonOf(body))) items.push({ action: 'indices:admin/aliases', expressions: [alias], position: 0 });
      return { kind: 'items', items };
    }
    case 'body:datafeed':
    case 'body:transform':
    case 'body:enrich': {
      const kind = match.endpoint.targets.slice(5) as 'datafeed' | 'transform' | 'enrich';
      const items = deferredWorkItems(kind, jsonOf(body));
      // Updating or previewing a stored transform/datafeed by id runs its stored sources (and
      // destination), which esgate does not fetch: they may be any index.
      const storedId = match.params['transform_id'] ?? match.params['datafeed_id'];
      if (storedId !== undefined && /\/(update|preview)$/.test(match.endpoint.action)) {
        items.push({ action: 'indices:data/read/search', expressions: [], position: 0 });
      }
      // Nothing read later (a job without an embedded datafeed): a plain cluster action.
      return items.length === 0 ? NONE : { kind: 'items', items };
    }
  }
}

function lookupsOf(action: string, parsed: ParsedBody | undefined): TargetItem[] {
  if (parsed === undefined) return [];
  if (parsed.format === 'ndjson') {
    if (action === 'indices:data/read/msearch/template') return parsed.lines.some((line) => line !== undefined) ? templateLookups() : [];
    if (!parsed.mayHaveLookups) return [];
    return action === 'indices:data/write/bulk' ? bulkDocumentLookups(parsed.lines) : msearchLookups(parsed.lines);
  }
  const value = parsed.value;
  if (value === undefined) return [];
  if (action === 'indices:data/read/search/template' || action === 'indices:data/read/msearch/template') return templateLookups();
  // _rank_eval renders its `templates` upstream, like a search template.
  if (action === 'indices:data/read/rank_eval' && isObject(value) && value['templates'] !== undefined) return templateLookups();
  if (!parsed.mayHaveLookups) return [];
  const found = searchLookups(value);
  if (found.length > 0 && STORED_QUERY_ACTIONS.has(action)) return templateLookups();
  return found;
}

function pathIndexOf(match: EndpointMatch, query: URLSearchParams): string | undefined {
  return match.params['index'] ?? singleParam(query, 'index');
}

/** Classifies one request. Throws an EsError (400/406/413) for bodies or parameters that cannot be read exactly. */
export function classifyRequest(input: ClassifyInput): Classification {
  const match = matchEndpoint(input.method, input.path.segments);
  if (match === null) return { action: null, actionKind: null, targets: NONE, alsoCluster: [], lookups: [], endpoint: null };
  return classifyMatched(match, input);
}

/** classifyRequest for an endpoint already matched (the proxy hook matches once). */
export function classifyMatched(match: EndpointMatch, input: ClassifyInput): Classification {
  const { action, path } = match.endpoint;
  let read = input.prepared !== undefined;
  let parsed = input.prepared?.parsed;
  const body: BodyReader = () => {
    if (!read) parsed = prepareBodySync({ ...input, query: input.path.query }, bodyFormatOf(match))?.parsed;
    read = true;
    return parsed;
  };
  let resolved = action;
  // `?op_type=create` on an index request is a create, as for bulk items.
  if (action === 'indices:data/write/index' && singleParam(input.path.query, 'op_type') === 'create') resolved = 'indices:data/write/index:op_type/create';
  const targets = targetsOf(match, input, body);
  const lookups = QUERY_BODY_ACTIONS.has(action) ? lookupsOf(action, body()) : [];
  const inner = innerRequests({ action, query: input.path.query, body: QUERY_BODY_ACTIONS.has(action) ? jsonOf(body) : undefined, pathIndex: pathIndexOf(match, input.path.query) });
  return {
    action: resolved,
    actionKind: isClusterAction(resolved) ? 'cluster' : 'index',
    targets,
    alsoCluster: match.endpoint.alsoCluster ?? [],
    lookups: inner.items.length === 0 ? lookups : [...lookups, ...inner.items],
    ...(inner.clusterAll ? { clusterAll: true as const } : {}),
    endpoint: path,
  };
}
