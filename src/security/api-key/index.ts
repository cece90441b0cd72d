// The API key routes: create, get, invalidate, update, bulk update, grant, query. Each declares its
// action; where manage_own_api_key may apply, the handler authorizes itself (access.ts).
import type { FastifyInstance } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { EsError, type HeaderValues } from '../../errors/es-error.js';
import type { Clock } from '../../runtime/clock.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import type { TokenService } from '../../services/token-service.js';
import type { UserService } from '../../services/user-service.js';
import type { Authentication } from '../../services/authentication.js';
import { createApiKey } from './create.js';
import { getApiKeys } from './get.js';
import { grantApiKey } from './grant.js';
import { invalidateApiKeys } from './invalidate.js';
import { queryApiKeys } from './query.js';
import { bulkUpdateApiKeys, updateApiKey } from './update.js';

export interface ApiKeyRoutesDeps {
  readonly apiKeys: ApiKeyService;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
  readonly realm: { authenticate(username: string, password: string, clientAddress: string): Promise<Authentication | null> };
  readonly tokens: Pick<TokenService, 'authenticate'>;
  readonly users: Pick<UserService, 'get'>;
  readonly chain: { readonly challenges: HeaderValues };
  readonly config: { readonly authc: { readonly api_key: { readonly enabled: boolean } } };
}

/** Elasticsearch's answer on every API key route when the service is disabled. */
function apiKeysNotEnabled(): EsError {
  return new EsError(400, 'feature_not_enabled_exception', 'api keys are not enabled', { metadata: { 'disabled.feature': 'api_keys' } });
}

/** The handler authorizes itself (own-key rules); see access.ts. */
/**
 * The handlers authorize these themselves (own keys vs all keys, access.ts). The security scope
 * still authorizes run-as for them under `selfAction`, before the handler runs.
 */
const self = (action: string) => ({ action: () => null, selfAction: `cluster:admin/xpack/security/api_key/${action}` });

export async function apiKeyRoutes(app: FastifyInstance, deps: ApiKeyRoutesDeps): Promise<void> {
  if (!deps.config.authc.api_key.enabled) {
    app.addHook('onRequest', async () => {
      throw apiKeysNotEnabled();
    });
  }
  const create = (request: Parameters<typeof createApiKey>[1]) => createApiKey(deps, request);
  app.post('/_security/api_key', { config: self('create') }, create);
  app.put('/_security/api_key', { config: self('create') }, create);
  app.get('/_security/api_key', { config: self('get') }, (request, reply) => getApiKeys(deps, request, reply));
  app.delete('/_security/api_key', { config: self('invalidate') }, (request) => invalidateApiKeys(deps, request));
  app.put('/_security/api_key/:id', { config: self('update') }, (request) => updateApiKey(deps, request));
  app.post('/_security/api_key/_bulk_update', { config: self('bulk_update') }, (request) => bulkUpdateApiKeys(deps, request));
  app.post('/_security/api_key/grant', { config: self('grant') }, (request) => grantApiKey(deps, request));
  const query = (request: Parameters<typeof queryApiKeys>[1]) => queryApiKeys(deps, request);
  app.get('/_security/_query/api_key', { config: self('query') }, query);
  app.post('/_security/_query/api_key', { config: self('query') }, query);
}
