// The cache-clearing APIs of roles, realms and API keys (Rest{ClearRolesCache,ClearRealmCache,
// ClearApiKeyCache}Action): each really drops esgate's cached entries and answers `_nodes`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer } from '../authz/authorizer.js';
import type { CredentialCache } from '../cache/credential-cache.js';
import type { ApiKeyService } from '../services/api-key-service.js';
import type { Authentication } from '../services/authentication.js';
import { namesParam } from './body.js';
import { nodesAnswer, type NodeIdentity } from './nodes.js';

export interface CacheClearDeps {
  readonly authorizer: Authorizer;
  readonly credentialCache: CredentialCache<Authentication>;
  readonly apiKeys: Pick<ApiKeyService, 'clearCache'>;
  readonly node: NodeIdentity;
}

const param = (request: FastifyRequest, name: string) => namesParam((request.params as Record<string, string | undefined>)[name]);

export async function cacheClearRoutes(app: FastifyInstance, deps: CacheClearDeps): Promise<void> {
  app.post('/_security/role/:name/_clear_cache', { config: { action: 'cluster:admin/xpack/security/roles/cache/clear' } }, async () => {
    // Compiled permissions are esgate's role cache; they are rebuilt from the store on the next request.
    deps.authorizer.invalidate();
    return nodesAnswer(deps.node);
  });

  app.post('/_security/realm/:realms/_clear_cache', { config: { action: 'cluster:admin/xpack/security/realm/cache/clear' } }, async (request) => {
    const realms = param(request, 'realms');
    const usernames = namesParam((request.query as Record<string, string | undefined>)['usernames']);
    // esgate's realms (default_native, reserved) share one credential cache.
    const ours = realms.some((realm) => realm === '*' || realm === '_all' || realm === 'default_native' || realm === 'reserved');
    if (ours) {
      if (usernames.length === 0) deps.credentialCache.clear();
      else for (const username of usernames) deps.credentialCache.invalidateUser(username);
    }
    return nodesAnswer(deps.node);
  });

  app.post('/_security/api_key/:ids/_clear_cache', { config: { action: 'cluster:admin/xpack/security/cache/clear' } }, async (request) => {
    deps.apiKeys.clearCache(param(request, 'ids'));
    return nodesAnswer(deps.node);
  });
}
