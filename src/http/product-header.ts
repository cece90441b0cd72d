// Elasticsearch adds X-elastic-product to every response and the official clients refuse answers
// without it; esgate adds it to every response it writes itself (proxied ones keep the upstream's).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PRODUCT_HEADER = 'x-elastic-product';
const COMPATIBLE_JSON_8 = 'application/vnd.elasticsearch+json;compatible-with=8';
const COMPATIBLE_JSON_7 = 'application/vnd.elasticsearch+json;compatible-with=7';
const COMPATIBLE_WITH_7 = /compatible-with\s*=\s*"?7\b/;

/**
 * The JSON content type Elasticsearch would answer this request with: its vendor type when asked for,
 * echoing the requested compatibility version (8.x serves 7 and 8), else plain application/json.
 */
export function jsonContentType(request: FastifyRequest): string {
  const accept = request.headers.accept;
  if (accept === undefined || !accept.includes('application/vnd.elasticsearch+json')) return 'application/json';
  return COMPATIBLE_WITH_7.test(accept) ? COMPATIBLE_JSON_7 : COMPATIBLE_JSON_8;
}

export function markEsgateResponse(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.header(PRODUCT_HEADER, 'Elasticsearch').header('content-type', jsonContentType(request));
}

/** For scopes whose every route is esgate's own (security APIs, health). */
export function productHeaderHook(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader(PRODUCT_HEADER)) markEsgateResponse(request, reply);
    return payload;
  });
}
