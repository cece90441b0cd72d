// The one place errors become responses: EsError/OAuth2Error bodies, their headers, the product
// header. Unknown errors become a generic 500 whose cause is logged, never sent.
import type { FastifyError, FastifyInstance } from 'fastify';
import { toEsError } from '../errors/from-unknown.js';
import { noHandlerFound } from '../errors/request.js';
import { markEsgateResponse } from './product-header.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The reason of an error answer, for the request's log line. */
    errorReason: string | null;
  }
}

export function errorHandling(app: FastifyInstance, options: { bodyLimit: number }): void {
  app.decorateRequest('errorReason', null);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rendered = toEsError(error, { contentType: request.headers['content-type'] ?? '', bodyLimit: options.bodyLimit });
    if (rendered.status >= 500) request.log.error({ err: error }, 'request failed');
    request.errorReason = 'reason' in rendered ? rendered.reason : rendered.message;
    if ('headers' in rendered && rendered.headers) {
      for (const [name, value] of Object.entries(rendered.headers)) reply.header(name, value);
    }
    return markEsgateResponse(request, reply).code(rendered.status).send(JSON.stringify(rendered.toBody()));
  });
  app.setNotFoundHandler((request, reply) => {
    const rendered = noHandlerFound(request.url, request.method);
    request.errorReason = rendered.message;
    return markEsgateResponse(request, reply).code(rendered.status).send(JSON.stringify(rendered.toBody()));
  });
}
