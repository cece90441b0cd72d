// Restricted indices: Elasticsearch's system indices, their aliases and its system data streams
// (RestrictedIndices = SystemIndices#getSystemNameAutomaton) are reached only by roles that set
// allow_restricted_indices, never by a wildcard or a `*` grant. Behind esgate the cluster's security
// is off and it lets any client use most of them by name (it only warns), so this list is all there
// is between a `*` grant and `.security-7`. Entries follow Elasticsearch 9.x's descriptors (cited
// below); each is a glob that is also valid as an index-expression exclusion (`-.tasks*`).
//
// Dot-prefixed names that match no entry: Elasticsearch reserves dot-names for system and hidden
// indices (MetadataCreateIndexService warns on creating one) and adds new system indices release by
// release. So entries are written as families (`.security*`, `.fleet-*`, `.inference*`), and every
// dot-name that holds secrets by its name (`.*secret*`) is restricted, whatever plugin defines it.
export const RESTRICTED_PATTERNS: readonly string[] = [
  // server: TaskResultsService.TASKS_DESCRIPTOR; SynonymsManagementAPIService.SYNONYMS_DESCRIPTOR
  '.tasks*',
  '.synonyms*',
  // x-pack security: SecuritySystemIndices (.security-7, .security-tokens-7, .security-profile-8 and aliases)
  '.security',
  '.security*',
  // x-pack core AsyncTaskIndexService (async search, EQL, SQL, ES|QL results)
  '.async-search*',
  // modules/kibana KibanaPlugin: .kibana_*, .reporting-*, .chat-*, .workflows*, .apm-*, .evaluation-*
  '.kibana*',
  '.reporting-*',
  '.chat-*',
  '.workflows*',
  '.evaluation-*',
  '.apm-agent-configuration*',
  '.apm-custom-link*',
  '.apm-source-map*',
  // x-pack fleet Fleet: .fleet-actions, -agents, -enrollment-api-keys, -secrets, -policies, -servers,
  // -artifacts, and the system data stream .fleet-actions-results (its backing indices below)
  '.fleet-*',
  // x-pack ml MachineLearning#getSystemIndexDescriptors: .ml-meta*, .ml-config*, .ml-inference-*
  '.ml-meta*',
  '.ml-config*',
  '.ml-inference-*',
  // x-pack transform TransformInternalIndex
  '.transform-internal-*',
  // x-pack watcher Watcher: .watches*, .triggered_watches*
  '.watches*',
  '.triggered_watches*',
  // x-pack enrich EnrichPlugin.ENRICH_INDEX_PATTERN: copies of source indices for enrich processors
  '.enrich-*',
  // x-pack logstash Logstash.LOGSTASH_INDEX_NAME_PATTERN (pipelines with their credentials)
  '.logstash*',
  // modules/ingest-geoip IngestGeoIpPlugin (net-new)
  '.geoip_databases*',
  // x-pack searchable-snapshots SearchableSnapshots
  '.snapshot-blob-cache*',
  // x-pack inference InferencePlugin: InferenceIndex, InferenceSecretsIndex (net-new), CCMIndex (net-new)
  '.inference*',
  '.secrets-inference*',
  '.ccm-inference*',
  // x-pack ent-search: ConnectorSecretsIndexService, QueryRulesIndexService, SearchApplicationIndexService
  '.connector-secrets*',
  '.query-rules*',
  '.search-app*',
  // Backing indices of the system data streams above (.ds-<name>-*).
  '.ds-.fleet-*',
  '.ds-.workflows*',
  '.ds-.kibana*',
  // Any other dot-name that holds secrets by its name.
  '.*secret*',
];
