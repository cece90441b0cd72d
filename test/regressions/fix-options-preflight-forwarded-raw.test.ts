// Hardening from the attacker review: a CORS preflight (OPTIONS) goes upstream unauthenticated, as
// Elasticsearch serves it unauthenticated. It now carries no body, and only the canonical path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../authz-http/support.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await t.listen();
});
afterAll(() => t.close());

describe('an unauthenticated OPTIONS request', () => {
  it('with a body is refused, nothing forwarded', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, null, { method: 'OPTIONS', path: '/_bulk', body: '{"index":{"_index":"secret"}}\n{}\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.type).toBe('illegal_argument_exception');
    expect(t.upstream.requests.length).toBe(before);
  });

  it('goes upstream on its canonical path', async () => {
    const res = await send(base, null, { method: 'OPTIONS', path: '//logs-1//%5Fsearch/?q=x', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' } });
    expect(res.status).toBeLessThan(500);
    expect(t.upstream.requests.at(-1)?.method).toBe('OPTIONS');
    expect(t.upstream.requests.at(-1)?.url).toBe('/logs-1/_search?q=x');
    expect(t.upstream.requests.at(-1)?.headers['authorization']).toBeUndefined();
  });
});
