// preHandler of the proxied route: what goes upstream is decided here, after authentication and
// before a byte of the body is forwarded.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { illegalArgument } from '../errors/request.js';

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Elasticsearch reads bodies of GET requests (`GET /_search` with a query). Fastify does not parse
 * them and reply-from refuses to send them, so the body would be dropped and its bytes left on the
 * connection. Such requests go upstream as POST, which every Elasticsearch endpoint that reads a
 * GET body accepts alike; the body streams through untouched.
 */
function carryGetBody(request: FastifyRequest): void {
  if (!hasBody(request)) return;
  if (request.method === 'HEAD') throw illegalArgument(`request [HEAD ${request.url}] does not support having a body`);
  if (request.method === 'GET') {
    request.raw.method = 'POST';
    request.body = request.raw;
  }
}

export function proxyPreHandler() {
  return async function authorizeProxied(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    carryGetBody(request);
  };
}
