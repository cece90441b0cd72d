// Index administration: create/delete/get, mappings, settings, aliases, maintenance, templates,
// data streams. Template actions are cluster actions in Elasticsearch (manage_index_templates).
import { route, type Endpoint } from './route.js';

const GP = ['GET', 'POST'] as const;
const PP = ['PUT', 'POST'] as const;
const GH = ['GET', 'HEAD'] as const;

export const INDICES_ENDPOINTS: readonly Endpoint[] = [
  ...route('PUT', '/{index}', 'indices:admin/create', 'body:create-index'),
  ...route('DELETE', '/{index}', 'indices:admin/delete', 'path:index'),
  ...route(GH, '/{index}', 'indices:admin/get', 'path:index'),
  ...route('GET', ['/_mapping', '/{index}/_mapping'], 'indices:admin/mappings/get', 'path:index'),
  ...route(PP, '/{index}/_mapping', 'indices:admin/mapping/put', 'path:index'),
  ...route('GET', ['/_mapping/field/{fields}', '/{index}/_mapping/field/{fields}'], 'indices:admin/mappings/fields/get', 'path:index'),
  ...route('GET', ['/_settings', '/_settings/{name}', '/{index}/_settings', '/{index}/_settings/{name}'], 'indices:monitor/settings/get', 'path:index'),
  ...route('PUT', ['/_settings', '/{index}/_settings'], 'indices:admin/settings/update', 'path:index'),
  ...route(GH, ['/_alias', '/_alias/{name}', '/{index}/_alias', '/{index}/_alias/{name}'], 'indices:admin/aliases/get', 'path:index'),
  ...route(PP, ['/{index}/_alias/{name}', '/{index}/_aliases/{name}'], 'indices:admin/aliases', 'path:index+name'),
  ...route('DELETE', ['/{index}/_alias/{name}', '/{index}/_aliases/{name}'], 'indices:admin/aliases', 'path:index+name'),
  ...route('POST', '/_aliases', 'indices:admin/aliases', 'body:aliases'),
  ...route(GP, ['/_refresh', '/{index}/_refresh'], 'indices:admin/refresh', 'path:index'),
  ...route(GP, ['/_flush', '/{index}/_flush'], 'indices:admin/flush', 'path:index'),
  ...route('POST', ['/_forcemerge', '/{index}/_forcemerge'], 'indices:admin/forcemerge', 'path:index'),
  ...route('POST', ['/_cache/clear', '/{index}/_cache/clear'], 'indices:admin/cache/clear', 'path:index'),
  ...route('POST', '/{index}/_open', 'indices:admin/open', 'path:index'),
  ...route('POST', '/{index}/_close', 'indices:admin/close', 'path:index'),
  ...route('PUT', '/{index}/_block/{block}', 'indices:admin/block/add', 'path:index'),
  ...route('POST', ['/{index}/_rollover', '/{index}/_rollover/{new_index}'], 'indices:admin/rollover', 'path:index'),
  ...route(PP, ['/{index}/_shrink/{target}', '/{index}/_split/{target}', '/{index}/_clone/{target}'], 'indices:admin/resize', 'body:resize'),
  ...route('GET', ['/_stats', '/_stats/{metric}', '/{index}/_stats', '/{index}/_stats/{metric}'], 'indices:monitor/stats', 'path:index'),
  ...route('GET', ['/_segments', '/{index}/_segments'], 'indices:monitor/segments', 'path:index'),
  ...route('GET', ['/_recovery', '/{index}/_recovery'], 'indices:monitor/recovery', 'path:index'),
  ...route('GET', ['/_shard_stores', '/{index}/_shard_stores'], 'indices:monitor/shard_stores', 'path:index'),
  ...route('POST', '/{index}/_disk_usage', 'indices:admin/analyze_disk_usage', 'path:index'),
  ...route('GET', '/{index}/_field_usage_stats', 'indices:monitor/field_usage_stats', 'path:index'),
  ...route('GET', '/_resolve/index/{name}', 'indices:admin/resolve/index', 'path:name'),
  ...route('GET', '/{index}/_ilm/explain', 'indices:admin/ilm/explain', 'path:index'),
  ...route('POST', '/{index}/_ilm/remove', 'indices:admin/ilm/remove_policy', 'path:index'),
  ...route('POST', '/{index}/_ilm/retry', 'indices:admin/ilm/retry', 'path:index'),
  // Templates (cluster actions).
  ...route(GH, ['/_index_template', '/_index_template/{name}'], 'indices:admin/index_template/get'),
  ...route(PP, '/_index_template/{name}', 'indices:admin/index_template/put'),
  ...route('DELETE', '/_index_template/{name}', 'indices:admin/index_template/delete'),
  ...route('POST', ['/_index_template/_simulate', '/_index_template/_simulate/{name}'], 'indices:admin/index_template/simulate'),
  ...route('POST', '/_index_template/_simulate_index/{name}', 'indices:admin/index_template/simulate_index'),
  ...route(GH, ['/_component_template', '/_component_template/{name}'], 'cluster:admin/component_template/get'),
  ...route(PP, '/_component_template/{name}', 'cluster:admin/component_template/put'),
  ...route('DELETE', '/_component_template/{name}', 'cluster:admin/component_template/delete'),
  ...route(GH, ['/_template', '/_template/{name}'], 'indices:admin/template/get'),
  ...route(PP, '/_template/{name}', 'indices:admin/template/put'),
  ...route('DELETE', '/_template/{name}', 'indices:admin/template/delete'),
  // Data streams: privileges on the data stream name.
  ...route('PUT', '/_data_stream/{name}', 'indices:admin/data_stream/create', 'path:name'),
  ...route('GET', ['/_data_stream', '/_data_stream/{name}'], 'indices:admin/data_stream/get', 'path:name'),
  ...route('DELETE', '/_data_stream/{name}', 'indices:admin/data_stream/delete', 'path:name'),
  ...route('GET', ['/_data_stream/_stats', '/_data_stream/{name}/_stats'], 'indices:monitor/data_stream/stats', 'path:name'),
  ...route('POST', '/_data_stream/_migrate/{name}', 'indices:admin/data_stream/migrate', 'path:name'),
];
