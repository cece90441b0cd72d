// Elasticsearch's common parameters on the answers esgate writes itself: `filter_path` (with `*`,
// `**` and `-` exclusions), `pretty` (Jackson's layout: `"key" : value`, one element per line),
// `format=yaml`, and `human` / `error_trace`, accepted (esgate's answers carry no byte or time
// fields to humanize, and it never sends stack traces). Proxied answers are the upstream's own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify as toYaml } from 'yaml';

type Json = unknown;

interface Filter {
  readonly include: string[][];
  readonly exclude: string[][];
}

/** Elasticsearch treats `?pretty` and `?pretty=true` as on, `false` as off. */
function flag(value: unknown): boolean {
  return value !== undefined && value !== 'false';
}

function segmentMatches(pattern: string, key: string): boolean {
  if (pattern === '*' || pattern === '**') return true;
  if (!pattern.includes('*')) return pattern === key;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(key);
}

/** Whether `path` (keys from the root) is selected by `pattern`, or could lead to a selected one. */
function match(pattern: readonly string[], path: readonly string[]): 'full' | 'partial' | 'none' {
  const [head, ...rest] = pattern;
  if (head === undefined) return 'full';
  if (path.length === 0) return 'partial';
  const [key, ...deeper] = path as [string, ...string[]];
  if (head === '**') {
    // `**` matches any number of levels, none included.
    if (match(rest, path) === 'full' || match(pattern, deeper) === 'full') return 'full';
    return 'partial';
  }
  if (!segmentMatches(head, key)) return 'none';
  return match(rest, deeper);
}

function filter(value: Json, spec: Filter, path: string[]): Json | undefined {
  if (spec.exclude.some((pattern) => match(pattern, path) === 'full')) return undefined;
  const states = spec.include.length === 0 ? ['full'] : spec.include.map((pattern) => match(pattern, path));
  if (states.includes('full') && spec.exclude.length === 0) return value;
  if (!states.includes('full') && !states.includes('partial')) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => filter(item, spec, path)).filter((item) => item !== undefined);
    return items.length === 0 && !states.includes('full') ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const kept = filter(inner, spec, [...path, key]);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length === 0 && !states.includes('full') ? undefined : out;
  }
  return states.includes('full') ? value : undefined;
}

export function filterPath(value: Json, expression: string): Json {
  const spec: Filter = { include: [], exclude: [] };
  for (const raw of expression.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    if (raw.startsWith('-')) spec.exclude.push(raw.slice(1).split('.'));
    else spec.include.push(raw.split('.'));
  }
  return filter(value, spec, []) ?? {};
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
