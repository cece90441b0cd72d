// esgate's own Elasticsearch security APIs under /_security. The namespace is esgate's alone:
// a path or method it does not implement is answered like Elasticsearch answers one, never proxied.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unsupportedContentType } from '../errors/request.js';
import { productHeaderHook } from '../http/product-header.js';
import { authenticateRoutes } from './authenticate.js';
import { RouteTable } from './route-table.js';
import { tokenRoutes, type TokenRoutesDeps } from './token/index.js';

/** What the security APIs need from the app context (AppContext satisfies it). */
export type SecurityApiDeps = TokenRoutesDeps;

const CATCH_ALL = ['/_security', '/_security/*'];

export async function securityApi(app: FastifyInstance, deps: SecurityApiDeps): Promise<void> {
  productHeaderHook(app);

  // Elasticsearch reads JSON bodies (and its vendor type); anything else is 406, as it answers.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(/^application\/vnd\.elasticsearch\+json/, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(unsupportedContentType(request.headers['content-type'] ?? ''), undefined);
  });

  const routes = new RouteTable();
  app.addHook('onRoute', (route) => {
    if (!CATCH_ALL.includes(route.url)) routes.add(route.method, route.url);
  });

  await app.register(authenticateRoutes);
  await app.register(tokenRoutes, deps);

  // Answered in the route's onRequest (after authentication, before the body is read), because
  // Elasticsearch routes before it parses: an unknown path with a bad or huge body is still "no handler".
  const unhandled = async (request: FastifyRequest): Promise<void> => {
    throw routes.unhandled(request);
  };
  for (const url of CATCH_ALL) {
    app.all(url, { onRequest: unhandled }, async () => undefined);
  }
}
