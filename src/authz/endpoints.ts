// THE table of Elasticsearch REST endpoints esgate authorizes: method + path template → the
// transport action Elasticsearch would authorize, and where its target indices come from
// (see TargetSource in endpoints/route.ts). Rows live in one file per API family.
//
// DENY BY DEFAULT: a request that matches no row here (an endpoint missing from the table, a
// wrong method, an upper-case `_SEARCH`, an `{index}` that starts with `_`) has action null and
// requires the cluster privilege `all`.
import { CLUSTER_ENDPOINTS } from './endpoints/cluster.js';
import { INDICES_ENDPOINTS } from './endpoints/indices.js';
import type { Endpoint } from './endpoints/route.js';
import { SEARCH_ENDPOINTS } from './endpoints/search.js';
import { XPACK_ENDPOINTS } from './endpoints/xpack.js';

export type { Endpoint, HttpMethod, TargetSource } from './endpoints/route.js';

export const ENDPOINTS: readonly Endpoint[] = [...CLUSTER_ENDPOINTS, ...INDICES_ENDPOINTS, ...SEARCH_ENDPOINTS, ...XPACK_ENDPOINTS];

/** The cluster privilege an unclassified request requires. */
export const UNKNOWN_ENDPOINT_PRIVILEGE = 'all';

export interface EndpointMatch {
  readonly endpoint: Endpoint;
  /** Decoded path parameters by name. */
  readonly params: Readonly<Record<string, string>>;
}

interface Compiled {
  readonly endpoint: Endpoint;
  /** A literal segment, or null for a `{param}`. */
  readonly literals: ReadonlyArray<string | null>;
  readonly names: ReadonlyArray<string | null>;
  /** Literal positions as '1'/'0', compared left to right: Elasticsearch's PathTrie prefers explicit segments. */
  readonly specificity: string;
}

function compile(endpoint: Endpoint): Compiled {
  const parts = endpoint.path.split('/').filter((p) => p !== '');
  const literals = parts.map((p) => (p.startsWith('{') ? null : p));
  const names = parts.map((p) => (p.startsWith('{') ? p.slice(1, -1) : null));
  return { endpoint, literals, names, specificity: literals.map((l) => (l === null ? '0' : '1')).join('') };
}

/** Rows by `METHOD segment-count`, so a lookup scans a few dozen rows at most. */
const byShape = new Map<string, Compiled[]>();
for (const endpoint of ENDPOINTS) {
  const compiled = compile(endpoint);
  const key = `${endpoint.method} ${compiled.literals.length}`;
  const list = byShape.get(key) ?? [];
  list.push(compiled);
  byShape.set(key, list);
}

/** Index path parameters Elasticsearch would reject as names (`_SEARCH`): such a path is no endpoint. */
function acceptsParam(name: string, value: string): boolean {
  if (name === 'index' || name === 'new_index' || name === 'target') return !value.startsWith('_') || value === '_all';
  return true;
}

function matchOne(compiled: Compiled, segments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const literal = compiled.literals[i];
    const segment = segments[i] as string;
    if (literal !== null && literal !== undefined) {
      if (literal !== segment) return null;
    } else {
      const name = compiled.names[i] as string;
      if (!acceptsParam(name, segment)) return null;
      params[name] = segment;
    }
  }
  return params;
}

/**
 * The endpoint a request reaches, or null (deny by default). As in Elasticsearch's RestController,
 * the most explicit template that has a handler for the method wins; HEAD has its own rows (the
 * exists APIs), other HEAD requests match nothing.
 */
export function matchEndpoint(method: string, segments: readonly string[]): EndpointMatch | null {
  let best: { compiled: Compiled; params: Record<string, string> } | null = null;
  for (const compiled of byShape.get(`${method.toUpperCase()} ${segments.length}`) ?? []) {
    if (best !== null && compiled.specificity <= best.compiled.specificity) continue;
    const params = matchOne(compiled, segments);
    if (params !== null) best = { compiled, params };
  }
  return best === null ? null : { endpoint: best.compiled.endpoint, params: best.params };
}
