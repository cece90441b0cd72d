// POST /_security/oauth2/token (Elasticsearch's RestGetTokenAction + CreateTokenRequest.validate +
// TransportCreateTokenAction / TransportRefreshTokenAction).
import { unableToAuthenticateForAction } from '../../errors/authc.js';
import type { FastifyRequest } from 'fastify';
import type { HeaderValues } from '../../errors/es-error.js';
import { OAuth2Error } from '../../errors/oauth2.js';
import { validationFailed } from '../../errors/request.js';
import type { Authentication } from '../../services/authentication.js';
import type { TokenService } from '../../services/token-service.js';
import { authenticateBody } from '../authenticate.js';
import { parseBody, tokenRequestSchema, type TokenRequest } from './schemas.js';

export const CREATE_TOKEN_ACTION = 'cluster:admin/xpack/security/token/create';
export const REFRESH_TOKEN_ACTION = 'cluster:admin/xpack/security/token/refresh';
const SUPPORTED_GRANT_TYPES = ['password', '_kerberos', 'refresh_token', 'client_credentials'];
/** KerberosAuthenticationToken's principal before authentication. */
const KERBEROS_PRINCIPAL = '<Kerberos Token>';

export interface GetTokenDeps {
  readonly tokens: Pick<TokenService, 'create' | 'refresh' | 'expiresInSeconds'>;
  readonly realm: { authenticate(username: string, password: string, clientAddress: string): Promise<Authentication | null> };
  /** The chain's WWW-Authenticate values, for the 401 of a failed password grant. */
  readonly challenges: () => HeaderValues;
}

/** CreateTokenRequest.validate(): the messages, in Elasticsearch's order. */
export function tokenRequestProblems(request: TokenRequest): string[] {
  const problems: string[] = [];
  const grant = request.grant_type;
  const unsupported = (field: keyof TokenRequest) => {
    if (request[field] !== undefined) problems.push(`${field} is not supported with the ${grant} grant_type`);
  };
  const required = (field: keyof TokenRequest) => {
    if (request[field] === undefined || request[field] === '') problems.push(`${field} is missing`);
  };
  switch (grant) {
    case 'password':
      unsupported('kerberos_ticket');
      unsupported('refresh_token');
      required('username');
      required('password');
      break;
    case '_kerberos':
      unsupported('username');
      unsupported('password');
      unsupported('refresh_token');
      required('kerberos_ticket');
      break;
    case 'refresh_token':
      unsupported('username');
      unsupported('password');
      unsupported('kerberos_ticket');
      required('refresh_token');
      break;
    case 'client_credentials':
      unsupported('username');
      unsupported('password');
      unsupported('kerberos_ticket');
      unsupported('refresh_token');
      break;
    default:
      problems.push(`grant_type only supports the values: [${SUPPORTED_GRANT_TYPES.join(', ')}]`);
  }
  return problems;
}

/** Body parse, then validation; RestGetTokenAction answers validation failures with OAuth2 bodies. */
export function parseTokenRequest(body: unknown): TokenRequest {
  const request = parseBody(tokenRequestSchema, 'token_request', body);
  const problems = tokenRequestProblems(request);
  if (problems.length > 0) {
    // Any message naming grant_type (including "… is not supported with the X grant_type") makes it
    // unsupported_grant_type in Elasticsearch.
    const code = problems.some((problem) => problem.includes('grant_type')) ? 'unsupported_grant_type' : 'invalid_request';
    throw new OAuth2Error(code, validationFailed(problems).reason);
  }
  return request;
}

/** The route's action: refresh has its own (Elasticsearch's RefreshTokenAction). */
export function getTokenAction(request: FastifyRequest): string {
  const body = request.body as Partial<TokenRequest> | null | undefined;
  return body?.grant_type === 'refresh_token' ? REFRESH_TOKEN_ACTION : CREATE_TOKEN_ACTION;
}


/** CreateTokenResponse, in its field order. */
function tokenResponse(
  deps: GetTokenDeps,
  request: TokenRequest,
  accessToken: string,
  refreshToken: string | null,
  authentication: Authentication,
): Record<string, unknown> {
  const body: Record<string, unknown> = { access_token: accessToken, type: 'Bearer', expires_in: deps.tokens.expiresInSeconds };
  if (refreshToken !== null) body['refresh_token'] = refreshToken;
  // Elasticsearch supports one scope and names it only when the request asked for one.
  if (request.scope !== undefined) body['scope'] = 'full';
  body['authentication'] = authenticateBody(authentication);
  return body;
}

export async function getToken(deps: GetTokenDeps, request: TokenRequest, client: Authentication, clientAddress: string): Promise<Record<string, unknown>> {
  switch (request.grant_type) {
    case 'password': {
      const username = request.username as string;
      const subject = await deps.realm.authenticate(username, request.password as string, clientAddress);
      if (subject === null) throw unableToAuthenticateForAction(username, CREATE_TOKEN_ACTION, deps.challenges());
      const issued = await deps.tokens.create(subject, client, true);
      return tokenResponse(deps, request, issued.accessToken, issued.refreshToken, subject);
    }
    case 'client_credentials': {
      const issued = await deps.tokens.create(client, client, false);
      return tokenResponse(deps, request, issued.accessToken, null, client);
    }
    case 'refresh_token': {
      const refreshed = await deps.tokens.refresh(request.refresh_token as string, client);
      return tokenResponse(deps, request, refreshed.accessToken, refreshed.refreshToken, refreshed.authentication);
    }
    default:
      // _kerberos: esgate has no Kerberos realm, so no realm accepts the ticket, as in an Elasticsearch
      // cluster without one.
      throw unableToAuthenticateForAction(KERBEROS_PRINCIPAL, CREATE_TOKEN_ACTION, deps.challenges());
  }
}
