// Elasticsearch's named privileges → the action patterns each grants (ClusterPrivilegeResolver,
// IndexPrivilege). Data only; permission.ts compiles it. Names and patterns as in Elasticsearch 8.x.

export interface PrivilegeDefinition {
  readonly include: readonly string[];
  readonly exclude?: readonly string[];
}

const SECURITY_ALL = 'cluster:admin/xpack/security/*';
const ALL_CLUSTER = ['cluster:*', 'indices:admin/template/*', 'indices:admin/index_template/*'];
const TOKEN_INVALIDATE = 'cluster:admin/xpack/security/token/invalidate';
const TOKEN_REFRESH = 'cluster:admin/xpack/security/token/refresh';
const HAS_PRIVILEGES = 'cluster:admin/xpack/security/user/has_privileges';
const CLUSTER_STATE = 'cluster:monitor/state';
const ILM_STATUS = 'cluster:admin/ilm/operation_mode/get';
const SNAPSHOT_READS = ['cluster:admin/snapshot/status*', 'cluster:admin/snapshot/get', 'cluster:admin/repository/get'];
const TRANSFORM_MONITOR = ['cluster:monitor/data_frame/*', 'cluster:monitor/transform/*'];
const ML_INFER = 'cluster:monitor/xpack/ml/trained_models/deployment/infer';
const CONNECTOR_SECRETS_READ = 'cluster:admin/xpack/connector/secret/get';
const CONNECTOR_SECRETS_WRITE = ['cluster:admin/xpack/connector/secret/delete', 'cluster:admin/xpack/connector/secret/post', 'cluster:admin/xpack/connector/secret/put'];
const REMOTE_CLUSTER = [
  'cluster:internal/remote_cluster/handshake',
  'cluster:internal/remote_cluster/nodes',
  'cluster:internal/admin/tasks/ban',
  'cluster:internal/admin/tasks/cancel_child',
  'cluster:monitor/xpack/info',
];
const TRANSFORM_MANAGE = ['cluster:admin/data_frame/*', 'cluster:admin/transform/*', ...TRANSFORM_MONITOR];

/** Cluster privileges by name. `manage_own_api_key` is conditional (own keys only): see permission.ts. */
export const CLUSTER_PRIVILEGES: Readonly<Record<string, PrivilegeDefinition>> = {
  none: { include: [] },
  all: { include: ALL_CLUSTER },
  monitor: {
    include: ['cluster:monitor/*', 'indices:admin/template/get', 'cluster:admin/component_template/get', 'indices:admin/index_template/get'],
  },
  monitor_ml: { include: ['cluster:monitor/xpack/ml/*'] },
  monitor_text_structure: { include: ['cluster:monitor/text_structure/*'] },
  monitor_data_frame_transforms: { include: TRANSFORM_MONITOR },
  monitor_transform: { include: TRANSFORM_MONITOR },
  monitor_watcher: { include: ['cluster:monitor/xpack/watcher/*'] },
  monitor_rollup: { include: ['cluster:monitor/xpack/rollup/*'] },
  monitor_enrich: { include: ['cluster:monitor/xpack/enrich/*', 'cluster:admin/xpack/enrich/get'] },
  monitor_inference: { include: ['cluster:monitor/xpack/inference*', ML_INFER] },
  monitor_stats: { include: ['cluster:monitor/stats*', 'cluster:monitor/xpack/usage*'] },
  monitor_snapshot: { include: SNAPSHOT_READS },
  manage: { include: ALL_CLUSTER, exclude: [SECURITY_ALL] },
  manage_ml: { include: ['cluster:admin/xpack/ml/*', 'cluster:monitor/xpack/ml/*'] },
  manage_data_frame_transforms: { include: TRANSFORM_MANAGE },
  manage_transform: { include: TRANSFORM_MANAGE },
  manage_token: { include: ['cluster:admin/xpack/security/token/*'] },
  manage_watcher: { include: ['cluster:admin/xpack/watcher/*', 'cluster:monitor/xpack/watcher/*'] },
  manage_index_templates: { include: ['indices:admin/template/*', 'indices:admin/index_template/*', 'cluster:admin/component_template/*'] },
  manage_ingest_pipelines: { include: ['cluster:admin/ingest/pipeline/*'] },
  read_pipeline: { include: ['cluster:admin/ingest/pipeline/get', 'cluster:admin/ingest/pipeline/simulate'] },
  transport_client: { include: ['cluster:monitor/nodes/liveness', CLUSTER_STATE] },
  manage_security: { include: [SECURITY_ALL, 'cluster:admin/xpack/security/delegate_pki'] },
  read_security: {
    include: [
      'cluster:admin/xpack/security/api_key/get',
      'cluster:admin/xpack/security/api_key/query',
      'cluster:admin/xpack/security/privilege/builtin/get',
      'cluster:admin/xpack/security/privilege/get',
      'cluster:admin/xpack/security/profile/get',
      'cluster:admin/xpack/security/profile/has_privileges',
      'cluster:admin/xpack/security/profile/suggest',
      'cluster:admin/xpack/security/role/get',
      'cluster:admin/xpack/security/role/query',
      'cluster:admin/xpack/security/role_mapping/get',
      'cluster:admin/xpack/security/service_account/get',
      'cluster:admin/xpack/security/service_account/credential/get*',
      'cluster:admin/xpack/security/user/get',
      'cluster:admin/xpack/security/user/query',
      'cluster:admin/xpack/security/user/list_privileges',
      HAS_PRIVILEGES,
    ],
  },
  manage_saml: { include: ['cluster:admin/xpack/security/saml/*', TOKEN_INVALIDATE, TOKEN_REFRESH, 'cluster:monitor/xpack/security/saml/metadata'] },
  manage_oidc: { include: ['cluster:admin/xpack/security/oidc/*'] },
  manage_api_key: { include: ['cluster:admin/xpack/security/api_key/*'] },
  grant_api_key: { include: ['cluster:admin/xpack/security/api_key/grant*'] },
  manage_service_account: { include: ['cluster:admin/xpack/security/service_account/*'] },
  manage_user_profile: { include: ['cluster:admin/xpack/security/profile/*'] },
  manage_pipeline: { include: ['cluster:admin/ingest/pipeline/*'] },
  manage_rollup: { include: ['cluster:admin/xpack/rollup/*', 'cluster:monitor/xpack/rollup/*'] },
  manage_autoscaling: { include: ['cluster:admin/autoscaling/*'] },
  manage_ccr: { include: ['cluster:admin/xpack/ccr/*', CLUSTER_STATE, HAS_PRIVILEGES] },
  read_ccr: { include: [CLUSTER_STATE, HAS_PRIVILEGES] },
  create_snapshot: { include: ['cluster:admin/snapshot/create', ...SNAPSHOT_READS] },
  manage_ilm: { include: ['cluster:admin/ilm/*'] },
  read_ilm: { include: ['cluster:admin/ilm/get', ILM_STATUS] },
  manage_slm: { include: ['cluster:admin/slm/*', 'cluster:admin/ilm/start', 'cluster:admin/ilm/stop', ILM_STATUS] },
  read_slm: { include: ['cluster:admin/slm/get', ILM_STATUS] },
  delegate_pki: { include: ['cluster:admin/xpack/security/delegate_pki', TOKEN_INVALIDATE] },
  manage_own_api_key: { include: [] },
  manage_enrich: { include: ['cluster:admin/xpack/enrich/*', 'cluster:monitor/xpack/enrich/*'] },
  manage_logstash_pipelines: { include: ['cluster:admin/logstash/pipeline/*'] },
  read_fleet_secrets: { include: ['cluster:admin/fleet/secrets/get'] },
  write_fleet_secrets: { include: ['cluster:admin/fleet/secrets/post', 'cluster:admin/fleet/secrets/delete'] },
  cancel_task: { include: ['cluster:admin/tasks/cancel*'] },
  manage_search_application: { include: ['cluster:admin/xpack/application/search_application/*'] },
  manage_behavioral_analytics: { include: ['cluster:admin/xpack/application/analytics/*'] },
  post_behavioral_analytics_event: { include: ['cluster:admin/xpack/application/analytics/post_event'] },
  manage_inference: {
    include: ['cluster:admin/xpack/inference/*', 'cluster:monitor/xpack/inference*', 'cluster:admin/xpack/ml/trained_models/deployment/start', 'cluster:admin/xpack/ml/trained_models/deployment/stop', ML_INFER],
  },
  manage_search_synonyms: { include: ['cluster:admin/synonyms/*', 'cluster:admin/synonyms_sets/*', 'cluster:admin/synonym_rules/*'] },
  manage_search_query_rules: { include: ['cluster:admin/xpack/query_rules/*'] },
  manage_connector: { include: ['cluster:admin/xpack/connector/*'], exclude: [CONNECTOR_SECRETS_READ, ...CONNECTOR_SECRETS_WRITE] },
  monitor_connector: { include: ['cluster:admin/xpack/connector/get', 'cluster:admin/xpack/connector/list', 'cluster:admin/xpack/connector/sync_job/get', 'cluster:admin/xpack/connector/sync_job/list'] },
  read_connector_secrets: { include: [CONNECTOR_SECRETS_READ] },
  write_connector_secrets: { include: CONNECTOR_SECRETS_WRITE },
  cross_cluster_search: {
    include: [...REMOTE_CLUSTER, 'cluster:monitor/xpack/enrich/esql/resolve_policy', 'cluster:internal:data/read/esql/open_exchange', 'cluster:internal:data/read/esql/exchange'],
  },
  cross_cluster_replication: { include: [...REMOTE_CLUSTER, CLUSTER_STATE] },
  // Named in 9.x without actions of their own (global retention is read and set by other APIs).
  monitor_data_stream_global_retention: { include: [] },
  manage_data_stream_global_retention: { include: [] },
};

const MAPPING_UPDATE = ['indices:admin/mapping/put', 'indices:admin/mapping/auto_put'];

/** Index privileges by name. */
export const INDEX_PRIVILEGES: Readonly<Record<string, PrivilegeDefinition>> = {
  none: { include: [] },
  all: { include: ['indices:*', 'internal:transport/proxy/indices:*'] },
  read: { include: ['indices:data/read/*', 'indices:admin/resolve/index', 'indices:admin/resolve/cluster'] },
  read_cross_cluster: { include: ['internal:transport/proxy/indices:data/read/*', 'indices:admin/shards/search_shards', 'indices:admin/search/search_shards', 'indices:data/read/esql/cluster'] },
  create: { include: ['indices:data/write/index*', 'indices:data/write/bulk*', ...MAPPING_UPDATE] },
  create_doc: {
    include: ['indices:data/write/index', 'indices:data/write/index[*', 'indices:data/write/index:op_type/create', 'indices:data/write/bulk*', ...MAPPING_UPDATE],
  },
  index: { include: ['indices:data/write/index*', 'indices:data/write/bulk*', 'indices:data/write/update*', ...MAPPING_UPDATE] },
  delete: { include: ['indices:data/write/delete*', 'indices:data/write/bulk*'] },
  write: { include: ['indices:data/write/*', ...MAPPING_UPDATE] },
  monitor: { include: ['indices:monitor/*'] },
  manage: { include: ['indices:monitor/*', 'indices:admin/*', 'indices:data/read/field_caps*', 'indices:data/read/xpack/rollup/get/index/caps*'] },
  delete_index: { include: ['indices:admin/delete', 'indices:admin/data_stream/delete'] },
  create_index: { include: ['indices:admin/create', 'indices:admin/auto_create', 'indices:admin/data_stream/create'] },
  view_index_metadata: {
    include: [
      'indices:admin/aliases/get',
      'indices:admin/get',
      'indices:admin/mappings/fields/get*',
      'indices:admin/mappings/get',
      'indices:admin/shards/search_shards',
      'indices:admin/search/search_shards',
      'indices:admin/validate/query*',
      'indices:monitor/settings/get',
      'indices:admin/ilm/explain',
      'indices:admin/data_stream/lifecycle/explain',
      'indices:admin/data_stream/get',
      'indices:admin/resolve/index',
      'indices:admin/resolve/cluster',
      'indices:data/read/field_caps*',
      'indices:data/read/xpack/rollup/get/index/caps*',
    ],
  },
  maintenance: { include: ['indices:admin/refresh*', 'indices:admin/flush*', 'indices:admin/synced_flush', 'indices:admin/forcemerge*'] },
  auto_configure: { include: ['indices:admin/auto_create', 'indices:admin/mapping/auto_put', 'indices:admin/data_stream/create'] },
  manage_follow_index: { include: ['indices:admin/xpack/ccr/put_follow', 'indices:admin/xpack/ccr/unfollow', 'indices:admin/close', 'indices:admin/data_stream/promote'] },
  manage_leader_index: { include: ['indices:admin/xpack/ccr/forget_follower*', 'indices:admin/seq_no/global_checkpoint_sync*'] },
  manage_ilm: { include: ['indices:admin/ilm/*'] },
  manage_data_stream_lifecycle: { include: ['indices:admin/data_stream/lifecycle/*'] },
  cross_cluster_replication: { include: ['indices:data/read/xpack/ccr/shard_changes*', 'indices:monitor/stats*', 'indices:admin/seq_no/add_retention_lease*'] },
  cross_cluster_replication_internal: { include: ['indices:internal/admin/ccr/restore/session/*', 'indices:admin/seq_no/*'] },
  // Reads of a data stream's failure store (`name::failures`), which esgate does not pass: nothing else.
  read_failure_store: { include: [] },
};

/** Cluster action patterns may be used directly in roles, as in Elasticsearch (`cluster:…`). */
export function isClusterActionName(name: string): boolean {
  return name.startsWith('cluster:') || name.startsWith('indices:admin/template/') || name.startsWith('indices:admin/index_template/');
}

export function isIndexActionName(name: string): boolean {
  return name.startsWith('indices:') || name.startsWith('internal:transport/proxy/indices:');
}
