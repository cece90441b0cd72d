// Who may touch which API keys: manage_api_key (and manage_security, all; read_security for reads)
// covers every key; manage_own_api_key only the caller's own, under Elasticsearch's conditions
// (ManageOwnApiKeyClusterPrivilege); anything else is the cluster action's 403.
import { deniedSubject, type Authorizer } from '../../authz/authorizer.js';
import { privilegesGranting } from '../../authz/permission.js';
import { clusterActionDenied } from '../../errors/authz.js';
import { ownerOf, type ApiKeyOwner } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';

export const API_KEY_ACTIONS = {
  create: 'cluster:admin/xpack/security/api_key/create',
  get: 'cluster:admin/xpack/security/api_key/get',
  query: 'cluster:admin/xpack/security/api_key/query',
  invalidate: 'cluster:admin/xpack/security/api_key/invalidate',
  update: 'cluster:admin/xpack/security/api_key/update',
  bulkUpdate: 'cluster:admin/xpack/security/api_key/bulk_update',
  grant: 'cluster:admin/xpack/security/api_key/grant',
} as const;

/** All keys, or only those of one owner. */
export type KeyScope = { readonly kind: 'all' } | { readonly kind: 'own'; readonly owner: ApiKeyOwner };

const ALL: KeyScope = Object.freeze({ kind: 'all' });

export function denied(authentication: Authentication, action: string): Error {
  return clusterActionDenied(action, deniedSubject(authentication), privilegesGranting(action, 'cluster'));
}

/**
 * The scope the caller may act on: every key when its permission grants `action`; its own keys when
 * it has manage_own_api_key and `ownAllowed` (the request's own-key conditions) holds; else the 403.
 */
export async function keyScope(authorizer: Authorizer, authentication: Authentication, action: string, ownAllowed: boolean): Promise<KeyScope> {
  const permission = await authorizer.permission(authentication);
  if (permission.checkCluster(action)) return ALL;
  if (permission.manageOwnApiKey && ownAllowed) return { kind: 'own', owner: ownerOf(authentication) };
  throw denied(authentication, action);
}

/** Get/invalidate by username + realm_name is "own" only when both name the (non-API-key) caller. */
export function namesCaller(authentication: Authentication, username: string | undefined, realmName: string | undefined): boolean {
  if (authentication.apiKey !== undefined || username === undefined || realmName === undefined) return false;
  const owner = ownerOf(authentication);
  return username === owner.username && realmName === owner.realmName;
}
