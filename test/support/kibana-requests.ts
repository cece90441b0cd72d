// Requests exactly as Kibana sends them, shared by the tests that replay them.

/** Kibana 8.14+'s API keys page (x-pack/plugins/security/server/routes/api_keys/query_aggs.ts). */
export const KIBANA_API_KEY_AGGS = {
  size: 0,
  query: { bool: { must: { term: { invalidated: false } } } },
  aggs: {
    usernames: { terms: { field: 'username' } },
    types: { terms: { field: 'type' } },
    invalidated: { terms: { field: 'invalidated' } },
    expired: { filter: { range: { expiration: { lte: 'now/m' } } } },
    alertingKeys: { filter: { prefix: { name: { value: 'Alerting' } } } },
    managedMetadata: { filter: { term: { 'metadata.managed': true } } },
  },
};
