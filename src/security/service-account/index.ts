// Service account APIs: the built-in accounts and their tokens (Elasticsearch's
// Rest{GetServiceAccount,GetServiceAccountCredentials,CreateServiceAccountToken,
// DeleteServiceAccountToken,ClearServiceAccountTokenStoreCache}Action).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderRoleDescriptor } from '../../services/role-descriptor.js';
import type { Authentication } from '../../services/authentication.js';
import { SERVICE_ACCOUNTS } from '../../services/service-accounts.js';
import type { ServiceTokenService } from '../../services/service-token-service.js';
import { namesParam } from '../body.js';
import { nodesAnswer, type NodeIdentity } from '../nodes.js';

interface AccountParams {
  namespace?: string;
  service?: string;
  name?: string;
}

const ACTIONS = {
  get: 'cluster:admin/xpack/security/service_account/get',
  credentials: 'cluster:admin/xpack/security/service_account/credential/get',
  create: 'cluster:admin/xpack/security/service_account/token/create',
  delete: 'cluster:admin/xpack/security/service_account/token/delete',
  clearCache: 'cluster:admin/xpack/security/cache/clear',
} as const;

const BASE = '/_security/service/:namespace/:service';
const accountOf = (request: FastifyRequest) => {
  const { namespace, service } = request.params as AccountParams;
  return `${namespace ?? ''}/${service ?? ''}`;
};

export async function serviceAccountRoutes(app: FastifyInstance, options: { serviceTokens: ServiceTokenService; node: NodeIdentity }): Promise<void> {
  const { serviceTokens, node } = options;

  const getAccounts = async (request: FastifyRequest) => {
    const { namespace, service } = request.params as AccountParams;
    const out: Record<string, unknown> = {};
    for (const [principal, account] of SERVICE_ACCOUNTS) {
      const [ns, name] = principal.split('/');
      if ((namespace === undefined || namespace === ns) && (service === undefined || service === name)) {
        out[principal] = { role_descriptor: renderRoleDescriptor(account.roleDescriptor) };
      }
    }
    return out;
  };
  const getConfig = { config: { action: ACTIONS.get } };
  app.get('/_security/service', getConfig, getAccounts);
  app.get('/_security/service/:namespace', getConfig, getAccounts);
  app.get(BASE, getConfig, getAccounts);

  app.get(`${BASE}/credential`, { config: { action: ACTIONS.credentials } }, async (request) => {
    const accountId = accountOf(request);
    const names = await serviceTokens.tokenNames(accountId);
    return {
      service_account: accountId,
      count: names.length,
      tokens: Object.fromEntries(names.map((name) => [name, {}])),
      // esgate has no file-backed service tokens (Elasticsearch's service_tokens file).
      nodes_credentials: { _nodes: { total: 1, successful: 1, failed: 0 }, file_tokens: {} },
    };
  });

  const create = async (request: FastifyRequest) => {
    const authentication = request.authentication as Authentication;
    const creator = authentication.authenticatingUser ?? authentication.user;
    const token = await serviceTokens.create(accountOf(request), (request.params as AccountParams).name, {
      principal: creator.username,
      realm: authentication.authenticationRealm.name,
    });
    return { created: true, token };
  };
  const createConfig = { config: { action: ACTIONS.create } };
  for (const url of [`${BASE}/credential/token`, `${BASE}/credential/token/:name`]) {
    app.post(url, createConfig, create);
    app.put(url, createConfig, create);
  }

  app.delete(`${BASE}/credential/token/:name`, { config: { action: ACTIONS.delete } }, async (request, reply: FastifyReply) => {
    const found = await serviceTokens.delete(accountOf(request), (request.params as AccountParams).name ?? '');
    if (!found) reply.code(404);
    return { found };
  });

  app.post(`${BASE}/credential/token/:name/_clear_cache`, { config: { action: ACTIONS.clearCache } }, async (request) => {
    const raw = namesParam((request.params as AccountParams).name);
    // `*` clears every token of the account (Elasticsearch's wildcard case).
    serviceTokens.clearCache(accountOf(request), raw.includes('*') ? [] : raw);
    return nodesAnswer(node);
  });
}
