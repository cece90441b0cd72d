// Aggregations of `_query/api_key`, the subset Kibana's API keys page sends (Elasticsearch's
// ApiKeyAggregationsBuilder): `terms` on a key field and `filter` with a query. A filter is counted
// by the store (the scoped query AND the filter); terms group the scoped keys, at most MAX_KEYS.
import { illegalArgument } from '../../errors/request.js';
import { checkClauseCount, parseApiKeyQuery } from '../../services/api-key-query.js';
import type { ApiKeyQuery, ApiKeyRecord, ApiKeySearch, ApiKeySearchResult } from '../../store/types.js';

type Aggregation =
  | { readonly name: string; readonly kind: 'terms'; readonly field: TermsField; readonly size: number }
  | { readonly name: string; readonly kind: 'filter'; readonly query: ApiKeyQuery };

type TermsField = 'username' | 'realm_name' | 'name' | 'type' | 'invalidated';

const TERMS_FIELDS: ReadonlySet<string> = new Set(['username', 'realm_name', 'name', 'type', 'invalidated']);
/** Keys grouped for `terms` (Elasticsearch's default max_result_window bounds a page; aggregations see all). */
const MAX_KEYS = 10_000;

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw illegalArgument(`[${what}] must be an object`);
  return value as Record<string, unknown>;
}

/** Parses `aggs` (or `aggregations`); undefined when the request has none. */
export function parseApiKeyAggregations(raw: unknown, now: number): Aggregation[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const out: Aggregation[] = [];
  for (const [name, spec] of Object.entries(object(raw, 'aggs'))) {
    const entries = Object.entries(object(spec, name));
    const [type, body] = entries[0] ?? [];
    if (entries.length !== 1 || type === undefined) throw illegalArgument(`Expected exactly one aggregation type for [${name}]`);
    if (type === 'terms') {
      const terms = object(body, `${name}.terms`);
      const field = terms['field'];
      if (typeof field !== 'string' || !TERMS_FIELDS.has(field)) throw illegalArgument(`field [${String(field)}] is not allowed for API Key aggregations`);
      const size = terms['size'] ?? 10;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw illegalArgument(`[size] must be greater than 0. Found [${String(size)}] in [${name}]`);
      out.push({ name, kind: 'terms', field: field as TermsField, size });
    } else if (type === 'filter') {
      const query = parseApiKeyQuery(body, now);
      checkClauseCount(query);
      out.push({ name, kind: 'filter', query });
    } else {
      throw illegalArgument(`Unsupported API Key aggregation type [${type}]; esgate supports [terms, filter]`);
    }
  }
  return out;
}

function fieldOf(record: ApiKeyRecord, field: TermsField): string | boolean {
  switch (field) {
    case 'username':
      return record.username;
    case 'realm_name':
      return record.realmName;
    case 'name':
      return record.name;
    case 'type':
      return record.type;
    case 'invalidated':
      return record.invalidated;
  }
}

function termsBuckets(records: readonly ApiKeyRecord[], field: TermsField, size: number) {
  const counts = new Map<string | boolean, number>();
  for (const record of records) {
    const key = fieldOf(record, field);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Elasticsearch's order: doc_count descending, then the key ascending.
  const sorted = [...counts].sort(([ka, a], [kb, b]) => b - a || String(ka).localeCompare(String(kb)));
  const buckets = sorted.slice(0, size).map(([key, count]) =>
    typeof key === 'boolean' ? { key: key ? 1 : 0, key_as_string: String(key), doc_count: count } : { key, doc_count: count },
  );
  const shown = buckets.reduce((n, b) => n + b.doc_count, 0);
  return { doc_count_error_upper_bound: 0, sum_other_doc_count: records.length - shown, buckets };
}

function and(scoped: ApiKeyQuery, filter: ApiKeyQuery): ApiKeyQuery {
  return { kind: 'bool', must: [scoped, filter], should: [], mustNot: [], minimumShouldMatch: 0 };
}

/** The `aggregations` of the answer, over every key the (scoped) query matches. */
export async function runApiKeyAggregations(
  aggregations: readonly Aggregation[],
  scoped: ApiKeyQuery,
  search: (search: ApiKeySearch) => Promise<ApiKeySearchResult>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let all: ApiKeyRecord[] | undefined;
  for (const aggregation of aggregations) {
    if (aggregation.kind === 'filter') {
      const { total } = await search({ query: and(scoped, aggregation.query), sort: [], from: 0, size: 0 });
      out[aggregation.name] = { doc_count: total };
    } else {
      all ??= (await search({ query: scoped, sort: [], from: 0, size: MAX_KEYS })).hits.map((hit) => hit.record);
      out[aggregation.name] = termsBuckets(all, aggregation.field, aggregation.size);
    }
  }
  return out;
}
