// Elasticsearch adds X-elastic-product to every response and the official clients refuse answers
// without it; esgate adds it to every response it writes itself (proxied ones keep the upstream's).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PRODUCT_HEADER = 'x-elastic-product';
const COMPATIBLE_JSON = 'application/vnd.elasticsearch+json;compatible-with=8';

/** The JSON content type Elasticsearch would answer this request with. */
export function jsonContentType(request: FastifyRequest): string {
  const accept = request.headers.accept;
  return accept !== undefined && accept.includes('application/vnd.elasticsearch+json') ? COMPATIBLE_JSON : 'application/json';
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
