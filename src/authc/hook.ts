// onRequest: credentials → chain → request.authentication (+ request.secondaryAuthentication).
import type { FastifyInstance } from 'fastify';
import { secondaryAuthenticationFailed } from '../errors/authc.js';
import { EsError } from '../errors/es-error.js';
import type { Authentication } from '../services/authentication.js';
import type { AuthenticatorChain } from './chain.js';
import { RUN_AS_HEADER, type RunAs } from './run-as.js';

declare module 'fastify' {
  interface FastifyRequest {
    authentication: Authentication | null;
    secondaryAuthentication: Authentication | null;
  }
}

const PRIMARY = { allowAnonymous: true } as const;
const SECONDARY = { allowAnonymous: false } as const;

/** Declared once at the root, so every request has the same shape (Fastify Decorators.md). */
export function declareAuthentication(app: FastifyInstance): void {
  app.decorateRequest('authentication', null);
  app.decorateRequest('secondaryAuthentication', null);
}

export function authenticationHook(app: FastifyInstance, chain: AuthenticatorChain, runAs: RunAs): void {
  app.addHook('onRequest', async (request) => {
    // CORS preflight is not authenticated, as in Elasticsearch.
    if (request.method === 'OPTIONS') return;
    const primary = await chain.authenticate(request.headers.authorization, request.url, PRIMARY, request.clientAddress);
    const runAsHeader = request.headers[RUN_AS_HEADER];
    request.authentication = await runAs.apply(primary, typeof runAsHeader === 'string' ? runAsHeader : undefined, request.url);
    const secondary = request.headers['es-secondary-authorization'];
    if (typeof secondary === 'string' && secondary !== '') {
      try {
        request.secondaryAuthentication = await chain.authenticate(secondary, request.url, SECONDARY, request.clientAddress);
      } catch (err) {
        throw err instanceof EsError ? secondaryAuthenticationFailed(err) : err;
      }
    }
  });
}
