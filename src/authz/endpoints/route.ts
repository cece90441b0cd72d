// The shape of one row of the endpoint table, and the helper the family files write rows with.

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/**
 * Where an endpoint's target indices come from.
 * - `none`: a cluster action, checked with the cluster privileges alone.
 * - `path:index`: the `{index}` path parameter; without one, the `index` query parameter (Elasticsearch
 *   merges both into one parameter map); without either, every index.
 * - `path:index|any`: as `path:index`, but without an index the action names none (`_analyze`).
 * - `path:index+name`: `{index}` and the alias `{name}` (both are authorized).
 * - `path:name`: `{name}` names indices or data streams; without one, every index.
 * - `all`: every index (`_cat/aliases`).
 * - `search`: `path:index`; with no index, a `pit.id` in the body makes it a PIT continuation.
 * - `body:*`: the body names the targets (bulk action lines, mget docs, msearch headers, reindex
 *   source/dest, alias actions, aliases of a new index, resize target, the source indices of a
 *   datafeed, transform or enrich policy that the upstream will later read with no one's privileges).
 * - `scroll` / `pit` / `async_search`: continuations of a search some identity started.
 * - `opaque`: targets live in a query language (SQL, ES|QL) esgate does not parse: every index.
 */
export type TargetSource =
  | 'none'
  | 'path:index'
  | 'path:index|any'
  | 'path:index+name'
  | 'path:name'
  | 'all'
  | 'search'
  | 'body:bulk'
  | 'body:mget'
  | 'body:mtermvectors'
  | 'body:msearch'
  | 'body:reindex'
  | 'body:aliases'
  | 'body:create-index'
  | 'body:resize'
  | 'body:datafeed'
  | 'body:transform'
  | 'body:enrich'
  | 'scroll'
  | 'pit'
  | 'async_search'
  | 'opaque';

export interface Endpoint {
  readonly method: HttpMethod;
  /** Path template: literal segments and `{param}` segments, e.g. `/{index}/_search`. */
  readonly path: string;
  /** Elasticsearch's transport action name, as it appears in its 403 messages. */
  readonly action: string;
  readonly targets: TargetSource;
  /** Cluster actions Elasticsearch also runs for this endpoint (the `_cat` APIs read cluster state). */
  readonly alsoCluster?: readonly string[];
}

/** Rows for every method × path combination of one action. */
export function route(
  methods: HttpMethod | readonly HttpMethod[],
  paths: string | readonly string[],
  action: string,
  targets: TargetSource = 'none',
  alsoCluster?: readonly string[],
): Endpoint[] {
  const ms = typeof methods === 'string' ? [methods] : methods;
  const ps = typeof paths === 'string' ? [paths] : paths;
  return ms.flatMap((method) => ps.map((path) => (alsoCluster ? { method, path, action, targets, alsoCluster } : { method, path, action, targets })));
}
