// What the cluster will fetch or change on behalf of a request, authorized as the caller (no
// confused deputy). Behind esgate the cluster runs with full rights: where Elasticsearch would
// authorize an inner request as the caller (a lookup in a written document, a transform's
// destination aliases, a painless execute on an index), esgate authorizes it before forwarding;
// where the cluster runs a stored job later with someone's headers (ILM, SLM, watches, pipelines,
// stored scripts), the privilege to store it requires what it amounts to. The inventory these
// rules come from, row by row with Elasticsearch's sources, is docs/inner-requests.json.
import { illegalArgument } from '../errors/request.js';
import type { TargetItem } from './body-targets.js';
import { splitIndexList } from './index-expression.js';
import { searchLookups } from './search-lookups.js';
import { isObject, type JsonValue } from './strict-json.js';

const SEARCH = 'indices:data/read/search';
const DELETE_DOC = 'indices:data/write/delete';
const EVERY_INDEX: readonly string[] = [];

/** Extra requirements a body or an action adds; `clusterAll`: only the cluster privilege `all` may do it. */
export interface InnerRequests {
  readonly items: readonly TargetItem[];
  readonly clusterAll: boolean;
}

const NONE: InnerRequests = { items: [], clusterAll: false };

function every(actions: readonly string[]): TargetItem[] {
  return actions.map((action) => ({ action, expressions: EVERY_INDEX, position: 0 }));
}

/**
 * Stored jobs the cluster runs later with the rights it has behind esgate: storing one needs what
 * it can do to every index (restricted ones included), or cluster `all` where it can do anything.
 */
const STORED_JOBS: ReadonlyMap<string, InnerRequests> = new Map([
  // ILM steps delete, shrink, roll over and freeze every index that uses the policy (PolicyStepsRegistry
  // runs them with the last updater's headers); moving an index to a step runs it now.
  ['cluster:admin/ilm/put', { items: every(['indices:admin/delete', 'indices:admin/settings/update']), clusterAll: false }],
  ['cluster:admin/ilm/_move/post', { items: every(['indices:admin/delete', 'indices:admin/settings/update']), clusterAll: false }],
  // SLM policies and snapshots copy every index (and system feature states) out to a repository.
  ['cluster:admin/slm/put', { items: every([SEARCH]), clusterAll: false }],
  ['cluster:admin/slm/execute', { items: every([SEARCH]), clusterAll: false }],
  ['cluster:admin/snapshot/create', { items: every([SEARCH]), clusterAll: false }],
  // A restore writes any index under any name and installs templates, pipelines and policies.
  ['cluster:admin/snapshot/restore', { items: [], clusterAll: true }],
  // Pipelines reroute documents and set _index; stored scripts run in pipelines and as templates.
  ['cluster:admin/ingest/pipeline/put', { items: every(['indices:data/write/index']), clusterAll: false }],
  ['cluster:admin/script/put', { items: every(['indices:data/write/index', SEARCH]), clusterAll: false }],
  // An enrich policy's stored sources are copied into .enrich-* by whoever executes it.
  ['cluster:admin/xpack/enrich/execute', { items: every([SEARCH]), clusterAll: false }],
  // Watches read and write any index and call any HTTP endpoint, the unsecured cluster included.
  ['cluster:admin/xpack/watcher/watch/put', { items: [], clusterAll: true }],
  ['cluster:admin/xpack/watcher/watch/execute', { items: [], clusterAll: true }],
]);

function names(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return splitIndexList(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return (value as string[]).flatMap(splitIndexList);
  throw illegalArgument(`[${field}] must be a string or an array of strings`);
}

/** Whether a mapping anywhere in the body declares a `percolator` field (documents then become queries). */
function declaresPercolator(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(declaresPercolator);
  if (value['type'] === 'percolator') return true;
  return Object.values(value).some(declaresPercolator);
}

/**
 * Index and component templates decide the mappings, settings (pipelines, lifecycle) and aliases of
 * every future matching index: storing one needs `manage` on its patterns and on its alias names.
 */
function templateItems(action: string, body: JsonValue | undefined): TargetItem[] {
  if (!isObject(body)) return [];
  const items: TargetItem[] = [];
  const patterns = action === 'cluster:admin/component_template/put' ? EVERY_INDEX : names(body['index_patterns'] ?? body['template'], 'index_patterns');
  const template = isObject(body['template']) ? body['template'] : body;
  items.push({ action: 'indices:admin/settings/update', expressions: patterns, position: 0 });
  const aliases = template['aliases'];
  if (isObject(aliases)) items.push({ action: 'indices:admin/aliases', expressions: Object.keys(aliases), position: 0 });
  return items;
}

/** `_scripts/painless/_execute`: Elasticsearch authorizes it on `context_setup.index` when one is named. */
function painlessItems(body: JsonValue | undefined): TargetItem[] {
  const setup = isObject(body) ? body['context_setup'] : undefined;
  if (!isObject(setup)) return [];
  const items: TargetItem[] = [];
  if (typeof setup['index'] === 'string') items.push({ action: 'indices:data/read/scripts/painless/execute', expressions: [setup['index']], position: 0 });
  // Its query runs on the index, and its document is parsed with the index's mapping (a percolator field fetches).
  items.push(...searchLookups(setup['query']), ...searchLookups(setup['document']));
  return items;
}

export interface InnerRequestInput {
  readonly action: string;
  readonly query: URLSearchParams;
  /** The JSON body, when read (undefined for NDJSON or none). */
  readonly body: JsonValue | undefined;
  /** The `{index}` of the path (or `?index=`), for writes that act on it. */
  readonly pathIndex: string | undefined;
}

/** The inner requests of one request: authorized as the caller besides its action and targets. */
export function innerRequests(input: InnerRequestInput): InnerRequests {
  const stored = STORED_JOBS.get(input.action);
  if (stored !== undefined) return stored;
  const { action, body } = input;
  switch (action) {
    case 'indices:admin/index_template/put':
    case 'indices:admin/template/put':
    case 'cluster:admin/component_template/put':
      return { items: [...templateItems(action, body), ...percolatorItems(body)], clusterAll: false };
    case 'indices:admin/create':
    case 'indices:admin/mapping/put':
      return { items: percolatorItems(body), clusterAll: false };
    case 'indices:admin/rollover': {
      // The new index's aliases, like a create-index body's.
      const aliases = isObject(body) && isObject(body['aliases']) ? Object.keys(body['aliases']) : [];
      const items = percolatorItems(body);
      if (aliases.length > 0) items.push({ action: 'indices:admin/aliases', expressions: aliases, position: 0 });
      return { items, clusterAll: false };
    }
    case 'cluster:admin/scripts/painless/execute':
      return { items: painlessItems(body), clusterAll: false };
    case 'cluster:admin/transform/delete':
      // delete_dest_index deletes the stored destination with the creator's headers in Elasticsearch
      // (TransportDeleteTransformAction); behind esgate with the cluster's rights: delete on every index.
      return isTrue(input.query.get('delete_dest_index')) ? { items: every(['indices:admin/delete']), clusterAll: false } : NONE;
    case 'indices:data/write/update/byquery':
      // A script may set ctx.op = 'delete': each document it deletes is a delete (Elasticsearch authorizes the bulk items).
      return isObject(body) && body['script'] !== undefined ? { items: [{ action: DELETE_DOC, expressions: input.pathIndex === undefined ? EVERY_INDEX : splitIndexList(input.pathIndex), position: 0 }], clusterAll: false } : NONE;
    default:
      return NONE;
  }
}

function isTrue(value: string | null): boolean {
  return value !== null && value !== 'false';
}

/** A mapping with a percolator field turns written documents into queries the cluster rewrites: read on every index. */
function percolatorItems(body: JsonValue | undefined): TargetItem[] {
  return declaresPercolator(body) ? every([SEARCH]) : [];
}
