// preHandler of the proxied route: what goes upstream is decided here, after authentication and
// before a byte of the body is forwarded. Path → canonical form → classification (reading the body
// only where targets live in it) → run-as → decision → the canonical (or narrowed) path is what
// goes upstream. Also records which identity received a scroll, PIT or async-search id.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EsError } from '../errors/es-error.js';
import { contentTooLong, illegalArgument } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { Authentication } from '../services/authentication.js';
import { deniedSubject, type Authorizer } from './authorizer.js';
import { classifyRequest, needsBody, type Classification } from './classify.js';
import type { ContinuationKind, ContinuationRegistry } from './continuations.js';
import { decide } from './decide.js';
import type { EffectivePermission } from './permission.js';
import { matchEndpoint, type EndpointMatch } from './endpoints.js';
import { normalizePath } from './path.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Which continuation id the upstream's answer will carry for this identity, if any. */
    continuationToRecord: ContinuationKind | null;
  }
}

/** Declared once at the root, so every request has the same shape. */
export function declareProxyAuthorization(app: FastifyInstance): void {
  app.decorateRequest('continuationToRecord', null);
}

export interface ProxyAuthorizationDeps {
  readonly authorizer: Authorizer;
  readonly continuations: ContinuationRegistry;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
}

function announcesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Elasticsearch reads bodies of GET requests (`GET /_search` with a query). Fastify does not parse
 * them and reply-from refuses to send them, so such requests go upstream as POST (proxy/get-body.ts
 * admits only the read APIs whose POST form is the same read); the body streams through untouched.
 */
function carryGetBody(request: FastifyRequest): void {
  if (!announcesBody(request)) return;
  if (request.method === 'HEAD') throw illegalArgument(`request [HEAD ${request.url}] does not support having a body`);
  if (request.method === 'GET') {
    request.raw.method = 'POST';
    request.body = request.raw;
  }
}

/**
 * Reads the whole body, up to `limit` bytes. Above it: 413, and the rest is never read. The stream
 * is the client's socket: destroying it would reset the connection before the 413 goes out (a
 * for-await loop left early destroys it too), so it is only paused and the answer closes the
 * connection.
 */
function readBounded(stream: Readable, limit: number, reply: FastifyReply): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > limit) {
        cleanup();
        stream.pause();
        reply.header('connection', 'close');
        reject(contentTooLong(limit));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
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

interface CachedDecision {
  readonly action: string;
  /** The canonical or narrowed URL the upstream receives. */
  readonly url: string;
  readonly continuation: ContinuationKind | null;
}

const CACHEABLE_TARGETS: ReadonlySet<string> = new Set(['none', 'indices', 'any_index']);
const MAX_CACHED_DECISIONS = 10_000;
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
 * A search-like request on explicit indices reads its body only for the other indices a query may
 * read (terms lookups and the like). For an identity that may read every index, restricted ones
 * included, those need no check: the body streams through unread.
 */
function bodyOnlyNamesReads(match: EndpointMatch | null, permission: EffectivePermission): boolean {
  if (match === null || match.params['index'] === undefined) return false;
  const { targets } = match.endpoint;
  return (targets === 'path:index' || targets === 'search') && permission.hasIndexPrivilege('*', 'read', true);
}

export function proxyPreHandler(deps: ProxyAuthorizationDeps) {
  return async function authorizeProxied(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.continuationToRecord = null;
    const authentication = request.authentication;
    // CORS preflight passes unauthenticated, as in Elasticsearch.
    if (authentication === null) return;
    carryGetBody(request);
    const method = request.raw.method ?? request.method;
    const path = normalizePath(request.url);

    const permission = await deps.authorizer.permission(authentication);
    const cacheKey = cacheable(request) ? `${method} ${request.url}` : null;
    const cached = cacheKey === null ? undefined : decisionCache(permission).get(cacheKey);
    if (cached !== undefined) {
      request.authzAction = cached.action;
      await deps.authorizer.authorizeRunAs(authentication, cached.action);
      request.raw.url = cached.url;
      request.continuationToRecord = cached.continuation;
      if (cached.continuation !== null) delete request.raw.headers['accept-encoding'];
      return;
    }
    // A _bulk from an identity that may write to every index (restricted ones included) needs no
    // per-item check: it streams through without being buffered, whatever its size.
    const match = matchEndpoint(method, path.segments);
    if (match?.endpoint.targets === 'body:bulk' && permission.hasIndexPrivilege('*', 'write', true)) {
      request.authzAction = BULK_ACTION;
      await deps.authorizer.authorizeRunAs(authentication, BULK_ACTION);
      request.raw.url = path.rawQuery === '' ? path.path : `${path.path}?${path.rawQuery}`;
      return;
    }
    let body: Buffer | undefined;
    if (announcesBody(request) && needsBody(method, path) && !bodyOnlyNamesReads(match, permission)) {
      if (request.body instanceof Readable) {
        body = await readBounded(request.body, deps.maxBodyBytes, reply);
        request.body = Readable.from([body]);
      } else if (typeof request.body === 'string') {
        // A content type Fastify parsed as text (text/plain): classified as received, so it is
        // refused (406) like Elasticsearch does rather than forwarded unread.
        body = Buffer.from(request.body, 'utf8');
      } else if (request.body !== undefined && request.body !== null) {
        throw illegalArgument('request body cannot be read to find its targets');
      }
    }
    const classification = classifyRequest({
      method,
      path,
      body,
      contentType: request.headers['content-type'],
      contentEncoding: request.headers['content-encoding'],
      maxBodyBytes: deps.maxBodyBytes,
    });
    const action = classification.action ?? `${method} ${path.path}`;
    request.authzAction = action;
    await deps.authorizer.authorizeRunAs(authentication, action);
    const secondary = request.secondaryAuthentication;
    try {
      const result = decide({
        authentication,
        subject: deniedSubject(authentication),
        permission,
        secondaryPermission: secondary === null ? null : await deps.authorizer.permission(secondary),
        secondarySubject: secondary === null ? null : deniedSubject(secondary),
        classification,
        method,
        path,
        now: deps.clock.now(),
        continuations: deps.continuations,
      });
      // The upstream executes exactly what was authorized.
      request.raw.url = path.rawQuery === '' ? result.path : `${result.path}?${path.rawQuery}`;
    } catch (err) {
      throw err instanceof EsError && err.status === 403 ? deps.authorizer.deny(authentication, err, action) : err;
    }
    request.continuationToRecord = continuationOf(classification, path.query);
    // Only decisions that depend on nothing but the request line are remembered.
    if (cacheKey !== null && body === undefined && classification.lookups.length === 0 && CACHEABLE_TARGETS.has(classification.targets.kind)) {
      remember(permission, cacheKey, { action, url: request.raw.url ?? path.path, continuation: request.continuationToRecord });
    }
    // The id is read from the answer's first bytes: ask the upstream for an uncompressed one.
    if (request.continuationToRecord !== null) delete request.raw.headers['accept-encoding'];
  };
}

/** For upstream.ts: the pass-through that records the continuation id of this request's answer. */
export function continuationTap(registry: ContinuationRegistry) {
  return (request: FastifyRequest): Transform | null => {
    const kind = request.continuationToRecord;
    const authentication = request.authentication;
    return kind === null || authentication === null ? null : continuationRecorder(registry, kind, authentication);
  };
}

const SNIFF_BYTES = 64 * 1024;
const ID_FIELDS: Readonly<Record<ContinuationKind, RegExp>> = {
  scroll: /"_scroll_id"\s*:\s*"([^"]+)"/g,
  pit: /"(?:pit_)?id"\s*:\s*"([^"]+)"/g,
  async_search: /"id"\s*:\s*"([^"]+)"/g,
};

/** Nesting depth of JSON objects and arrays at `end` (strings skipped; -1 inside a string), to take only top-level keys. */
function depthAt(text: string, end: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < end; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return inString ? -1 : depth;
}

/** The id of a top-level field of the answer, never one quoted inside a document or a nested object. */
function topLevelId(kind: ContinuationKind, head: string): string | undefined {
  const pattern = new RegExp(ID_FIELDS[kind].source, 'g');
  for (let match = pattern.exec(head); match !== null; match = pattern.exec(head)) {
    if (depthAt(head, match.index) === 1) return match[1];
  }
  return undefined;
}

/**
 * Passes the upstream's answer through untouched while reading its first bytes for the id
 * Elasticsearch puts first (`_scroll_id`, `id`, `pit_id`), bound to the request's identity.
 */
export function continuationRecorder(
  registry: ContinuationRegistry,
  kind: ContinuationKind,
  authentication: Authentication,
): Transform {
  let head = '';
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (!done) {
        head += chunk.toString('utf8');
        const id = topLevelId(kind, head);
        if (id !== undefined) {
          registry.record(kind, id, authentication);
          done = true;
        } else if (head.length > SNIFF_BYTES) {
          done = true;
        }
      }
      callback(null, chunk);
    },
  });
}
