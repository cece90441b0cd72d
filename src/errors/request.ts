// 400/404/405/406/409/413/5xx factories with Elasticsearch's types and wording.
import { EsError, EsPlainError } from './es-error.js';

export function parseException(reason: string): EsError {
  return new EsError(400, 'parse_exception', reason);
}

export function xContentParseException(reason: string): EsError {
  return new EsError(400, 'x_content_parse_exception', reason);
}

export function illegalArgument(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}

/** ActionRequestValidationException: "Validation Failed: 1: a;2: b;" */
export function validationFailed(messages: readonly string[]): EsError {
  const reason = 'Validation Failed: ' + messages.map((m, i) => `${i + 1}: ${m};`).join('');
  return new EsError(400, 'action_request_validation_exception', reason);
}

export function resourceNotFound(reason: string): EsError {
  return new EsError(404, 'resource_not_found_exception', reason);
}

export function versionConflict(reason: string): EsError {
  return new EsError(409, 'version_conflict_engine_exception', reason);
}

export function contentTooLong(limit: number): EsError {
  return new EsError(413, 'content_too_long_exception', `request body is too large; limit is [${limit}] bytes`);
}

export function securityForbidden(reason: string): EsError {
  return new EsError(403, 'security_exception', reason);
}

export function noHandlerFound(uri: string, method: string): EsPlainError {
  return new EsPlainError(400, `no handler found for uri [${uri}] and method [${method}]`);
}

export function methodNotAllowed(uri: string, method: string, allowed: readonly string[]): EsPlainError {
  const sorted = [...allowed].sort();
  return new EsPlainError(405, `Incorrect HTTP method for uri [${uri}] and method [${method}], allowed: [${sorted.join(', ')}]`, {
    Allow: sorted.join(','),
  });
}

export function unsupportedContentType(contentType: string): EsPlainError {
  return new EsPlainError(406, `Content-Type header [${contentType}] is not supported`);
}

export function badGateway(reason: string, cause?: unknown): EsError {
  return new EsError(502, 'esgate_upstream_exception', reason, { cause });
}

export function gatewayTimeout(reason: string, cause?: unknown): EsError {
  return new EsError(504, 'esgate_upstream_timeout_exception', reason, { cause });
}

export function internalError(cause?: unknown): EsError {
  return new EsError(500, 'exception', 'internal error in the gateway; see its log', { cause });
}
