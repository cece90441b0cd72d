// The query DSL subset Elasticsearch accepts on /_security/_query/user and /_security/_query/role,
// evaluated over esgate's users or roles in memory (their number is small and bounded by the
// store): match_all, bool, term(s), match, prefix, wildcard, exists, range on the allowed fields,
// with sort, from/size and search_after.
import { RE2JS } from 're2js';
import { EsError } from '../errors/es-error.js';
import { illegalArgument } from '../errors/request.js';

type Json = Record<string, unknown>;
export type Scalar = string | number | boolean;
/** A document's values for one field (arrays for multi-valued fields). */
export type FieldReader<T> = (doc: T) => readonly Scalar[];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);

export const MAX_RESULT_WINDOW = 10_000;

type Predicate<T> = (doc: T) => boolean;

function only(body: Json, what: string): [string, unknown] {
  const entries = Object.entries(body);
  if (entries.length !== 1) throw new EsError(400, 'parsing_exception', `[${what}] query malformed, no start_object after query name`);
  return entries[0] as [string, unknown];
}

/** A wildcard as a whole-string matcher, on RE2 (linear time: no pattern can backtrack for long). */
function globMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  const compiled = RE2JS.compile(source, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  return (value) => compiled.matches(value);
}

export class SecurityQuery<T> {
  constructor(
    private readonly kind: string,
    private readonly fields: Readonly<Record<string, FieldReader<T>>>,
  ) {}

  private field(name: string): FieldReader<T> {
    const reader = this.fields[name];
    if (reader === undefined) throw illegalArgument(`Field [${name}] is not allowed for ${this.kind} query`);
    return reader;
  }

  /** One field condition: `{ "<field>": value }` or `{ "<field>": { "value": … } }`. */
  private condition(type: string, body: unknown, test: (values: readonly Scalar[], value: unknown, options: Json) => boolean): Predicate<T> {
    if (!isObject(body)) throw new EsError(400, 'parsing_exception', `[${type}] query malformed, no start_object after query name`);
    const [name, raw] = only(body, type);
    const reader = this.field(name);
    const options = isObject(raw) ? raw : { value: raw };
    const value = type === 'match' ? (options['query'] ?? options['value']) : options['value'];
    return (doc) => test(reader(doc), value, options);
  }

  parse(query: unknown, depth = 0): Predicate<T> {
    if (depth > 20) throw illegalArgument('query is nested too deeply');
    if (!isObject(query)) throw new EsError(400, 'parsing_exception', 'query malformed, must start with start_object');
    const [type, body] = only(query, 'query');
    switch (type) {
      case 'match_all':
        return () => true;
      case 'bool': {
        if (!isObject(body)) throw new EsError(400, 'parsing_exception', '[bool] query malformed');
        const list = (key: string): Predicate<T>[] => {
          const value = body[key];
          if (value === undefined) return [];
          return (Array.isArray(value) ? value : [value]).map((inner) => this.parse(inner, depth + 1));
        };
        const must = [...list('must'), ...list('filter')];
        const should = list('should');
        const mustNot = list('must_not');
        const minimum = typeof body['minimum_should_match'] === 'number' ? body['minimum_should_match'] : must.length === 0 && should.length > 0 ? 1 : 0;
        return (doc) => must.every((p) => p(doc)) && !mustNot.some((p) => p(doc)) && should.filter((p) => p(doc)).length >= minimum;
      }
      case 'term':
      case 'match':
        return this.condition(type, body, (values, value, options) =>
          options['case_insensitive'] === true && typeof value === 'string'
            ? values.some((v) => String(v).toLowerCase() === value.toLowerCase())
            : values.some((v) => v === value),
        );
      case 'terms': {
        if (!isObject(body)) throw new EsError(400, 'parsing_exception', '[terms] query malformed');
        const [name, raw] = only(body, 'terms');
        if (!Array.isArray(raw) || !raw.every(isScalar)) throw new EsError(400, 'parsing_exception', '[terms] query does not support a non-array value');
        const reader = this.field(name);
        return (doc) => reader(doc).some((v) => raw.includes(v));
      }
      case 'prefix':
        return this.condition(type, body, (values, value, options) =>
          typeof value === 'string' && values.some((v) => (options['case_insensitive'] === true ? String(v).toLowerCase().startsWith(value.toLowerCase()) : String(v).startsWith(value))),
        );
      case 'wildcard':
        return this.condition(type, body, (values, value, options) => {
          const pattern = typeof value === 'string' ? value : typeof options['wildcard'] === 'string' ? options['wildcard'] : '';
          const matches = globMatcher(pattern, options['case_insensitive'] === true);
          return values.some((v) => matches(String(v)));
        });
      case 'exists': {
        if (!isObject(body) || typeof body['field'] !== 'string') throw new EsError(400, 'parsing_exception', '[exists] must be provided with a [field]');
        const reader = this.field(body['field']);
        return (doc) => reader(doc).length > 0;
      }
      case 'range': {
        if (!isObject(body)) throw new EsError(400, 'parsing_exception', '[range] query malformed');
        const [name, raw] = only(body, 'range');
        if (!isObject(raw)) throw new EsError(400, 'parsing_exception', '[range] query malformed');
        const reader = this.field(name);
        const bound = (key: string) => raw[key] as Scalar | undefined;
        return (doc) =>
          reader(doc).some((v) => {
            const gt = bound('gt');
            const gte = bound('gte');
            const lt = bound('lt');
            const lte = bound('lte');
            return (gt === undefined || v > gt) && (gte === undefined || v >= gte) && (lt === undefined || v < lt) && (lte === undefined || v <= lte);
          });
      }
      default:
        throw illegalArgument(`Query type [${type}] is not currently supported in this context`);
    }
  }

  /** `sort` as Elasticsearch accepts it: names, `{field: order}`, `{field: {order}}`. */
  parseSort(value: unknown): Array<{ field: string; order: 'asc' | 'desc' }> {
    if (value === undefined) return [];
    const entries = Array.isArray(value) ? value : [value];
    return entries.map((entry) => {
      if (typeof entry === 'string') return { field: entry, order: 'asc' as const };
      if (!isObject(entry)) throw new EsError(400, 'parsing_exception', 'malformed sort format');
      const [field, raw] = only(entry, 'sort');
      const order = typeof raw === 'string' ? raw : isObject(raw) ? raw['order'] : 'asc';
      if (order !== 'asc' && order !== 'desc') throw illegalArgument(`Unknown SortOrder [${String(order)}]`);
      this.field(field);
      return { field, order };
    });
  }

  /** The matching documents in sort order, the page, and each hit's sort values. */
  run(docs: readonly T[], predicate: Predicate<T>, sort: Array<{ field: string; order: 'asc' | 'desc' }>, from: number, size: number, searchAfter?: readonly unknown[]) {
    const key = (doc: T) => sort.map(({ field }) => this.field(field)(doc)[0] ?? null);
    const compare = (a: (Scalar | null)[], b: (Scalar | null)[]) => {
      for (const [i, { order }] of sort.entries()) {
        const x = a[i] ?? null;
        const y = b[i] ?? null;
        if (x === y) continue;
        // Missing values sort last in both directions, as Elasticsearch's default.
        if (x === null) return 1;
        if (y === null) return -1;
        const c = x < y ? -1 : 1;
        return order === 'asc' ? c : -c;
      }
      return 0;
    };
    let hits = docs.filter(predicate).map((doc) => ({ doc, sort: key(doc) }));
    if (sort.length > 0) hits.sort((a, b) => compare(a.sort, b.sort));
    const total = hits.length;
    if (searchAfter !== undefined) hits = hits.filter((hit) => compare(hit.sort, searchAfter as (Scalar | null)[]) > 0);
    return { total, hits: hits.slice(from, from + size) };
  }
}

export function pageField(body: Json, field: 'from' | 'size', fallback: number, request: string): number {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EsError(400, 'x_content_parse_exception', `[${request}] failed to parse field [${field}]`);
  if (value < 0) throw illegalArgument(`[${field}] parameter cannot be negative, found [${value}]`);
  return value;
}
