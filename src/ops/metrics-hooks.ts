// Fastify glue of the metrics: one onResponse hook that counts the request, the route
// GET /_esgate/metrics (cluster privilege `monitor`), and the optional unauthenticated listener
// on metrics.port. Also the store wrapper that times every store call.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../authc/credentials.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { Authentication } from '../services/authentication.js';
import type { Store } from '../store/types.js';
import { statusClass, type Metrics, type RequestOutcome } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when authorization allowed the request (upstream latency starts there). */
    authorizedAt: number;
  }
}

export const METRICS_ACTION = 'cluster:monitor/esgate/metrics';
const UPSTREAM_CODE = /\[([A-Z][A-Z0-9_]+)\]$/;

function outcomeOf(request: FastifyRequest, status: number): RequestOutcome {
  if (status === 429 && request.authentication === null) return 'throttled';
  if (status === 401 && request.authentication === null) return request.headers.authorization === undefined ? 'unauthenticated' : 'authentication_failed';
  if (request.authzGranted) return 'granted';
  if (request.authzAction !== null && (status === 403 || status === 401)) return 'denied';
  return 'other';
}

function credentialOf(request: FastifyRequest): string {
  if (request.authentication !== null) return request.authentication.scheme;
  const kind = parseAuthorization(request.headers.authorization).kind;
  return kind === 'basic-invalid' ? 'basic' : kind;
}

export function metricsHook(app: FastifyInstance, metrics: Metrics): void {
  app.decorateRequest('authorizedAt', 0);
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const outcome = outcomeOf(request, status);
    metrics.countRequest(outcome, credentialOf(request), statusClass(status));
    if (request.authentication === null && (status === 401 || status === 429)) metrics.authenticationSeconds.observe({ result: 'failure' }, reply.elapsedTime / 1000);
    if (outcome === 'granted') metrics.authorizations.inc({ result: 'granted' });
    else if (outcome === 'denied') metrics.authorizations.inc({ result: 'denied' });
    if (request.upstreamStatus !== null && request.authorizedAt > 0) {
      metrics.upstreamSeconds.observe({ status_class: statusClass(request.upstreamStatus) }, (performance.now() - request.authorizedAt) / 1000);
    } else if (status >= 502 && status <= 504 && request.authzGranted && request.errorReason !== null) {
      metrics.upstreamErrors.inc({ kind: UPSTREAM_CODE.exec(request.errorReason)?.[1] ?? 'UNKNOWN' });
    }
  });
}

/**
 * Times authentication from the request's arrival (reply.elapsedTime: routing and the root's
 * cheap hooks included) with one hook right after it; failures are timed when their answer goes.
 */
export function timeAuthentication(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.authentication !== null) metrics.authenticationSeconds.observe({ result: 'success' }, reply.elapsedTime / 1000);
  });
}

export async function metricsRoute(app: FastifyInstance, options: { metrics: Metrics; authorizer: Authorizer }): Promise<void> {
  app.get('/_esgate/metrics', async (request: FastifyRequest, reply: FastifyReply) => {
    request.authzAction = METRICS_ACTION;
    // `monitor` grants cluster:monitor/*; a scraper sends Basic or ApiKey credentials.
    await options.authorizer.authorizeCluster(request.authentication as Authentication, METRICS_ACTION);
    request.authzGranted = true;
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
}

/** metrics.port: the same text without authentication, for a scraper on a private network. */
export async function startMetricsListener(metrics: Metrics, host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/** The store, with every repository call timed (store query latency). */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const wrap = <T extends object>(repository: T, name: string): T =>
    new Proxy(repository, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = String(property);
        return (...args: unknown[]) => {
          const end = metrics.storeSeconds.startTimer({ repository: name, method });
          const result = (value as AsyncMethod).apply(target, args);
          return result instanceof Promise ? result.finally(end) : (end(), result);
        };
      },
    });
  return Object.assign(Object.create(Object.getPrototypeOf(store) as object) as Store, store, {
    users: wrap(store.users, 'users'),
    roles: wrap(store.roles, 'roles'),
    tokens: wrap(store.tokens, 'tokens'),
    apiKeys: wrap(store.apiKeys, 'api_keys'),
  });
}
