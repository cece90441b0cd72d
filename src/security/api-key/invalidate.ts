// DELETE /_security/api_key: invalidates by ids, name, owner; always 200, effective on the next request.
import type { FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { validationFailed } from '../../errors/request.js';
import { ownerOf, type ApiKeyService } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';
import { booleanField, optionalObjectBody, rejectUnknownFields, stringArrayField, stringField } from '../body.js';
import { API_KEY_ACTIONS, keyScope, namesCaller, type KeyScope } from './access.js';
import { selectorQuery, UNBOUNDED } from './params.js';
import type { Clock } from '../../runtime/clock.js';

export interface InvalidateDeps {
  readonly apiKeys: Pick<ApiKeyService, 'search' | 'invalidate'>;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
}

const REQUEST = 'invalidate_api_key_request';

/** InvalidateApiKeyRequest.validate (8.x), in its order and words. */
function problemsOf(ids: string[] | undefined, name?: string, username?: string, realmName?: string, owner?: boolean): string[] {
  const problems: string[] = [];
  if (ids !== undefined) {
    if (ids.length === 0) problems.push('Field [ids] cannot be an empty array');
    else {
      const blank = ids.map((id, i) => (id.trim() === '' ? i : -1)).filter((i) => i >= 0);
      if (blank.length > 0) {
        const one = blank.length === 1;
        problems.push(`Field [ids] must not contain blank id, but got blank ${one ? 'id' : 'ids'} at index ${one ? 'position' : 'positions'}: [${blank.join(', ')}]`);
      }
    }
  }
  if (!owner && ids === undefined && name === undefined && username === undefined && realmName === undefined) {
    problems.push('One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false');
  }
  if ((ids !== undefined || name !== undefined) && (username !== undefined || realmName !== undefined)) {
    problems.push('username or realm name must not be specified when the api key id(s) or api key name are specified');
  }
  if (owner && (username !== undefined || realmName !== undefined)) {
    problems.push('neither username nor realm-name may be specified when invalidating owned API keys');
  }
  if (ids !== undefined && name !== undefined) problems.push('only one of [api key id(s), api key name] can be specified');
  return problems;
}

export async function invalidateApiKeys(deps: InvalidateDeps, request: FastifyRequest) {
  const authentication = request.authentication as Authentication;
  const body = optionalObjectBody(request.body);
  rejectUnknownFields(body, ['ids', 'id', 'name', 'realm_name', 'username', 'owner'], REQUEST);
  const single = stringField(body, 'id', REQUEST);
  let ids = stringArrayField(body, 'ids', REQUEST);
  if (single !== undefined) {
    if (ids !== undefined) throw validationFailed(['Must use either [id] or [ids], not both at the same time']);
    ids = [single];
  }
  // Blank strings count as absent, as Elasticsearch coerces them to null.
  const text = (field: string) => {
    const value = stringField(body, field, REQUEST);
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const name = text('name');
  const username = text('username');
  const realmName = text('realm_name');
  const owner = booleanField(body, 'owner', REQUEST) ?? false;
  const problems = problemsOf(ids, name, username, realmName, owner);
  if (problems.length > 0) throw validationFailed(problems);

  // manage_own_api_key: owner=true, the caller's own username+realm, or an API key naming itself.
  const self = authentication.apiKey !== undefined && ids !== undefined && ids.length === 1 && ids[0] === authentication.apiKey.id;
  let scope: KeyScope = await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.invalidate, owner || self || namesCaller(authentication, username, realmName));
  if (owner && scope.kind === 'all') scope = { kind: 'own', owner: ownerOf(authentication) };
  const selector = {
    ...(ids === undefined ? {} : { ids }),
    ...(name === undefined ? {} : { name }),
    ...(username === undefined ? {} : { username }),
    ...(realmName === undefined ? {} : { realmName }),
  };
  const found = await deps.apiKeys.search({ query: selectorQuery(selector, scope, deps.clock.now()), sort: [], from: 0, size: UNBOUNDED });
  const result = await deps.apiKeys.invalidate(found.hits.map((hit) => hit.record));
  return {
    invalidated_api_keys: result.invalidated,
    previously_invalidated_api_keys: result.previouslyInvalidated,
    error_count: 0,
  };
}
