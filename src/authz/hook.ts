// preHandler of the proxied route: gathers the facts of the request (canonical path, the body where
// targets live in it), asks for the decision, and answers with a ForwardPlan that the proxy alone
// carries out (proxy/upstream.ts). Nothing of the request is changed here. Where the body was read,
// the plan forwards what was parsed and authorized (canonical bytes), never the client's bytes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EsError } from '../errors/es-error.js';
import { illegalArgument } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { Authentication } from '../services/authentication.js';
import { deniedSubject, type Authorizer } from './authorizer.js';
import { classifyMatched, endpointNeedsBody, type Classification } from './classify.js';
import { continuationTapStream } from './continuation-tap.js';
import type { ContinuationKind, ContinuationRegistry } from './continuations.js';
import { decide } from './decide.js';
import type { EffectivePermission } from './permission.js';
import { matchEndpoint, type EndpointMatch } from './endpoints.js';
import { STREAM_BODY, type ForwardPlan } from './forward-plan.js';
import { normalizePath, type NormalizedPath } from './path.js';
import { announcesBody, readTargetBody, type ReadBody } from './read-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the proxy sends upstream for this request; null until authorized (or for a CORS preflight). */
    forwardPlan: ForwardPlan | null;
  }
}

/** Declared once at the root, so every request has the same shape. */
export function declareProxyAuthorization(app: FastifyInstance): void {
  app.decorateRequest('forwardPlan', null);
}

export interface ProxyAuthorizationDeps {
  readonly authorizer: Authorizer;
  readonly continuations: ContinuationRegistry;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
}


/**
 * Elasticsearch reads bodies of GET requests (`GET /_search` with a query). Fastify does not parse
 * them and reply-from refuses to send them, so such requests go upstream as POST (proxy/get-body.ts
 * admits only the read APIs whose POST form is the same read).
 */
function upstreamMethod(request: FastifyRequest): string {
  if (!announcesBody(request)) return request.method;
  if (request.method === 'HEAD') throw illegalArgument(`request [HEAD ${request.url}] does not support having a body`);
  return request.method === 'GET' ? 'POST' : request.method;
}

const BULK_ACTION = 'indices:data/write/bulk';

function continuationOf(classification: Classification, query: URLSearchParams): ContinuationKind | null {
  switch (classification.action) {
    case 'indices:data/read/search':
      // A search that opens a scroll, or goes on with a PIT (its answer may carry a newer pit_id).
      return query.has('scroll') ? 'scroll' : classification.targets.kind === 'pit' ? 'pit' : null;
    case 'indices:data/read/scroll':
      return 'scroll';
    case 'indices:data/read/open_point_in_time':
      return 'pit';
    case 'indices:data/read/async_search/submit':
    // EQL, SQL and ES|QL answer an async id (top-level `id`) when they go on in the background.
    case 'indices:data/read/eql':
    case 'indices:data/read/sql':
    case 'indices:data/read/esql':
      return 'async_search';
    default:
      return null;
  }
}

const CACHEABLE_TARGETS: ReadonlySet<string> = new Set(['none', 'indices', 'any_index']);
const MAX_CACHED_DECISIONS = 10_000;

interface CachedDecision {
  readonly action: string;
  readonly indices: readonly string[] | null;
  readonly plan: ForwardPlan;
}

/** The index expressions a classification names (targets, items, lookups), for the audit trail. */
function namedIndices(classification: Classification): readonly string[] | null {
  const out = new Set<string>();
  const targets = classification.targets;
  if (targets.kind === 'indices') for (const e of targets.expressions.length === 0 ? ['_all'] : targets.expressions) out.add(e);
  if (targets.kind === 'items') for (const item of targets.items) for (const e of item.expressions.length === 0 ? ['_all'] : item.expressions) out.add(e);
  for (const item of classification.lookups) for (const e of item.expressions.length === 0 ? ['_all'] : item.expressions) out.add(e);
  // Bounded: an _mget of 100,000 docs names each index once, and the line stays readable.
  return out.size === 0 ? null : [...out].slice(0, 100);
}

/**
 * Decisions per permission object: a role change or an API key update makes a new permission, so a
 * stale decision can never be found. Holds request lines only, never credentials.
 */
const decisions = new WeakMap<EffectivePermission, Map<string, CachedDecision>>();

function decisionCache(permission: EffectivePermission): Map<string, CachedDecision> {
  let cache = decisions.get(permission);
  if (cache === undefined) {
    cache = new Map();
    decisions.set(permission, cache);
  }
  return cache;
}

function remember(permission: EffectivePermission, key: string, decision: CachedDecision): void {
  const cache = decisionCache(permission);
  if (cache.size >= MAX_CACHED_DECISIONS) cache.clear();
  cache.set(key, decision);
}

/** Without a body, and without date math (whose meaning changes with the clock). */
function cacheable(request: FastifyRequest): boolean {
  return !announcesBody(request) && !request.url.includes('%3C') && !request.url.includes('%3c') && !request.url.includes('<');
}

/**
 * Requests on explicit indices whose bodies can only add reads: the other indices a query or a
 * written document may read (terms lookups and the like), or a stored lookup (read on every index).
 * For an identity that may read every index, restricted ones included, those need no check.
 */
const READS_ONLY_BODY = new Set([
  'indices:data/read/search',
  'indices:data/read/search/template',
  'indices:data/read/open_point_in_time',
  'indices:data/read/async_search/submit',
  'indices:data/read/field_caps',
  'indices:data/read/explain',
  'indices:data/read/tv',
  'indices:data/read/rank_eval',
  'indices:data/read/xpack/termsenum/list',
  'indices:data/read/eql',
  'indices:admin/validate/query',
  'indices:data/write/delete/byquery',
  'indices:data/write/index',
  'indices:data/write/index:op_type/create',
  'indices:data/write/update',
  'indices:admin/mapping/put',
]);

function bodyOnlyNamesReads(match: EndpointMatch | null, permission: EffectivePermission): boolean {
  if (match === null || match.params['index'] === undefined) return false;
  const { targets, action } = match.endpoint;
  return (targets === 'path:index' || targets === 'search') && READS_ONLY_BODY.has(action) && permission.hasIndexPrivilege('*', 'read', true);
}

function urlOf(path: string, rawQuery: string): string {
  return rawQuery === '' ? path : `${path}?${rawQuery}`;
}

export function proxyPreHandler(deps: ProxyAuthorizationDeps) {
  return async function authorizeProxied(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.forwardPlan = null;
    const authentication = request.authentication;
    // CORS preflight passes unauthenticated, as in Elasticsearch, on the canonical path only.
    if (authentication === null) {
      const path = normalizePath(request.url);
      request.forwardPlan = { method: request.method, url: urlOf(path.path, path.rawQuery), body: STREAM_BODY, continuation: null };
      return;
    }
    const method = upstreamMethod(request);
    const path = normalizePath(request.url);

    const permission = await deps.authorizer.permission(authentication);
    const cacheKey = cacheable(request) ? `${method} ${request.url}` : null;
    const cached = cacheKey === null ? undefined : decisionCache(permission).get(cacheKey);
    if (cached !== undefined) {
      request.authzAction = cached.action;
      request.authzIndices = cached.indices;
      await deps.authorizer.authorizeRunAs(authentication, cached.action);
      request.forwardPlan = cached.plan;
      return;
    }
    const match = matchEndpoint(method, path.segments);
    // A _bulk from an identity that may write to and read every index (restricted ones included)
    // needs no per-item check, nor one of its documents' lookups: it streams through unbuffered.
    if (match?.endpoint.targets === 'body:bulk' && permission.hasIndexPrivilege('*', 'write', true) && permission.hasIndexPrivilege('*', 'read', true)) {
      request.authzAction = BULK_ACTION;
      await deps.authorizer.authorizeRunAs(authentication, BULK_ACTION);
      request.forwardPlan = { method, url: urlOf(path.path, path.rawQuery), body: STREAM_BODY, continuation: null };
      return;
    }
    const readsBody = match !== null && endpointNeedsBody(match) && !bodyOnlyNamesReads(match, permission);
    const body: ReadBody = readsBody ? await readTargetBody(request, reply, match, path, deps.maxBodyBytes) : { prepared: undefined, forward: STREAM_BODY, rawQuery: path.rawQuery };
    const classification = match === null
      ? { action: null, actionKind: null, targets: { kind: 'none' }, alsoCluster: [], lookups: [], endpoint: null } satisfies Classification
      : classifyMatched(match, { method, path, prepared: body.prepared, maxBodyBytes: deps.maxBodyBytes });
    const action = classification.action ?? `${method} ${path.path}`;
    request.authzAction = action;
    request.authzIndices = namedIndices(classification);
    await deps.authorizer.authorizeRunAs(authentication, action);
    const secondary = request.secondaryAuthentication;
    const secondaryPermission = secondary === null ? null : await deps.authorizer.permission(secondary);
    // Bindings of the continuation ids presented, from the store (another instance may have recorded them).
    await deps.continuations.load(classification.targets);
    const plan = authorize(deps, authentication, permission, { classification, method, path, action, body, secondary, secondaryPermission });
    request.forwardPlan = plan;
    // Only decisions that depend on nothing but the request line are remembered.
    if (cacheKey !== null && !readsBody && classification.lookups.length === 0 && CACHEABLE_TARGETS.has(classification.targets.kind)) {
      remember(permission, cacheKey, { action, indices: request.authzIndices, plan });
    }
  };
}

interface Facts {
  readonly classification: Classification;
  readonly method: string;
  readonly path: NormalizedPath;
  readonly action: string;
  readonly body: ReadBody;
  readonly secondary: Authentication | null;
  readonly secondaryPermission: EffectivePermission | null;
}

function authorize(deps: ProxyAuthorizationDeps, authentication: Authentication, permission: EffectivePermission, facts: Facts): ForwardPlan {
  const { secondary } = facts;
  try {
    const result = decide({
      authentication,
      subject: deniedSubject(authentication),
      permission,
      secondaryPermission: facts.secondaryPermission,
      secondarySubject: secondary === null ? null : deniedSubject(secondary),
      classification: facts.classification,
      method: facts.method,
      path: facts.path,
      now: deps.clock.now(),
      continuations: deps.continuations,
    });
    // The upstream executes exactly what was authorized.
    return {
      method: facts.method,
      url: urlOf(result.path, facts.body.rawQuery),
      body: facts.body.forward,
      continuation: continuationOf(facts.classification, facts.path.query),
    };
  } catch (err) {
    throw err instanceof EsError && err.status === 403 ? deps.authorizer.deny(authentication, err, facts.action) : err;
  }
}

const ID_FIELDS: Readonly<Record<ContinuationKind, ReadonlySet<string>>> = {
  scroll: new Set(['_scroll_id']),
  pit: new Set(['pit_id', 'id']),
  async_search: new Set(['id']),
};

/** For upstream.ts: the pass-through that records the continuation id of this request's answer. */
export function continuationTap(registry: ContinuationRegistry) {
  return (request: FastifyRequest) => {
    const kind = request.forwardPlan?.continuation ?? null;
    const authentication = request.authentication;
    if (kind === null || authentication === null) return null;
    // The chunk carrying the id is held until its binding is durable: the client may present the id to another instance at once.
    return continuationTapStream(ID_FIELDS[kind], (id) => registry.record(kind, id, authentication));
  };
}
