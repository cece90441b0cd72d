// DELETE /_security/oauth2/token (Elasticsearch's RestInvalidateTokenAction + InvalidateTokenRequest.validate).
import { EsError } from '../../errors/es-error.js';
import { validationFailed } from '../../errors/request.js';
import type { InvalidateSelector, InvalidationResult, TokenService } from '../../services/token-service.js';
import { invalidateTokenRequestSchema, parseBody, type InvalidateTokenRequest } from './schemas.js';

export const INVALIDATE_TOKEN_ACTION = 'cluster:admin/xpack/security/token/invalidate';

const hasLength = (value: string | undefined): value is string => value !== undefined && value.length > 0;
const hasText = (value: string | undefined): value is string => value !== undefined && value.trim().length > 0;

/** The parser's constructor refuses both tokens; the request's validate() checks the combinations. */
export function parseInvalidateTokenRequest(body: unknown): InvalidateTokenRequest {
  const request = parseBody(invalidateTokenRequestSchema, 'invalidate_token', body);
  if (hasLength(request.token) && hasLength(request.refresh_token)) {
    throw new EsError(400, 'x_content_parse_exception', 'Failed to build [invalidate_token] after last required field arrived', {
      causedBy: { type: 'illegal_argument_exception', reason: 'only one of [token, refresh_token] may be sent per request' },
    });
  }
  const tokenString = hasLength(request.token) ? request.token : hasLength(request.refresh_token) ? request.refresh_token : undefined;
  const problems: string[] = [];
  if (hasText(request.realm_name) || hasText(request.username)) {
    if (hasText(tokenString)) problems.push('token string must not be provided when realm name or username is specified');
    // The token type is set whenever a token string is.
    if (tokenString !== undefined) problems.push('token type must not be provided when realm name or username is specified');
  } else if (tokenString === undefined) {
    problems.push('token string must be provided when not specifying a realm name or a username');
  }
  if (problems.length > 0) throw validationFailed(problems);
  return request;
}

export function invalidateSelector(request: InvalidateTokenRequest): InvalidateSelector {
  if (hasLength(request.token)) return { kind: 'access_token', token: request.token };
  if (hasLength(request.refresh_token)) return { kind: 'refresh_token', token: request.refresh_token };
  return {
    kind: 'owner',
    ...(hasText(request.username) ? { username: request.username } : {}),
    ...(hasText(request.realm_name) ? { realmName: request.realm_name } : {}),
  };
}

/** TokensInvalidationResult; 404 with zero counts when the named token is unknown. */
export function invalidationResponse(result: InvalidationResult): { status: number; body: Record<string, unknown> } {
  return {
    status: result.found ? 200 : 404,
    body: {
      invalidated_tokens: result.invalidated,
      previously_invalidated_tokens: result.previouslyInvalidated,
      error_count: 0,
    },
  };
}

export async function invalidateToken(tokens: Pick<TokenService, 'invalidate'>, request: InvalidateTokenRequest) {
  return invalidationResponse(await tokens.invalidate(invalidateSelector(request)));
}
