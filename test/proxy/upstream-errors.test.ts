import { describe, expect, it } from 'vitest';
import { upstreamError } from '../../src/proxy/upstream-errors.js';

const URL = 'http://127.0.0.1:9201';

function wrapped(outer: string, inner?: string) {
  return Object.assign(new Error(outer), { code: outer, ...(inner ? { cause: Object.assign(new Error(inner), { code: inner }) } : {}) });
}

describe('upstreamError', () => {
  it.each([
    ['a headers timeout', wrapped('FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'), 'UND_ERR_HEADERS_TIMEOUT'],
    ['a connect timeout', wrapped('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'), 'UND_ERR_CONNECT_TIMEOUT'],
    ['a body timeout', wrapped('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'UND_ERR_BODY_TIMEOUT'), 'UND_ERR_BODY_TIMEOUT'],
    ['reply-from’s own timeout', wrapped('FST_REPLY_FROM_TIMEOUT'), 'FST_REPLY_FROM_TIMEOUT'],
  ])('answers 504 for %s', (_label, error, code) => {
    const mapped = upstreamError(error, URL);
    expect(mapped.status).toBe(504);
    expect(mapped.toBody()).toEqual({
      error: {
        root_cause: [{ type: 'esgate_upstream_timeout_exception', reason: `the upstream cluster [${URL}] did not answer in time [${code}]` }],
        type: 'esgate_upstream_timeout_exception',
        reason: `the upstream cluster [${URL}] did not answer in time [${code}]`,
      },
      status: 504,
    });
  });

  it.each([
    ['a refused connection', wrapped('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'ECONNREFUSED'), 'ECONNREFUSED'],
    ['a reset connection', wrapped('ECONNRESET', 'ECONNRESET'), 'ECONNRESET'],
    ['a socket closed mid-answer', wrapped('UND_ERR_SOCKET', 'UND_ERR_SOCKET'), 'UND_ERR_SOCKET'],
    ['an unknown host', wrapped('FST_REPLY_FROM_SERVICE_UNAVAILABLE', 'ENOTFOUND'), 'ENOTFOUND'],
    ['an invalid upstream status', wrapped('FST_REPLY_FROM_BAD_GATEWAY'), 'FST_REPLY_FROM_BAD_GATEWAY'],
    ['something without a code', new Error('odd'), 'UNKNOWN'],
    ['a non-error value', 'odd', 'UNKNOWN'],
  ])('answers 502 for %s', (_label, error, code) => {
    const mapped = upstreamError(error, URL);
    expect(mapped.status).toBe(502);
    expect(mapped.type).toBe('esgate_upstream_exception');
    expect(mapped.reason).toBe(`the upstream cluster [${URL}] could not be reached [${code}]`);
  });

  it('keeps the original error as the cause for the log, not in the body', () => {
    const error = wrapped('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'ECONNREFUSED');
    const mapped = upstreamError(error, URL);
    expect(mapped.cause).toBe(error);
    expect(JSON.stringify(mapped.toBody())).not.toContain('FST_REPLY_FROM');
  });
});
