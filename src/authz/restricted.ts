// Restricted indices: Elasticsearch's system indices (and the security ones) are reached only by
// roles that set allow_restricted_indices, never by a wildcard or a `*` grant. Elasticsearch derives
// the set from each plugin's system index descriptors; esgate lists the ones of 8.x/9.x here.
// Each entry is a glob that is also valid as an index-expression exclusion (`-.tasks*`).
export const RESTRICTED_PATTERNS: readonly string[] = [
  '.security',
  '.security-*',
  '.async-search*',
  '.fleet-*',
  '.kibana*',
  '.tasks*',
  '.watches*',
  '.triggered_watches*',
  '.ml-config*',
  '.ml-meta*',
  '.ml-inference-*',
  '.transform-internal-*',
  '.geoip_databases*',
  '.logstash*',
  '.snapshot-blob-cache*',
  '.synonyms*',
  '.apm-agent-configuration*',
  '.apm-custom-link*',
  '.apm-source-map*',
];
