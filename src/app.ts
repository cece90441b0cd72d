// buildApp(ctx): the Fastify instance with its plugins in the order of a request's path.
// No logic lives here, and it never listens (server.ts does).
import type { Server as TlsServer } from 'node:tls';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { authenticationHook, declareAuthentication } from './authc/hook.js';
import { continuationTap, declareProxyAuthorization, proxyPreHandler } from './authz/hook.js';
import type { AppContext } from './context.js';
import { errorHandling, frameworkErrors } from './http/error-handler.js';
import { clientAddressHook, clientAddressResolver } from './http/client-address.js';
import { requestLogHook } from './http/logging.js';
import { consoleRoutes } from './ops/console.js';
import { eceLoginRoutes } from './ops/ece-login.js';
import { clientCertificateHook, refuseUnverifiedClientCertificates, serverTlsOptions } from './http/tls.js';
import { auditHook, markGranted } from './ops/audit-hook.js';
import { healthRoutes } from './ops/health.js';
import { metricsHook, metricsRoute, timeAuthentication } from './ops/metrics-hooks.js';
import { upstreamProxy } from './proxy/upstream.js';
import { xpackRoutes } from './proxy/xpack.js';
import { securityApi } from './security/index.js';
import { apiKeyExpirationHeader } from './security/api-key/expiration-header.js';

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const ssl = ctx.config.http.ssl;
  // An https.Server is an http.Server to every plugin; only server.ts reloads its certificates.
  const tls = ssl.enabled ? ({ https: serverTlsOptions(ssl) } as object) : {};
  const app = Fastify({
    ...tls,
    loggerInstance: ctx.logger,
    // One summary line per request instead of Fastify's two (http/logging.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.http.max_content_length,
    // X-Forwarded-* trust is decided per request in proxy/forwarded.ts, from http.trusted_proxies.
    trustProxy: false,
    return503OnClosing: true,
    // Elasticsearch ignores a trailing slash (GET /_security/_authenticate/); a bad URL gets its error shape.
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
    forceCloseConnections: 'idle',
  });

  // 1. root: request shape, the one error handler, the request log line.
  if (ssl.enabled) refuseUnverifiedClientCertificates(app.server as unknown as TlsServer, ssl);
  clientCertificateHook(app, ssl);
  declareAuthentication(app);
  declareProxyAuthorization(app);
  errorHandling(app, { bodyLimit: ctx.config.http.max_content_length });
  clientAddressHook(app, clientAddressResolver(ctx.config.http.trusted_proxies));
  requestLogHook(app);
  auditHook(app, ctx.audit);
  metricsHook(app, ctx.metrics);

  // 2. public scope.
  await app.register(healthRoutes, { config: ctx.config, store: ctx.store });
  // The console's static files: public, since the page signs in through the security APIs.
  await app.register(consoleRoutes, { config: ctx.config });
  // The ECE login checks the password itself; its JWT's public keys are for anyone to verify with.
  await app.register(eceLoginRoutes, { config: ctx.config, realm: ctx.realm, jwt: ctx.jwt });

  // 3. authenticated scope: authentication, then esgate's own APIs and the upstream proxy.
  await app.register(async (authenticated) => {
    authenticationHook(authenticated, ctx.chain, ctx.runAs);
    timeAuthentication(authenticated, ctx.metrics);
    await authenticated.register(metricsRoute, { metrics: ctx.metrics, authorizer: ctx.authorizer });
    apiKeyExpirationHeader(authenticated, ctx.apiKeys);
    await authenticated.register(securityApi, ctx);
    await authenticated.register(xpackRoutes, { config: ctx.config, authorizer: ctx.authorizer, store: ctx.store });
    await authenticated.register(upstreamProxy, {
      config: ctx.config,
      preHandler: markGranted(
        proxyPreHandler({
          authorizer: ctx.authorizer,
          continuations: ctx.continuations,
          clock: ctx.clock,
          maxBodyBytes: ctx.config.http.max_content_length,
        }),
      ),
      responseTap: continuationTap(ctx.continuations),
    });
  });

  return app;
}
