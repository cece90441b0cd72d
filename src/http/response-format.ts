// Elasticsearch's common parameters on the answers esgate writes itself: `filter_path` (with `*`,
// `**` and `-` exclusions), `pretty` (Jackson's layout: `"key" : value`, one element per line),
// `format=yaml`, and `human` / `error_trace`, accepted (esgate's answers carry no byte or time
// fields to humanize, and it never sends stack traces). Proxied answers are the upstream's own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify as toYaml } from 'yaml';

type Json = unknown;

/** Elasticsearch treats `?pretty` and `?pretty=true` as on, `false` as off. */
function flag(value: unknown): boolean {
  return value !== undefined && value !== 'false';
}

/** Compiled once per request: `*` inside a segment is a wildcard; `**` matches any number of levels. */
type Segment = { readonly any: true } | { readonly any: false; readonly test: (key: string) => boolean };

function compileSegment(pattern: string): Segment {
  if (pattern === '**') return { any: true };
  if (pattern === '*') return { any: false, test: () => true };
  if (!pattern.includes('*')) return { any: false, test: (key) => key === pattern };
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { any: false, test: (key) => regex.test(key) };
}

/** A pattern's segments, consecutive `**` collapsed (they match the same paths as one). */
function compilePattern(raw: string): Segment[] {
  const out: Segment[] = [];
  for (const part of raw.split('.')) {
    const segment = compileSegment(part);
    if (segment.any && out.at(-1)?.any === true) continue;
    out.push(segment);
  }
  return out;
}

/**
 * Where a pattern stands after the keys from the root: the set of its positions still possible
 * (a `**` position also allows the next one). `full`: the pattern is complete, the subtree selected.
 * Advanced one key at a time down the document, so matching costs O(positions) per node.
 */
type State = { readonly full: true } | { readonly full: false; readonly positions: readonly number[] };

const FULL: State = { full: true };
const NONE: State = { full: false, positions: [] };

function closure(pattern: readonly Segment[], positions: Iterable<number>): State {
  const out = new Set<number>();
  for (let p of positions) {
    for (;;) {
      if (p >= pattern.length) return FULL;
      out.add(p);
      if (!(pattern[p] as Segment).any) break;
      p++;
    }
  }
  return { full: false, positions: [...out] };
}

function advance(pattern: readonly Segment[], state: State, key: string): State {
  if (state.full) return FULL;
  const next = new Set<number>();
  for (const p of state.positions) {
    const segment = pattern[p] as Segment;
    if (segment.any) next.add(p);
    else if (segment.test(key)) next.add(p + 1);
  }
  return next.size === 0 ? NONE : closure(pattern, next);
}

interface Filter {
  readonly include: Segment[][];
  readonly exclude: Segment[][];
}

function filter(value: Json, spec: Filter, included: readonly State[], excluded: readonly State[]): Json | undefined {
  if (excluded.some((state) => state.full)) return undefined;
  const full = spec.include.length === 0 || included.some((state) => state.full);
  if (full && spec.exclude.length === 0) return value;
  const partial = included.some((state) => !state.full && state.positions.length > 0);
  if (!full && !partial) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => filter(item, spec, included, excluded)).filter((item) => item !== undefined);
    return items.length === 0 && !full ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const kept = filter(
        inner,
        spec,
        included.map((state, i) => advance(spec.include[i] as Segment[], state, key)),
        excluded.map((state, i) => advance(spec.exclude[i] as Segment[], state, key)),
      );
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length === 0 && !full ? undefined : out;
  }
  return full ? value : undefined;
}

/** Bounds on what a client may ask for: the work is O(nodes × patterns × positions). */
const MAX_FILTER_PATTERNS = 64;
const MAX_FILTER_SEGMENTS = 64;

export function filterPath(value: Json, expression: string): Json {
  const spec: Filter = { include: [], exclude: [] };
  const patterns = expression.split(',').map((p) => p.trim()).filter((p) => p !== '').slice(0, MAX_FILTER_PATTERNS);
  for (const raw of patterns) {
    const exclude = raw.startsWith('-');
    const pattern = compilePattern(exclude ? raw.slice(1) : raw).slice(0, MAX_FILTER_SEGMENTS);
    (exclude ? spec.exclude : spec.include).push(pattern);
  }
  const start = (pattern: readonly Segment[]) => closure(pattern, [0]);
  return filter(value, spec, spec.include.map(start), spec.exclude.map(start)) ?? {};
}

/** Jackson's DefaultPrettyPrinter as Elasticsearch configures it. */
export function prettyJson(value: Json, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[\n${value.map((item) => inner + prettyJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)} : ${prettyJson(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function parameters(request: FastifyRequest): { filter?: string; pretty: boolean; yaml: boolean } {
  const query = request.query as Record<string, unknown> | undefined;
  const rawFilter = query?.['filter_path'];
  return {
    ...(typeof rawFilter === 'string' ? { filter: rawFilter } : {}),
    pretty: flag(query?.['pretty']),
    yaml: query?.['format'] === 'yaml',
  };
}

/** For scopes whose answers are esgate's own JSON (security APIs, _xpack). */
export function commonParametersHook(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const params = parameters(request);
    if (params.filter === undefined && !params.pretty && !params.yaml) return payload;
    // Handlers send strings; the error handler sends bytes (exact content type).
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (text === null || text === '' || !String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch {
      return payload;
    }
    if (params.filter !== undefined) value = filterPath(value, params.filter);
    if (params.yaml) {
      reply.header('content-type', 'application/yaml');
      return `---\n${toYaml(value, { lineWidth: 0 })}`;
    }
    return params.pretty ? `${prettyJson(value)}\n` : JSON.stringify(value);
  });
}
