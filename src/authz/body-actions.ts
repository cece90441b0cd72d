// Which actions carry bodies that hold queries (read for lookups and inner requests), and which of
// those bodies the cluster stores and runs later for other readers. Data only; classify.ts reads it.

/** Actions whose body holds a query that may read other indices (terms lookup and the like). */
export const QUERY_BODY_ACTIONS = new Set([
  'indices:data/read/search',
  'indices:data/read/msearch',
  'indices:data/read/async_search/submit',
  'indices:data/read/explain',
  'indices:data/read/field_caps',
  'indices:data/read/open_point_in_time',
  'indices:data/read/rank_eval',
  // A rollover body's mappings may declare lookup runtime fields for the new index.
  'indices:admin/rollover',
  'indices:data/read/eql',
  'indices:data/read/xpack/termsenum/list',
  'indices:admin/validate/query',
  'indices:data/write/update/byquery',
  'indices:data/write/delete/byquery',
  'indices:data/write/reindex',
  'cluster:admin/xpack/ml/datafeeds/put',
  'cluster:admin/xpack/ml/job/put',
  'cluster:admin/xpack/ml/datafeeds/update',
  'cluster:admin/xpack/ml/datafeeds/preview',
  'cluster:admin/transform/put',
  'cluster:admin/transform/update',
  'cluster:admin/transform/preview',
  'cluster:admin/xpack/enrich/put',
  // Mappings and templates may define `lookup` runtime fields, which search another index.
  'indices:admin/create',
  // Alias filters are queries the upstream runs for whoever searches the alias.
  'indices:admin/aliases',
  'indices:admin/mapping/put',
  'indices:admin/index_template/put',
  'indices:admin/template/put',
  'cluster:admin/component_template/put',
  // Templates are rendered upstream: see templateLookups.
  'indices:data/read/search/template',
  'indices:data/read/msearch/template',
  // Written documents: a percolator field makes the cluster rewrite the document as a query at index
  // time, lookups included (PercolatorFieldMapper.parse), so their lookups are the writer's reads.
  'indices:data/write/index',
  'indices:data/write/index:op_type/create',
  'indices:data/write/update',
  'indices:data/write/bulk',
  // Artificial documents are parsed with the index's mapping (TermVectorsService).
  'indices:data/read/tv',
  'indices:data/read/mtv',
  // Resize bodies carry aliases with filters.
  'indices:admin/resize',
  // Its context_setup holds a query, a document and an index (inner-requests.ts).
  'cluster:admin/scripts/painless/execute',
]);

/**
 * Bodies the cluster keeps and runs later for whoever reads the index (alias filters, lookup runtime
 * fields in mappings and templates): a lookup there would run with the cluster's rights for every
 * reader, where Elasticsearch runs it as each reader. Storing one needs read on every index.
 */
export const STORED_QUERY_ACTIONS = new Set([
  'indices:admin/create',
  'indices:admin/aliases',
  'indices:admin/mapping/put',
  'indices:admin/index_template/put',
  'indices:admin/template/put',
  'cluster:admin/component_template/put',
  'indices:admin/rollover',
  'indices:admin/resize',
]);
