// The query DSL subset Elasticsearch accepts on /_security/_query/api_key, parsed into the store's
// ApiKeyQuery (store/types.ts): field names translated, dates resolved, anything else refused with
// Elasticsearch's messages. The store turns the result into SQL with bound parameters.
import { EsError } from '../errors/es-error.js';
import { illegalArgument, parseException } from '../errors/request.js';
import type { ApiKeyQuery, ApiKeyQueryField, ApiKeyQueryValue, ApiKeySort } from '../store/types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const FIELDS: Readonly<Record<string, ApiKeyQueryField>> = {
  name: 'name',
  type: 'type',
  username: 'username',
  realm_name: 'realm_name',
  creation: 'creation',
  expiration: 'expiration',
  invalidated: 'invalidated',
  invalidation: 'invalidation',
};
const DATE_FIELDS = new Set<ApiKeyQueryField>(['creation', 'expiration', 'invalidation']);

export const MATCH_ALL: ApiKeyQuery = Object.freeze({ kind: 'match_all' });

function fieldNotAllowed(name: string): EsError {
  return illegalArgument(`Field [${name}] is not allowed for querying or aggregation`);
}

/** Elasticsearch's Regex.isSimpleMatchPattern. */
const isPattern = (name: string) => name.includes('*');

/** Elasticsearch's FieldNameTranslators.translate: known fields, `metadata` (flattened) and its sub-fields. */
function translateField(name: string): ApiKeyQueryField {
  if (isPattern(name)) throw illegalArgument(`Field name pattern [${name}] is not allowed for querying or aggregation`);
  if (name === 'metadata' || (name.startsWith('metadata.') && name.length > 'metadata.'.length)) return name as ApiKeyQueryField;
  const field = FIELDS[name];
  if (field === undefined || field === 'id') throw fieldNotAllowed(name);
  return field;
}

function simpleMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(value);
}

/** simple_query_string's fields: patterns expand over the field names, unknown names are ignored. */
function textFields(requested: readonly string[]): ApiKeyQueryField[] {
  const out = new Set<ApiKeyQueryField>();
  for (const raw of requested) {
    const name = raw.replace(/\^.*$/, '');
    if (isPattern(name)) {
      for (const field of [...Object.keys(FIELDS), 'metadata']) if (simpleMatch(name, field)) out.add(field as ApiKeyQueryField);
    } else {
      try {
        out.add(translateField(name));
      } catch {
        // Lenient, as Elasticsearch: a field that cannot be queried is left out.
      }
    }
  }
  return [...out];
}

const DATE_MATH = /^now((?:[+-]\d+[yMwdhHms])*)(?:\/([yMwdhHms]))?$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 30 * 86_400_000, y: 365 * 86_400_000 };

function dateValue(value: unknown, now: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    if (/^-?\d+$/.test(value)) return Number(value);
    const math = DATE_MATH.exec(value);
    if (math) {
      let at = now;
      for (const step of (math[1] ?? '').matchAll(/([+-])(\d+)([yMwdhHms])/g)) {
        const amount = Number(step[2]) * (UNIT_MS[step[3] ?? 's'] ?? 0);
        at += step[1] === '-' ? -amount : amount;
      }
      const round = math[2];
      if (round !== undefined) at -= at % (UNIT_MS[round] ?? 1);
      return at;
    }
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw parseException(`failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]`);
}

function scalar(field: ApiKeyQueryField, value: unknown, now: number): ApiKeyQueryValue {
  if (DATE_FIELDS.has(field)) return dateValue(value, now);
  if (field === 'invalidated') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw illegalArgument(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return typeof value === 'string' ? value : String(value);
  throw parseException(`[${field}] value must be a string, a number or a boolean`);
}

const LEAF_OPTIONS = new Set(['boost', '_name', 'case_insensitive', 'rewrite', 'operator', 'analyzer', 'lenient', 'zero_terms_query', 'auto_generate_synonyms_phrase_query']);

/** `{field: value}` or `{field: {<valueKey>: value, …}}`: the one field, its value, and case_insensitive. */
function singleField(queryName: string, body: unknown, valueKeys: readonly string[]): [string, unknown, boolean] {
  if (!isObject(body)) throw parseException(`[${queryName}] query malformed, no start_object after query name`);
  const entries = Object.entries(body);
  if (entries.length !== 1) throw parseException(`[${queryName}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`);
  const [name, spec] = entries[0] as [string, unknown];
  if (isObject(spec)) {
    for (const key of Object.keys(spec)) {
      if (!valueKeys.includes(key) && !LEAF_OPTIONS.has(key)) throw parseException(`[${queryName}] query does not support [${key}]`);
    }
    const caseInsensitive = spec['case_insensitive'] === true;
    for (const key of valueKeys) if (spec[key] !== undefined) return [name, spec[key], caseInsensitive];
    throw parseException(`[${queryName}] query does not have a value for [${name}]`);
  }
  return [name, spec, false];
}

function clauses(value: unknown, now: number): ApiKeyQuery[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((entry) => parseApiKeyQuery(entry, now));
}

function parseBool(body: unknown, now: number): ApiKeyQuery {
  if (!isObject(body)) throw parseException('[bool] query malformed, no start_object after query name');
  for (const key of Object.keys(body)) {
    if (!['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost'].includes(key)) throw parseException(`[bool] query does not support [${key}]`);
  }
  const must = [...clauses(body['must'], now), ...clauses(body['filter'], now)];
  const should = clauses(body['should'], now);
  const mustNot = clauses(body['must_not'], now);
  const msm = body['minimum_should_match'];
  let minimumShouldMatch = must.length === 0 && should.length > 0 ? 1 : 0;
  if (msm !== undefined) {
    const n = typeof msm === 'number' ? msm : typeof msm === 'string' && /^-?\d+$/.test(msm) ? Number(msm) : NaN;
    if (!Number.isInteger(n)) throw illegalArgument(`[minimum_should_match] must be an integer, found [${String(msm)}]`);
    minimumShouldMatch = n < 0 ? Math.max(0, should.length + n) : n;
  }
  return { kind: 'bool', must, should, mustNot, minimumShouldMatch };
}

/** simple_query_string over keyword fields: whitespace-separated terms, `*` suffix, `+`/`-` operators. */
function parseSimpleQueryString(body: unknown, now: number): ApiKeyQuery {
  if (!isObject(body) || typeof body['query'] !== 'string') throw parseException('[simple_query_string] requires a [query]');
  const fieldsRaw = body['fields'];
  const fields = textFields(Array.isArray(fieldsRaw) && fieldsRaw.length > 0 ? fieldsRaw.map(String) : ['*']);
  // Only fields that cannot be queried: nothing matches (never every field).
  if (fields.length === 0) return { kind: 'match_none' };
  const and = typeof body['default_operator'] === 'string' && body['default_operator'].toLowerCase() === 'and';
  const must: ApiKeyQuery[] = [];
  const should: ApiKeyQuery[] = [];
  const mustNot: ApiKeyQuery[] = [];
  for (const raw of body['query'].split(/\s+/).filter((t) => t !== '')) {
    const operator = raw[0] === '+' || raw[0] === '-' ? raw[0] : '';
    const term = operator === '' ? raw : raw.slice(1);
    if (term === '') continue;
    const perField: ApiKeyQuery[] = term.endsWith('*')
      ? fields.filter((field) => !DATE_FIELDS.has(field) && field !== 'invalidated').map((field): ApiKeyQuery => ({ kind: 'prefix', field, value: term.slice(0, -1) }))
      : fields.flatMap((field): ApiKeyQuery[] => {
          const value = lenientScalar(field, term, now);
          return value === undefined ? [] : [{ kind: 'terms', field, values: [value] }];
        });
    // A term no field can take (e.g. only date fields and a word) matches nothing.
    const anyField: ApiKeyQuery = perField.length === 0 ? { kind: 'match_none' } : { kind: 'bool', must: [], should: perField, mustNot: [], minimumShouldMatch: 1 };
    if (operator === '-') mustNot.push(anyField);
    else if (operator === '+' || and) must.push(anyField);
    else should.push(anyField);
  }
  if (must.length === 0 && should.length === 0 && mustNot.length === 0) return { kind: 'match_none' };
  return { kind: 'bool', must, should, mustNot, minimumShouldMatch: must.length === 0 && should.length > 0 ? 1 : 0 };
}

/** simple_query_string is lenient: a term that is no valid date or boolean for a field skips that field. */
function lenientScalar(field: ApiKeyQueryField, term: string, now: number): ApiKeyQueryValue | undefined {
  try {
    return scalar(field, term, now);
  } catch {
    return undefined;
  }
}

export function parseApiKeyQuery(body: unknown, now: number): ApiKeyQuery {
  if (!isObject(body)) throw parseException('query malformed, must start with start_object');
  const entries = Object.entries(body);
  if (entries.length !== 1) throw parseException(`query malformed, expected exactly one query type, found [${entries.map(([k]) => k).join(', ')}]`);
  const [type, spec] = entries[0] as [string, unknown];
  switch (type) {
    case 'match_all':
      return MATCH_ALL;
    case 'bool':
      return parseBool(spec, now);
    case 'term':
    case 'match': {
      const [name, value, caseInsensitive] = singleField(type, spec, type === 'term' ? ['value'] : ['query']);
      const field = translateField(name);
      return { kind: 'terms', field, values: [scalar(field, value, now)], ...(caseInsensitive ? { caseInsensitive } : {}) };
    }
    case 'terms': {
      if (!isObject(spec)) throw parseException('[terms] query malformed, no start_object after query name');
      const entry = Object.entries(spec).filter(([k]) => k !== 'boost');
      if (entry.length !== 1) throw parseException('[terms] query does not support multiple fields');
      const [name, values] = entry[0] as [string, unknown];
      if (!Array.isArray(values)) throw parseException(`[terms] query does not support [${name}]`);
      const field = translateField(name);
      return { kind: 'terms', field, values: values.map((v) => scalar(field, v, now)) };
    }
    case 'prefix':
    case 'wildcard': {
      const [name, value, caseInsensitive] = singleField(type, spec, type === 'prefix' ? ['value'] : ['value', 'wildcard']);
      const field = translateField(name);
      if (typeof value !== 'string') throw parseException(`[${type}] value must be a string`);
      return { kind: type, field, value, ...(caseInsensitive ? { caseInsensitive } : {}) };
    }
    case 'range': {
      if (!isObject(spec) || Object.keys(spec).length !== 1) throw parseException('[range] query malformed, expected one field');
      const [name, bounds] = Object.entries(spec)[0] as [string, unknown];
      if (!isObject(bounds)) throw parseException(`[range] query malformed, no start_object after [${name}]`);
      if (bounds['relation'] !== undefined) throw illegalArgument('range query with relation is not currently supported in this context');
      const field = translateField(name);
      const bound = (key: string) => (bounds[key] === undefined || bounds[key] === null ? {} : { [key]: scalar(field, bounds[key], now) });
      const from = bounds['from'] === undefined ? {} : { [bounds['include_lower'] === false ? 'gt' : 'gte']: scalar(field, bounds['from'], now) };
      const to = bounds['to'] === undefined ? {} : { [bounds['include_upper'] === false ? 'lt' : 'lte']: scalar(field, bounds['to'], now) };
      return { kind: 'range', field, ...from, ...to, ...bound('gt'), ...bound('gte'), ...bound('lt'), ...bound('lte') };
    }
    case 'exists': {
      if (!isObject(spec) || typeof spec['field'] !== 'string') throw parseException('[exists] must be provided with a [field]');
      return { kind: 'exists', field: translateField(spec['field']) };
    }
    case 'ids': {
      if (!isObject(spec) || !Array.isArray(spec['values'])) throw parseException('[ids] query malformed, [values] is required');
      return { kind: 'terms', field: 'id', values: spec['values'].map(String) };
    }
    case 'simple_query_string':
      return parseSimpleQueryString(spec, now);
    default:
      throw illegalArgument(`Query type [${type}] is not currently supported in this context`);
  }
}

/** `sort`: a field name, `{field: order}`, `{field: {order}}`, or a list of those. */
export function parseApiKeySort(value: unknown): ApiKeySort[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item): ApiKeySort => {
    let name: string;
    let order: unknown = 'asc';
    if (typeof item === 'string') name = item;
    else if (isObject(item) && Object.keys(item).length === 1) {
      const [key, spec] = Object.entries(item)[0] as [string, unknown];
      name = key;
      order = isObject(spec) ? (spec['order'] ?? 'asc') : spec;
    } else throw parseException('[sort] malformed');
    if (order !== 'asc' && order !== 'desc') throw illegalArgument(`Unknown SortOrder [${String(order)}]`);
    if (name === '_doc') return { field: '_doc', order };
    const field = translateField(name);
    if (field === 'metadata' || field.startsWith('metadata.')) throw illegalArgument(`sorting on field [${name}] is not supported by esgate`);
    return { field, order };
  });
}

/** Elasticsearch's indices.query.bool.max_clause_count (its older default); it also keeps the store's SQL shallow. */
export const MAX_CLAUSES = 512;

/** Refuses a parsed query with more clauses than MAX_CLAUSES, as Elasticsearch's too_many_nested_clauses. */
export function checkClauseCount(query: ApiKeyQuery): void {
  let count = 0;
  const stack: ApiKeyQuery[] = [query];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind !== 'bool') continue;
    count += node.must.length + node.should.length + node.mustNot.length;
    if (count > MAX_CLAUSES) throw new EsError(400, 'too_many_nested_clauses', `Query contains too many nested clauses; maxClauseCount is set to ${MAX_CLAUSES}`);
    stack.push(...node.must, ...node.should, ...node.mustNot);
  }
}
