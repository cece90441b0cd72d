// GET /_security/api_key: keys by id, name, owner; 404 with an empty list when an id matches nothing.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { validationFailed } from '../../errors/request.js';
import { ownerOf, type ApiKeyService } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';
import type { Clock } from '../../runtime/clock.js';
import { API_KEY_ACTIONS, keyScope, namesCaller, type KeyScope } from './access.js';
import { booleanParam, selectorQuery, stringParam, UNBOUNDED, type QueryString } from './params.js';
import { renderApiKey } from './render.js';

export interface GetDeps {
  readonly apiKeys: Pick<ApiKeyService, 'search'>;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
}

/** GetApiKeyRequest.validate, in its order. */
function problemsOf(id?: string, name?: string, username?: string, realmName?: string, owner?: boolean): string[] {
  const problems: string[] = [];
  if ((id !== undefined || name !== undefined) && (username !== undefined || realmName !== undefined)) {
    problems.push('username or realm name must not be specified when the api key id or api key name is specified');
  }
  if (owner && (username !== undefined || realmName !== undefined)) {
    problems.push('neither username nor realm-name may be specified when retrieving owned API keys');
  }
  if (id !== undefined && name !== undefined) problems.push('only one of [api key id, api key name] can be specified');
  return problems;
}

export async function getApiKeys(deps: GetDeps, request: FastifyRequest, reply: FastifyReply) {
  const authentication = request.authentication as Authentication;
  const query = request.query as QueryString;
  const id = stringParam(query, 'id');
  const name = stringParam(query, 'name');
  const username = stringParam(query, 'username');
  const realmName = stringParam(query, 'realm_name');
  const owner = booleanParam(query, 'owner');
  const activeOnly = booleanParam(query, 'active_only');
  const withLimitedBy = booleanParam(query, 'with_limited_by');
  booleanParam(query, 'with_profile_uid');
  const problems = problemsOf(id, name, username, realmName, owner);
  if (problems.length > 0) throw validationFailed(problems);

  let scope: KeyScope;
  const self = authentication.apiKey !== undefined && id === authentication.apiKey.id;
  if (self && !withLimitedBy) {
    // An API key may always read itself (Elasticsearch's same-user check), without limited_by.
    scope = { kind: 'all' };
  } else {
    // Only an API key needs more than manage_own_api_key to see limited_by (its own owner's roles).
    const ownAllowed = (owner || namesCaller(authentication, username, realmName)) && !(withLimitedBy && authentication.apiKey !== undefined);
    scope = await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.get, ownAllowed);
  }
  const selector = {
    ...(id === undefined ? {} : { ids: [id] }),
    ...(name === undefined ? {} : { name }),
    ...(username === undefined ? {} : { username }),
    ...(realmName === undefined ? {} : { realmName }),
    activeOnly,
  };
  // owner=true narrows even a manage_api_key caller to its own keys.
  const ownerScope: KeyScope = owner && scope.kind === 'all' ? { kind: 'own', owner: ownerOf(authentication) } : scope;
  const result = await deps.apiKeys.search({
    query: selectorQuery(selector, ownerScope, deps.clock.now()),
    sort: [{ field: 'creation', order: 'asc' }],
    from: 0,
    size: UNBOUNDED,
  });
  if (id !== undefined && result.hits.length === 0) reply.code(404);
  return { api_keys: result.hits.map((hit) => renderApiKey(hit.record, withLimitedBy)) };
}
