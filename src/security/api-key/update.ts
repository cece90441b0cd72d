// PUT /_security/api_key/{id} and POST /_security/api_key/_bulk_update: the owner's own keys only.
import type { FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { EsError } from '../../errors/es-error.js';
import { validationFailed } from '../../errors/request.js';
import { parseApiKeyFields } from '../../services/api-key-validation.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';
import { optionalObjectBody, requireObjectBody, stringArrayField } from '../body.js';
import { API_KEY_ACTIONS, keyScope } from './access.js';

export interface UpdateDeps {
  readonly apiKeys: Pick<ApiKeyService, 'update'>;
  readonly authorizer: Authorizer;
}

const FIELDS = ['role_descriptors', 'metadata', 'expiration'];

export async function updateApiKey(deps: UpdateDeps, request: FastifyRequest) {
  const authentication = request.authentication as Authentication;
  const { id } = request.params as { id: string };
  const fields = parseApiKeyFields(optionalObjectBody(request.body), 'update_api_key_request', FIELDS);
  // Update is on own keys only, whatever the privilege; manage_own_api_key suffices.
  await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.update, true);
  return { updated: await deps.apiKeys.update(authentication, id, fields) };
}

export async function bulkUpdateApiKeys(deps: UpdateDeps, request: FastifyRequest) {
  const authentication = request.authentication as Authentication;
  const body = requireObjectBody(request.body);
  const request_ = 'bulk_update_api_key_request';
  const ids = stringArrayField(body, 'ids', request_);
  const { ids: _ids, ...rest } = body;
  const fields = parseApiKeyFields(rest, request_, FIELDS);
  if (ids === undefined || ids.length === 0) throw validationFailed(['Field [ids] cannot be empty']);
  await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.bulkUpdate, true);
  const updated: string[] = [];
  const noops: string[] = [];
  const details: Record<string, unknown> = {};
  for (const id of [...new Set(ids)]) {
    try {
      if (await deps.apiKeys.update(authentication, id, fields)) updated.push(id);
      else noops.push(id);
    } catch (err) {
      if (!(err instanceof EsError) || err.status >= 500) throw err;
      // The API-key-caller refusal concerns the whole request, not one id.
      if (authentication.type === 'api_key') throw err;
      details[id] = { type: err.type, reason: err.reason };
    }
  }
  const count = Object.keys(details).length;
  return { updated, noops, ...(count > 0 ? { errors: { count, details } } : {}) };
}
