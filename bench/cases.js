// The bench as data: what is measured (scenarios), against what (targets), and which pairs are
// compared. Adding "esgate with authorization on" later is one target row and one comparison row:
//   { id: 'esgate-authz', label: 'esgate, Basic + authz', start: ({ upstreamUrl }) =>
//       startEsgate({ upstreamUrl, name: 'esgate-authz', settings: { ESGATE_AUTHZ_…: 'true' } }) },
//   { subject: 'esgate-authz', baseline: 'esgate', minThroughputRatio: …, maxP50DeltaMs: … }
import { startBareProxyProcess } from './targets.js';
import { startEsgate } from './esgate.js';

const SEARCH_BODY = JSON.stringify({ query: { match: { title: 'document' } }, size: 3 });
/** A search esgate must read (no index in the path: targets and lookups may be in the body), as a client writes it. */
const READ_SEARCH_BODY = JSON.stringify({
  query: { bool: { must: [{ match: { title: 'document' } }], filter: [{ range: { n: { gte: 1, lte: 9007199254740993 } } }, { terms: { tags: ['bench', 'esgate'] } }] } },
  aggs: { by_tag: { terms: { field: 'tags' } } },
  size: 3,
});
const MGET_BODY = JSON.stringify({ docs: Array.from({ length: 50 }, (_, n) => ({ _index: 'idx', _id: String(n) })) });

/** About `bytes` of NDJSON: an index action and a small document per pair of lines. */
export function bulkBody(bytes) {
  const lines = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const action = `{"index":{"_index":"idx","_id":"${n}"}}\n`;
    const source = `{"title":"document ${n}","n":${n},"tags":["bench","esgate"],"text":"The quick brown fox jumps over the lazy dog, again and again."}\n`;
    lines.push(action, source);
    size += action.length + source.length;
  }
  return Buffer.from(lines.join(''));
}

export const SCENARIOS = [
  { id: 'health', label: 'GET /_cluster/health', method: 'GET', path: '/_cluster/health', connections: 10 },
  // One request at a time: p50 here is the latency esgate adds, without queueing behind other requests.
  { id: 'health-1c', label: 'GET /_cluster/health, 1 conn', method: 'GET', path: '/_cluster/health', connections: 1, durationScale: 0.5 },
  {
    id: 'search',
    label: 'POST /idx/_search (small)',
    method: 'POST',
    path: '/idx/_search',
    contentType: 'application/json',
    body: () => SEARCH_BODY,
    connections: 10,
  },
  // Bodies esgate reads to find targets and forwards re-serialized (issue 9: ≤ 10 % against forwarding the client's bytes).
  { id: 'search-read', label: 'POST /_search (read, canonical)', method: 'POST', path: '/_search', contentType: 'application/json', body: () => READ_SEARCH_BODY, connections: 10 },
  { id: 'mget', label: 'POST /_mget (50 docs, canonical)', method: 'POST', path: '/_mget', contentType: 'application/json', body: () => MGET_BODY, connections: 10 },
  {
    id: 'bulk',
    label: 'POST /_bulk (5 MB)',
    method: 'POST',
    path: '/_bulk',
    contentType: 'application/x-ndjson',
    body: () => bulkBody(5 * 1024 * 1024),
    // Each request moves 5 MB three times over loopback; two connections keep the machine breathing.
    connections: 2,
  },
];

/**
 * Targets, measured in this order for every scenario. `start` gets the shared upstream's URL and
 * resolves to {url, pid (of the server process, for CPU/request), authorization?, stop()}. The upstream itself is the first row.
 */
export const TARGETS = [
  { id: 'upstream', label: 'upstream direct', start: ({ upstream }) => ({ url: upstream.url, pid: upstream.pid, stop: async () => {} }) },
  { id: 'bare-proxy', label: 'bare @fastify/http-proxy', start: ({ upstreamUrl, nodeArgs }) => startBareProxyProcess(upstreamUrl, nodeArgs) },
  {
    id: 'esgate',
    label: 'esgate, Basic (cached)',
    // storeSettings: the PostgreSQL store's ESGATE_* settings with --store postgres, else none (SQLite).
    start: ({ upstreamUrl, nodeArgs, storeSettings }) => startEsgate({ upstreamUrl, nodeArgs, settings: storeSettings }),
  },
  // Issue 15: the audit trail with access_granted on (the default event list): one synchronous write per request.
  {
    id: 'esgate-audit',
    label: 'esgate, Basic + audit',
    start: ({ upstreamUrl, nodeArgs }) => startEsgate({ upstreamUrl, nodeArgs, name: 'esgate-audit', settings: { ESGATE_AUDIT_ENABLED: 'true' } }),
  },
];

/** Issue 2's target: esgate with a cached Basic credential ≥ 0.85× the bare proxy's req/s, p50 within 1 ms. */
export const COMPARISONS = [
  { subject: 'esgate', baseline: 'bare-proxy', minThroughputRatio: 0.85, maxP50DeltaMs: 1 },
  // Issue 15's target: the audit trail costs at most 5 % throughput.
  { subject: 'esgate-audit', baseline: 'esgate', minThroughputRatio: 0.95, maxP50DeltaMs: 0.2 },
];

/** `--compare-main PATH`: the same esgate measurements against another build (e.g. the previous commit's dist/main.js). */
export function otherBuildCase(main) {
  return {
    target: {
      id: 'esgate-other',
      label: 'esgate, other build',
      start: ({ upstreamUrl, nodeArgs }) => startEsgate({ upstreamUrl, nodeArgs, main, name: 'esgate-other' }),
    },
    comparison: { subject: 'esgate', baseline: 'esgate-other', minThroughputRatio: 0.95, maxP50DeltaMs: 0.2 },
  };
}
