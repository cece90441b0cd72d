// 401 factories worded exactly like Elasticsearch's DefaultAuthenticationFailureHandler and realms.
import { EsError, type EsCause, type HeaderValues } from './es-error.js';

const SECURITY = 'security_exception';

export function missingCredentials(uri: string, challenges: HeaderValues): EsError {
  return new EsError(401, SECURITY, `missing authentication credentials for REST request [${uri}]`, {
    headers: challenges,
  });
}

export function unableToAuthenticate(username: string, uri: string, challenges: HeaderValues): EsError {
  return new EsError(401, SECURITY, `unable to authenticate user [${username}] for REST request [${uri}]`, {
    headers: challenges,
  });
}

/** Credentials named in a request body (the password grants) that did not authenticate. */
export function unableToAuthenticateForAction(username: string, action: string, challenges: HeaderValues): EsError {
  return new EsError(401, SECURITY, `unable to authenticate user [${username}] for action [${action}]`, { headers: challenges });
}

export function invalidBasicHeaderValue(challenges: HeaderValues): EsError {
  return new EsError(401, SECURITY, 'invalid basic authentication header value', { headers: challenges });
}

export function invalidBasicHeaderEncoding(detail: string, challenges: HeaderValues): EsError {
  return new EsError(401, SECURITY, 'invalid basic authentication header encoding', {
    headers: challenges,
    causedBy: { type: 'illegal_argument_exception', reason: detail },
  });
}

/** Every authenticator that saw its credentials failed with a "continue" message. */
export function unsuccessfulCredentials(messages: readonly string[], challenges: HeaderValues): EsError {
  return new EsError(
    401,
    SECURITY,
    'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
    { headers: challenges, metadata: { additional_unsuccessful_credentials: messages } },
  );
}

/** An expired or invalidated access token: RFC 6750 challenge only, as Elasticsearch's TokenService does. */
export function tokenExpired(): EsError {
  return new EsError(401, SECURITY, 'token expired', {
    headers: {
      'WWW-Authenticate': 'Bearer realm="security", error="invalid_token", error_description="The access token expired"',
    },
  });
}

export function secondaryAuthenticationFailed(inner: EsError): EsError {
  const causedBy: EsCause = { type: inner.type, reason: inner.reason };
  return new EsError(401, SECURITY, 'Failed to authenticate secondary user', { causedBy, headers: inner.headers });
}

/**
 * 429 for a source blocked by authc.throttle (Elasticsearch has no such limit; its 429s are
 * es_rejected_execution_exception, and clients back off on 429 with Retry-After).
 */
export function tooManyFailedAuthentications(username: string | null, address: string, retryAfterSeconds: number): EsError {
  const who = username === null ? `from [${address}]` : `for user [${username}] from [${address}]`;
  return new EsError(429, SECURITY, `too many failed authentication attempts ${who}; retry in [${retryAfterSeconds}s]`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
