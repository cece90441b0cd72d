// Pitfall (STYLE-ANCHORS §5.5, CONVENTIONS): @fastify/reply-from's default onError answers a refused
// connection with a generic 500 (FST_REPLY_FROM_INTERNAL_SERVER_ERROR). esgate must answer 502.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamError } from '../../src/proxy/upstream-errors.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('regression: reply-from turns ECONNREFUSED into a 500', () => {
  let t: TestApp;
  beforeAll(async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    t = await buildTestApp({ settings: { upstream: { url: `http://127.0.0.1:${port}` } } });
  });
  afterAll(() => t.close());

  it('never answers 500 for a refused upstream connection, over any method', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await t.app.inject({ method, url: '/idx/_doc/1', headers: { authorization: t.basic() } });
      expect(res.statusCode, method).toBe(502);
    }
  });

  it('maps the wrapped reply-from error by its cause, not by its own 500 status', () => {
    // What reply-from hands onError for ECONNREFUSED.
    const wrapped = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'FST_REPLY_FROM_INTERNAL_SERVER_ERROR',
      statusCode: 500,
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const mapped = upstreamError(wrapped, 'http://127.0.0.1:1');
    expect(mapped.status).toBe(502);
    expect(mapped.reason).toBe('the upstream cluster [http://127.0.0.1:1] could not be reached [ECONNREFUSED]');
  });
});
