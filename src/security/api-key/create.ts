// POST|PUT /_security/api_key: a key owned by the caller. manage_own_api_key may create too.
import type { FastifyRequest } from 'fastify';
import { illegalArgument } from '../../errors/request.js';
import { parseNewApiKey } from '../../services/api-key-validation.js';
import type { ApiKeyService, CreatedApiKey } from '../../services/api-key-service.js';
import type { Authorizer } from '../../authz/authorizer.js';
import type { Authentication } from '../../services/authentication.js';
import { requireObjectBody } from '../body.js';
import { API_KEY_ACTIONS, keyScope } from './access.js';
import { stringParam, type QueryString } from './params.js';

export interface CreateDeps {
  readonly apiKeys: Pick<ApiKeyService, 'create'>;
  readonly authorizer: Authorizer;
}

/** `refresh` is accepted like Elasticsearch's (every write here is visible at once). */
export function checkRefresh(query: QueryString): void {
  const refresh = stringParam(query, 'refresh');
  if (refresh !== undefined && !['true', 'false', 'wait_for'].includes(refresh)) {
    throw illegalArgument(`Unknown value for refresh: [${refresh}].`);
  }
}

export async function createApiKey(deps: CreateDeps, request: FastifyRequest): Promise<CreatedApiKey> {
  const authentication = request.authentication as Authentication;
  checkRefresh(request.query as QueryString);
  const fields = parseNewApiKey(requireObjectBody(request.body), 'api_key_request');
  await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.create, true);
  return deps.apiKeys.create(authentication, fields);
}
