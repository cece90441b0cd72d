// Everything esgate does not answer itself goes upstream through @fastify/http-proxy:
// bodies streamed both ways, keep-alive pool, credentials stripped, faults mapped to 502/504.
import httpProxy from '@fastify/http-proxy';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Readable, type Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { illegalArgument, noHandlerFound } from '../errors/request.js';
import { forwardedHeaders, trustPeer } from './forwarded.js';
import { announcesBody, getBodyAllowed } from './get-body.js';
import { isUnforwardablePath } from './path-guard.js';
import { setBodyHeaders, rewriteRequestHeaders, upstreamHeaderPolicy } from './request-headers.js';
import { publicUpstreamUrl, upstreamError, upstreamRejectedCredentials } from './upstream-errors.js';
import { upstreamTlsOptions } from './upstream-tls.js';

type ProxiedRequest = Pick<FastifyRequest, 'authentication' | 'forwardPlan'> & { readonly socket: Socket; readonly headers: IncomingHttpHeaders };

/**
 * The base URL http-proxy joins request paths onto: a path prefix (http://host:9200/es) must end in
 * a slash, or every path but / is refused (reply-from: "source/request contain invalid characters").
 */
export function proxyBase(upstreamUrl: string): string {
  const url = new URL(upstreamUrl);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.pathname === '/' ? url.origin : url.href;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface UpstreamProxyOptions {
  readonly config: Config;
  /** Runs before anything is forwarded (authorization of the request, authz/hook.ts). */
  readonly preHandler?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  // The preHandler answers request.forwardPlan; this proxy alone carries it out (executePlan).
  /** A pass-through the upstream's answer is piped into (authz records continuation ids), or null. */
  readonly responseTap?: (request: FastifyRequest) => Transform | null;
}

/**
 * Carries out the authorization's ForwardPlan: the method and URL that were authorized, and the
 * body: the canonical bytes esgate parsed, or the client's stream untouched.
 */
function executePlan(request: FastifyRequest): void {
  const plan = request.forwardPlan;
  if (plan === null) return;
  const raw = request.raw;
  raw.url = plan.url;
  if (plan.body.kind === 'canonical') {
    request.body = plan.body.bytes.length === 0 ? Readable.from([]) : Readable.from([plan.body.bytes]);
  } else if (plan.method !== raw.method && (request.body === undefined || request.body === null)) {
    // A GET body (which Fastify leaves unread) streams as the POST's body.
    request.body = raw;
  }
  raw.method = plan.method;
  // The id is read from the answer's first bytes: ask the upstream for an uncompressed one.
  if (plan.continuation !== null) delete raw.headers['accept-encoding'];
}

/** Headers of the upstream's answer that describe its body, dropped when esgate answers instead. */
const BODY_HEADERS = ['content-length', 'content-encoding', 'transfer-encoding', 'content-type', 'www-authenticate'];

export async function upstreamProxy(app: FastifyInstance, options: UpstreamProxyOptions): Promise<void> {
  const { upstream, http } = options.config;
  const policy = upstreamHeaderPolicy(upstream);
  const trusted = trustPeer(http.trusted_proxies);
  const upstreamUrl = upstream.url;
  // Error reasons name the upstream; a password written into upstream.url must not go with it.
  const shownUrl = publicUpstreamUrl(upstreamUrl);

  const rewrite = (request: ProxiedRequest, headers: IncomingHttpHeaders) =>
    setBodyHeaders(rewriteRequestHeaders(
      headers,
      policy,
      request.authentication?.user.username ?? null,
      forwardedHeaders(
        {
          peer: request.socket.remoteAddress ?? '',
          protocol: (request.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http',
          host: request.headers.host,
          forwardedFor: single(request.headers['x-forwarded-for']),
          forwardedProto: single(request.headers['x-forwarded-proto']),
          forwardedHost: single(request.headers['x-forwarded-host']),
          forwarded: single(request.headers['forwarded']),
        },
        trusted,
      ),
    ), request.forwardPlan, request.headers);

  // Runs after authentication (the parent scope's hook) and before the body is read.
  app.addHook('onRequest', async (request) => {
    const queryAt = request.url.indexOf('?');
    const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    if (isUnforwardablePath(path)) throw noHandlerFound(request.url, request.method);
    // Elasticsearch's RestController wording; a GET body elsewhere would go upstream as a write.
    if (request.method === 'GET' && announcesBody(request.headers) && !getBodyAllowed(path)) {
      throw illegalArgument(`request [GET ${path}] does not support having a body`);
    }
    // A CORS preflight goes upstream unauthenticated: it carries nothing for the cluster to read.
    if (request.method === 'OPTIONS' && announcesBody(request.headers)) {
      throw illegalArgument(`request [OPTIONS ${path}] does not support having a body`);
    }
  });

  await app.register(httpProxy, {
    upstream: proxyBase(upstreamUrl),
    prefix: '/',
    http2: false,
    undici: {
      connections: upstream.connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: upstream.timeout,
      // A long-running streamed response (a big scroll, a slow _bulk) may pause between chunks.
      bodyTimeout: upstream.timeout,
      connect: { timeout: upstream.connect_timeout, ...upstreamTlsOptions(upstream) },
    },
    replyOptions: {
      rewriteRequestHeaders: rewrite,
      // reply-from silently retries a GET answered 503 up to 10 times; a transparent proxy must not:
      // the client (and its own retry policy) sees what the cluster answered.
      retryDelay: () => null,
      onError: (reply, { error }) => {
        reply.send(upstreamError(error, shownUrl));
      },
      onResponse: (request, reply, res) => {
        (request as FastifyRequest).upstreamStatus = res.statusCode;
        // The cluster behind esgate rejected esgate's own credentials (upstream.auth): the client's
        // credentials were fine, so this is a gateway fault, not a 401 for the client to retry.
        if (res.statusCode === 401) {
          res.stream.destroy();
          for (const name of BODY_HEADERS) reply.removeHeader(name);
          reply.send(upstreamRejectedCredentials(shownUrl));
          return;
        }
        const tap = res.statusCode < 300 ? options.responseTap?.(request as FastifyRequest) : null;
        reply.send(tap ? res.stream.pipe(tap) : res.stream);
      },
    },
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      if (options.preHandler !== undefined) await options.preHandler(request, reply);
      executePlan(request);
    },
    config: { proxied: true },
    // reply-from's own two lines per request; http/logging.ts writes the one summary line.
    disableRequestLogging: true,
  });
}
