// Which GET requests may carry a body upstream. Elasticsearch reads GET bodies only on read APIs
// whose POST form is the same read (_search, _count, _mget…); everywhere else it answers 400
// "does not support having a body". Since a GET with a body goes upstream as POST (authz/hook.ts),
// allowing it on any other path would turn a read into a write: GET /idx/_doc/1 -> POST = index,
// GET /_template/t -> POST = put template. Pure; consulted only for GETs that have a body.

/** API keywords (first or second path segment: /_search, /{index}/_search) whose GET and POST are one read. */
const READ_BODY_KEYWORDS = new Set([
  '_search',
  '_msearch',
  '_count',
  '_field_caps',
  '_validate',
  '_mget',
  '_termvectors',
  '_mtermvectors',
  '_rank_eval',
  '_render',
  '_analyze',
  '_explain',
  '_sql',
  '_eql',
  '_knn_search',
  '_terms_enum',
  '_mvt',
  '_graph',
  '_rollup_search',
]);

/** Read APIs with a body that live deeper in the path. */
const READ_BODY_PREFIXES = ['/_cluster/allocation/explain', '/_scripts/painless/_execute', '/_ingest/pipeline/_simulate'];

/** True when Elasticsearch serves this path's GET with a body as a read (path without query string). */
export function getBodyAllowed(path: string): boolean {
  const segments = path.split('/');
  // segments[0] is '' for an absolute path.
  if (READ_BODY_KEYWORDS.has(segments[1] ?? '') || READ_BODY_KEYWORDS.has(segments[2] ?? '')) return true;
  if (segments[1] === '_ingest' && segments[2] === 'pipeline' && segments[4] === '_simulate') return true;
  return READ_BODY_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** Whether the request announces a body (a Content-Length above zero or a chunked transfer). */
export function announcesBody(headers: { readonly 'content-length'?: string | undefined; readonly 'transfer-encoding'?: string | undefined }): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}
