// The body of POST /_security/_query/api_key for the list's filter and sort. Pure.

/** The _query/api_key body for the filter: a name substring, and optionally active keys only. */
export function listQuery(filter: string, activeOnly: boolean, sort: string): Record<string, unknown> {
  const must: unknown[] = [];
  const text = filter.trim().replace(/[*?\\]/g, '\\$&');
  if (text !== '') must.push({ wildcard: { name: { value: `*${text}*`, case_insensitive: true } } });
  if (activeOnly) {
    must.push({ term: { invalidated: false } });
    must.push({ bool: { should: [{ range: { expiration: { gt: 'now' } } }, { bool: { must_not: { exists: { field: 'expiration' } } } }] } });
  }
  const [field, order] = sort.split(':');
  return { size: 100, sort: [{ [field ?? 'creation']: { order: order ?? 'desc' } }], query: must.length === 0 ? { match_all: {} } : { bool: { must } } };
}
