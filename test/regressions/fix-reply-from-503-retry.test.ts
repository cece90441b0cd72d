// Found while testing issue 2: @fastify/reply-from retries a GET answered 503 up to 10 times
// (maxRetriesOn503) with random delays, hiding the cluster's answer and multiplying load on a
// struggling cluster. esgate passes the 503 through once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('regression: reply-from retries upstream 503s behind the client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    t.upstream.respond = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'retry-after': '0' });
      res.end('{"error":{"type":"master_not_discovered_exception","reason":"no master"},"status":503}');
    };
  });
  afterAll(() => t.close());

  it('sends a GET answered 503 to the upstream exactly once and passes the 503 through', async () => {
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.type).toBe('master_not_discovered_exception');
    expect(t.upstream.requests).toHaveLength(1);
  });
});
