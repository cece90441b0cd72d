// GET /_security/_authenticate: who the request's credentials are, in Elasticsearch's field order.
import type { FastifyInstance } from 'fastify';
import type { Authentication } from '../services/authentication.js';

export function authenticateBody(authentication: Authentication): Record<string, unknown> {
  const { user } = authentication;
  const body: Record<string, unknown> = {
    username: user.username,
    roles: authentication.type === 'api_key' ? [] : user.roles,
    full_name: user.fullName,
    email: user.email,
    ...(authentication.serviceAccount === undefined
      ? {}
      : { token: { name: authentication.serviceAccount.tokenName, type: `_service_account_${authentication.serviceAccount.tokenSource}` } }),
    metadata: user.metadata,
    enabled: user.enabled,
    authentication_realm: authentication.authenticationRealm,
    lookup_realm: authentication.lookupRealm,
    authentication_type: authentication.type,
  };
  if (authentication.apiKey) {
    body['api_key'] =
      authentication.apiKey.name === null ? { id: authentication.apiKey.id } : { id: authentication.apiKey.id, name: authentication.apiKey.name };
  }
  return body;
}

export async function authenticateRoutes(app: FastifyInstance): Promise<void> {
  app.get('/_security/_authenticate', { config: { selfAction: 'cluster:admin/xpack/security/user/authenticate' } }, async (request) => {
    // The authentication hook guarantees it; OPTIONS never reaches a GET route.
    return authenticateBody(request.authentication as Authentication);
  });
}
