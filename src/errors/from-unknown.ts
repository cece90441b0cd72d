// One table for errors esgate did not create itself (Fastify, JSON parsing, SQLite, bugs).
import { EsError, EsPlainError } from './es-error.js';
import { OAuth2Error } from './oauth2.js';
import { contentTooLong, internalError, parseException, unsupportedContentType, xContentParseException } from './request.js';

export type RenderableError = EsError | EsPlainError | OAuth2Error;

interface ForeignError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

export function toEsError(err: unknown, request: { contentType: string; bodyLimit: number }): RenderableError {
  if (err instanceof EsError || err instanceof EsPlainError || err instanceof OAuth2Error) return err;
  const foreign = (typeof err === 'object' && err !== null ? err : {}) as ForeignError;
  switch (foreign.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return contentTooLong(request.bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedContentType(request.contentType);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return parseException('request body is required');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      // Not a JSON problem: the body ended before (or ran past) its declared length.
      return parseException('request body size did not match its Content-Length');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return xContentParseException('Failed to parse the request body as JSON');
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new EsError(503, 'unavailable_shards_exception', 'the security store is busy; retry the request', { cause: err });
    default:
      break;
  }
  if (err instanceof SyntaxError && foreign.statusCode === 400) {
    // Fastify's JSON parser: the body is not JSON. Its message quotes the body, which may hold a
    // password: never echo it.
    return xContentParseException('Failed to parse the request body as JSON');
  }
  if (typeof foreign.statusCode === 'number' && foreign.statusCode >= 400 && foreign.statusCode < 500) {
    return new EsError(foreign.statusCode, 'illegal_argument_exception', String(foreign.message ?? 'bad request'));
  }
  return internalError(err);
}
