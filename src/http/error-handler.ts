// The one place errors become responses: EsError/OAuth2Error bodies, their headers, the product
// header. Unknown errors become a generic 500 whose cause is logged, never sent.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toEsError, type RenderableError } from '../errors/from-unknown.js';
import { noHandlerFound } from '../errors/request.js';
import { isUpstreamFailure } from './logging.js';
import { markEsgateResponse } from './product-header.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The reason of an error answer, for the request's log line. */
    errorReason: string | null;
  }
}

/**
 * The rendered body as bytes: Fastify appends "; charset=utf-8" to a JSON content type sent with a
 * string, and Elasticsearch answers exactly `application/json` (or its compatible-with vendor type).
 */
function body(rendered: RenderableError): Buffer {
  return Buffer.from(JSON.stringify(rendered.toBody()), 'utf8');
}

function sendRendered(request: FastifyRequest, reply: FastifyReply, rendered: RenderableError): FastifyReply {
  request.errorReason = 'reason' in rendered ? rendered.reason : rendered.message;
  if ('headers' in rendered && rendered.headers) {
    for (const [name, value] of Object.entries(rendered.headers)) reply.header(name, value);
  }
  return markEsgateResponse(request, reply).code(rendered.status).send(body(rendered));
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed percent-encoding in
 * the URL) would otherwise get Fastify's own body, without the product header.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const rendered = toEsError(error, { contentType: request.headers['content-type'] ?? '', bodyLimit: 0 });
  if (rendered.status >= 500) request.log.error({ err: error }, 'request failed');
  sendRendered(request, reply, rendered);
}

export function errorHandling(app: FastifyInstance, options: { bodyLimit: number }): void {
  app.decorateRequest('errorReason', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // For the audit trail (run_as_denied vs access_denied); declared by ops/audit-hook.ts.
    request.answeredError = error;
    const rendered = toEsError(error, { contentType: request.headers['content-type'] ?? '', bodyLimit: options.bodyLimit });
    // An unreachable cluster is expected: the request's own line says it, without a stack.
    if (rendered.status >= 500 && !('type' in rendered && isUpstreamFailure(rendered.type))) request.log.error({ err: error }, 'request failed');
    return sendRendered(request, reply, rendered);
  });
  app.setNotFoundHandler((request, reply) => {
    return sendRendered(request, reply, noHandlerFound(request.url, request.method));
  });
}
