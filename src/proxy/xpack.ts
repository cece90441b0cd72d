// GET /_xpack and GET /_xpack/usage: behind esgate the cluster's security is off, but clients
// (Kibana first) must see a secured cluster. esgate asks the upstream itself and answers its info
// with security available and enabled, and its usage with esgate's realms; an upstream without
// _xpack (OpenSearch) gets an answer of esgate's own with the fields Kibana and the clients read.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer } from '../authz/authorizer.js';
import type { Config } from '../config/schema.js';
import { productHeaderHook } from '../http/product-header.js';
import { commonParametersHook } from '../http/response-format.js';
import type { Authentication } from '../services/authentication.js';
import type { Store } from '../store/types.js';
import { upstreamHeaderPolicy } from './request-headers.js';

export interface XpackDeps {
  readonly config: Config;
  readonly authorizer: Authorizer;
  readonly store: Store;
}

/** An _xpack answer larger than this is not the upstream's info: esgate's own is used. */
const MAX_UPSTREAM_BYTES = 1 << 20;
const SECURITY = Object.freeze({ available: true, enabled: true });

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

async function fetchUpstream(deps: XpackDeps, path: string, query: string): Promise<Json | null> {
  const policy = upstreamHeaderPolicy(deps.config.upstream);
  const url = `${deps.config.upstream.url.replace(/\/$/, '')}${path}${query}`;
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json', ...(policy.upstreamAuthorization === null ? {} : { authorization: policy.upstreamAuthorization }) },
      signal: AbortSignal.timeout(deps.config.upstream.timeout),
    });
    const text = await res.text();
    if (!res.ok || text.length > MAX_UPSTREAM_BYTES) return null;
    const body: unknown = JSON.parse(text);
    return isObject(body) ? body : null;
  } catch {
    return null;
  }
}

function queryOf(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
}

/** XPackInfoResponse of esgate's own: a basic license, security on, for the requested categories. */
function ownInfo(categories: readonly string[]): Json {
  const all = categories.length === 0 || categories.includes('_all');
  const out: Json = {};
  if (all || categories.includes('build')) out['build'] = { hash: 'esgate', date: '1970-01-01T00:00:00.000Z' };
  if (all || categories.includes('license')) out['license'] = { uid: 'esgate', type: 'basic', mode: 'basic', status: 'active' };
  if (all || categories.includes('features')) out['features'] = { security: SECURITY };
  out['tagline'] = 'You know, for X';
  return out;
}

async function securityUsage(deps: XpackDeps): Promise<Json> {
  const { authc } = deps.config;
  return {
    ...SECURITY,
    realms: {
      native: { available: true, enabled: true, name: ['default_native'], order: [0], size: [await deps.store.users.count()] },
      reserved: { available: true, enabled: true },
    },
    roles: { native: { size: (await deps.store.roles.list()).length }, file: { size: 0 } },
    role_mapping: { native: { size: 0, enabled: 0 } },
    ssl: { http: { enabled: false }, transport: { enabled: false } },
    token_service: { enabled: authc.token.enabled },
    api_key_service: { enabled: authc.api_key.enabled },
    anonymous: { enabled: authc.anonymous.roles.length > 0 },
    fips_140: { enabled: false },
    operator_privileges: { available: false, enabled: false },
  };
}

export async function xpackRoutes(app: FastifyInstance, deps: XpackDeps): Promise<void> {
  productHeaderHook(app);
  commonParametersHook(app);
  const authorize = (request: FastifyRequest, action: string) => deps.authorizer.authorizeCluster(request.authentication as Authentication, action);

  app.get('/_xpack', async (request) => {
    await authorize(request, 'cluster:monitor/xpack/info');
    const upstream = await fetchUpstream(deps, '/_xpack', queryOf(request));
    if (upstream === null) {
      const categories = String((request.query as Record<string, unknown>)['categories'] ?? '').split(',').filter((c) => c !== '');
      return ownInfo(categories);
    }
    if (isObject(upstream['features'])) upstream['features'] = { ...upstream['features'], security: { ...(upstream['features']['security'] as Json | undefined), ...SECURITY } };
    return upstream;
  });

  app.get('/_xpack/usage', async (request) => {
    await authorize(request, 'cluster:monitor/xpack/usage');
    const upstream = (await fetchUpstream(deps, '/_xpack/usage', queryOf(request))) ?? {};
    return { ...upstream, security: await securityUsage(deps) };
  });
}
