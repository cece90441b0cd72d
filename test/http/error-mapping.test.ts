// toEsError: the one table from foreign errors (Fastify, JSON parsing, SQLite, bugs) to
// Elasticsearch's error bodies.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EsError, EsPlainError } from '../../src/errors/es-error.js';
import { toEsError } from '../../src/errors/from-unknown.js';
import { OAuth2Error } from '../../src/errors/oauth2.js';
import { KNOWN_SECRETS, expectNoSecrets } from '../support/secrets.js';

const REQUEST = { contentType: 'application/json', bodyLimit: 1024 };

function fastifyError(code: string, statusCode: number, message = code): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

function esBody(status: number, type: string, reason: string) {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

describe('toEsError', () => {
  it('passes esgate’s own errors through unchanged', () => {
    const own = [new EsError(401, 'security_exception', 'x'), new EsPlainError(400, 'no handler'), new OAuth2Error('invalid_grant', 'bad')];
    for (const error of own) expect(toEsError(error, REQUEST)).toBe(error);
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, esBody(400, 'x_content_parse_exception', 'Failed to parse the request body as JSON')],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, esBody(400, 'parse_exception', 'request body is required')],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, esBody(400, 'parse_exception', 'request body size did not match its Content-Length')],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, esBody(413, 'content_too_long_exception', 'request body is too large; limit is [1024] bytes')],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, { error: 'Content-Type header [application/json] is not supported', status: 406 }],
  ])('maps Fastify’s %s to Elasticsearch’s body', (code, statusCode, body) => {
    const mapped = toEsError(fastifyError(code, statusCode), REQUEST);
    expect(mapped.toBody()).toEqual(body);
    expect(mapped.status).toBe(body.status);
  });

  it('maps a JSON SyntaxError from a body parser to x_content_parse_exception without quoting the body', () => {
    let syntax: unknown;
    try {
      JSON.parse('{"password":"user-Secret-0815"');
    } catch (err) {
      syntax = Object.assign(err as SyntaxError, { statusCode: 400 });
    }
    const mapped = toEsError(syntax, REQUEST);
    expect(mapped).toBeInstanceOf(EsError);
    expect((mapped as EsError).status).toBe(400);
    expect((mapped as EsError).type).toBe('x_content_parse_exception');
    // The parser's message quotes the body, which may hold a password.
    expect((mapped as EsError).reason).toBe('Failed to parse the request body as JSON');
  });

  it('maps a malformed URL to an Elasticsearch-shaped 400 naming it', () => {
    const mapped = toEsError(fastifyError('FST_ERR_BAD_URL', 400, "'/%zz' is not a valid url component"), REQUEST);
    expect(mapped.toBody()).toEqual(esBody(400, 'illegal_argument_exception', "'/%zz' is not a valid url component"));
  });

  it.each(['SQLITE_BUSY', 'SQLITE_LOCKED'])('answers %s with a retryable 503', (code) => {
    const mapped = toEsError(Object.assign(new Error('database is locked'), { code }), REQUEST);
    expect(mapped.status).toBe(503);
  });

  it.each([
    ['a TypeError', new TypeError(`cannot read ${KNOWN_SECRETS.userPassword}`)],
    ['a string', `thrown ${KNOWN_SECRETS.userPassword}`],
    ['null', null],
    ['an error claiming status 500', fastifyError('FST_ERR_SOMETHING', 500, KNOWN_SECRETS.userPassword)],
    ['an error with a non-numeric status', Object.assign(new Error(KNOWN_SECRETS.userPassword), { statusCode: '400' })],
  ])('turns %s into a generic 500 that reveals nothing of the cause', (_label, error) => {
    const mapped = toEsError(error, REQUEST);
    expect(mapped.toBody()).toEqual(esBody(500, 'exception', 'internal error in the gateway; see its log'));
    expectNoSecrets(JSON.stringify(mapped.toBody()));
  });

  it('keeps the cause of a 500 for the log only', () => {
    const cause = new Error('boom');
    const mapped = toEsError(cause, REQUEST) as EsError;
    expect(mapped.cause).toBe(cause);
    expect(inspect(mapped.toBody())).not.toContain('boom');
  });
});
