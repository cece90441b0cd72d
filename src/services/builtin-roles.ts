// Elasticsearch's reserved roles that matter in front of a cluster. They cannot be changed or
// deleted, and GET reports them with `_reserved: true`. Descriptors follow ReservedRolesStore;
// where Elasticsearch uses a Lucene complement regex to skip dot-indices, esgate lists `*`
// without restricted indices instead (documented in the README).
import type { RoleDescriptor } from './role-descriptor.js';

const reserved = { _reserved: true } as const;

function role(descriptor: Partial<RoleDescriptor>): RoleDescriptor {
  return {
    ...(descriptor.global === undefined ? {} : { global: descriptor.global }),
    cluster: descriptor.cluster ?? [],
    indices: descriptor.indices ?? [],
    applications: descriptor.applications ?? [],
    run_as: descriptor.run_as ?? [],
    metadata: { ...reserved, ...descriptor.metadata },
    ...(descriptor.description === undefined ? {} : { description: descriptor.description }),
  };
}

const index = (names: string[], privileges: string[], allowRestricted = false) => ({
  names,
  privileges,
  allow_restricted_indices: allowRestricted,
});

export const BUILTIN_ROLES: ReadonlyMap<string, RoleDescriptor> = new Map<string, RoleDescriptor>([
  [
    'superuser',
    role({
      cluster: ['all'],
      indices: [index(['*'], ['all'], true)],
      applications: [{ application: '*', privileges: ['*'], resources: ['*'] }],
      run_as: ['*'],
      description: 'Grants full access to cluster management and data indices.',
    }),
  ],
  ['viewer', role({ indices: [index(['*'], ['read', 'view_index_metadata'])], description: 'Grants read access to all data indices.' })],
  [
    'editor',
    role({
      indices: [index(['*'], ['read', 'view_index_metadata', 'write', 'maintenance'])],
      description: 'Grants read and write access to all data indices.',
    }),
  ],
  ['kibana_admin', role({ applications: [{ application: 'kibana-.kibana', privileges: ['all'], resources: ['*'] }] })],
  [
    'kibana_system',
    role({
      cluster: ['monitor', 'manage_index_templates', 'cluster:admin/xpack/monitoring/bulk', 'manage_saml', 'manage_token', 'manage_oidc', 'manage_pipeline', 'manage_ilm', 'manage_transform', 'grant_api_key', 'manage_own_api_key', 'cluster:admin/xpack/security/privilege/builtin/get', 'cluster:admin/xpack/security/user/has_privileges', 'cluster:admin/xpack/security/profile/get', 'cluster:admin/xpack/security/profile/activate', 'cluster:admin/xpack/security/profile/suggest', 'cluster:admin/xpack/security/profile/has_privileges', 'cluster:admin/xpack/security/api_key/invalidate', 'delegate_pki', 'write_fleet_secrets', 'manage_enrich'],
      indices: [index(['.kibana*', '.reporting-*', '.apm-agent-configuration', '.apm-custom-link'], ['all'], true), index(['.monitoring-*'], ['read', 'read_cross_cluster'])],
      // Kibana registers its own application privileges and writes its users' profile data.
      global: { application: { manage: { applications: ['kibana-*'] } }, profile: { write: { applications: ['kibana*'] } } },
    }),
  ],
  ['monitoring_user', role({ cluster: ['cluster:monitor/main', 'cluster:monitor/xpack/info'], indices: [index(['.monitoring-*', 'metrics-*'], ['read', 'read_cross_cluster'])] })],
  ['remote_monitoring_agent', role({ cluster: ['manage_index_templates', 'manage_ingest_pipelines', 'monitor', 'cluster:monitor/xpack/watcher/watch/get', 'cluster:admin/xpack/watcher/watch/put', 'cluster:admin/xpack/watcher/watch/delete'], indices: [index(['.monitoring-*', 'metricbeat-*'], ['all'])] })],
  ['remote_monitoring_collector', role({ cluster: ['monitor'], indices: [index(['*'], ['monitor'])] })],
  ['ingest_admin', role({ cluster: ['manage_index_templates', 'manage_pipeline'] })],
  ['logstash_system', role({ cluster: ['monitor', 'cluster:admin/xpack/monitoring/bulk'] })],
  ['logstash_admin', role({ indices: [index(['.logstash*'], ['create', 'delete', 'index', 'manage', 'read'], true)] })],
  ['beats_system', role({ cluster: ['monitor', 'cluster:admin/xpack/monitoring/bulk'] })],
  ['beats_admin', role({ indices: [index(['.management-beats'], ['all'])] })],
  ['apm_system', role({ cluster: ['monitor', 'cluster:admin/xpack/monitoring/bulk'] })],
  ['snapshot_user', role({ cluster: ['create_snapshot', 'monitor_snapshot'], indices: [index(['*'], ['view_index_metadata', 'monitor'], true)] })],
  ['transport_client', role({ cluster: ['transport_client'] })],
  ['enrich_user', role({ cluster: ['manage_enrich', 'manage_ingest_pipelines', 'monitor'], indices: [index(['.enrich-*'], ['manage', 'read'])] })],
  ['machine_learning_admin', role({ cluster: ['manage_ml'], indices: [index(['.ml-anomalies*', '.ml-notifications*', '.ml-state*', '.ml-meta*', '.ml-stats-*'], ['view_index_metadata', 'read']), index(['.ml-annotations*'], ['view_index_metadata', 'read', 'write'])] })],
  ['machine_learning_user', role({ cluster: ['monitor_ml'], indices: [index(['.ml-anomalies*', '.ml-notifications*'], ['view_index_metadata', 'read']), index(['.ml-annotations*'], ['view_index_metadata', 'read', 'write'])] })],
  ['transform_admin', role({ cluster: ['manage_transform'], indices: [index(['.transform-notifications-*', '.data-frame-notifications-*'], ['view_index_metadata', 'read'])] })],
  ['transform_user', role({ cluster: ['monitor_transform'], indices: [index(['.transform-notifications-*', '.data-frame-notifications-*'], ['view_index_metadata', 'read'])] })],
  ['watcher_admin', role({ cluster: ['manage_watcher'], indices: [index(['.watches', '.triggered_watches', '.watcher-history-*'], ['read'], true)] })],
  ['watcher_user', role({ cluster: ['monitor_watcher'], indices: [index(['.watches'], ['read'], true), index(['.watcher-history-*'], ['read'])] })],
  ['rollup_admin', role({ cluster: ['manage_rollup'] })],
  ['rollup_user', role({ cluster: ['monitor_rollup'] })],
  ['inference_admin', role({ cluster: ['manage_inference'] })],
  ['inference_user', role({ cluster: ['monitor_inference'] })],
]);
