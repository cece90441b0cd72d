// POST /_security/api_key/grant: a key for another user, whose password or access token the caller
// presents (Elasticsearch's TransportGrantApiKeyAction); needs grant_api_key.
import type { FastifyRequest } from 'fastify';
import { deniedSubject, type Authorizer } from '../../authz/authorizer.js';
import { runAsDenied } from '../../errors/authz.js';
import { EsError, type HeaderValues } from '../../errors/es-error.js';
import { tokenExpired, unableToAuthenticateForAction, unsuccessfulCredentials } from '../../errors/authc.js';
import { parseNewApiKey } from '../../services/api-key-validation.js';
import type { ApiKeyService, CreatedApiKey } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';
import { realmOf } from '../../services/reserved-users.js';
import type { TokenService } from '../../services/token-service.js';
import type { UserService } from '../../services/user-service.js';
import { isJsonObject, rejectUnknownFields, requireObjectBody, stringField } from '../body.js';
import { API_KEY_ACTIONS } from './access.js';
import { checkRefresh } from './create.js';
import type { QueryString } from './params.js';

export interface GrantDeps {
  readonly apiKeys: Pick<ApiKeyService, 'create'>;
  readonly authorizer: Authorizer;
  readonly realm: { authenticate(username: string, password: string, clientAddress: string): Promise<Authentication | null> };
  readonly tokens: Pick<TokenService, 'authenticate'>;
  readonly users: Pick<UserService, 'get'>;
  readonly chain: { readonly challenges: HeaderValues };
}

const REQUEST = 'grant_api_key_request';


/** Grant.validate's messages, numbered after the key's own (also the profile activation's). */
export function grantProblems(type: string | undefined, username?: string, password?: string, accessToken?: string, clientAuthentication?: unknown): string[] {
  const problems: string[] = [];
  if (type === undefined) problems.push('[grant_type] is required');
  else if (type === 'password') {
    if (username === undefined) problems.push('[username] is required for grant_type [password]');
    if (password === undefined) problems.push('[password] is required for grant_type [password]');
    if (accessToken !== undefined) problems.push('[access_token] is not supported for grant_type [password]');
    if (clientAuthentication !== undefined) problems.push('[client_authentication] is not supported for grant_type [password]');
  } else if (type === 'access_token') {
    if (accessToken === undefined) problems.push('[access_token] is required for grant_type [access_token]');
    if (username !== undefined) problems.push('[username] is not supported for grant_type [access_token]');
    if (password !== undefined) problems.push('[password] is not supported for grant_type [access_token]');
  } else problems.push(`grant_type [${type}] is not supported`);
  return problems;
}

/** The user a grant's password or access token authenticates, or the 401 for `action`. */
export async function grantedUser(
  deps: Pick<GrantDeps, 'realm' | 'tokens' | 'chain'>,
  action: string,
  clientAddress: string,
  type: string,
  username?: string,
  password?: string,
  accessToken?: string,
): Promise<Authentication> {
  if (type === 'password') {
    const subject = await deps.realm.authenticate(username as string, password as string, clientAddress);
    if (subject === null) throw unableToAuthenticateForAction(username as string, action, deps.chain.challenges);
    return subject;
  }
  const check = await deps.tokens.authenticate(accessToken as string);
  if (check.status === 'valid') return check.authentication;
  if (check.status === 'expired') throw tokenExpired();
  throw unsuccessfulCredentials(['oauth2 token: invalid token'], deps.chain.challenges);
}

/** run_as: the granted user must be allowed to run as the target, who then owns the key. */
async function runAs(deps: GrantDeps, granted: Authentication, target: string): Promise<Authentication> {
  const permission = await deps.authorizer.permission(granted);
  const user = await deps.users.get(target);
  if (target === '' || !permission.checkRunAs(target) || user === null || !user.enabled) {
    throw runAsDenied(API_KEY_ACTIONS.grant, deniedSubject(granted), target);
  }
  return Object.freeze({
    user: Object.freeze({ username: user.username, roles: Object.freeze([...user.roles]), fullName: user.fullName, email: user.email, metadata: user.metadata, enabled: user.enabled }),
    authenticatingUser: granted.user,
    authenticationRealm: granted.authenticationRealm,
    lookupRealm: realmOf(user.username),
    type: granted.type,
    scheme: granted.scheme,
  });
}

export async function grantApiKey(deps: GrantDeps, request: FastifyRequest): Promise<CreatedApiKey> {
  checkRefresh(request.query as QueryString);
  const body = requireObjectBody(request.body);
  rejectUnknownFields(body, ['grant_type', 'username', 'password', 'access_token', 'run_as', 'client_authentication', 'api_key'], REQUEST);
  const type = stringField(body, 'grant_type', REQUEST);
  const username = stringField(body, 'username', REQUEST);
  const password = stringField(body, 'password', REQUEST);
  const accessToken = stringField(body, 'access_token', REQUEST);
  const runAsTarget = stringField(body, 'run_as', REQUEST);
  const clientAuthentication = body['client_authentication'] ?? undefined;
  const apiKey = body['api_key'] ?? {};
  if (!isJsonObject(apiKey)) throw new EsError(400, 'x_content_parse_exception', `[${REQUEST}] failed to parse field [api_key]: expected an object`);
  const fields = parseNewApiKey(apiKey, 'api_key_request', grantProblems(type, username, password, accessToken, clientAuthentication));
  if (type === 'access_token' && clientAuthentication !== undefined) {
    // Only JWTs take client authentication; esgate's access tokens are Elasticsearch-style tokens.
    throw new EsError(400, 'security_exception', '[client_authentication] not supported with the supplied access_token type');
  }
  // Validated first, then authorized, as Elasticsearch validates a request before its action filters.
  await deps.authorizer.authorizeCluster(request.authentication as Authentication, API_KEY_ACTIONS.grant);
  const granted = await grantedUser(deps, API_KEY_ACTIONS.grant, request.clientAddress, type as string, username, password, accessToken);
  const owner = runAsTarget === undefined ? granted : await runAs(deps, granted, runAsTarget);
  return deps.apiKeys.create(owner, fields);
}
