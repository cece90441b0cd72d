// Bodies of esgate's own APIs that cannot be read: malformed JSON, no body, an unsupported content
// type, more than http.max_content_length. Tested on the token endpoint, a POST route that reads JSON.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = '/_security/oauth2/token';
const LIMIT = 1024;

function esBody(status: number, type: string, reason: string) {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

describe('unreadable bodies on esgate’s own APIs', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await buildTestApp({ settings: { http: { max_content_length: LIMIT } } });
    auth = { authorization: t.basic() };
  });
  afterAll(() => t.close());

  it.each([
    ['application/json', '{"grant_type":'],
    ['application/json', '{bad'],
    ['application/json; charset=UTF-8', '["grant_type", '],
    ['application/vnd.elasticsearch+json; compatible-with=8', '{"grant_type":"password",}'],
  ])('answers malformed JSON sent as %s with 400 x_content_parse_exception', async (contentType, payload) => {
    const res = await t.app.inject({ method: 'POST', url: TOKEN, headers: { ...auth, 'content-type': contentType }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual(esBody(400, 'x_content_parse_exception', 'Failed to parse the request body as JSON'));
  });

  it('answers a missing body with 400 parse_exception "request body is required"', async () => {
    const res = await t.app.inject({ method: 'POST', url: TOKEN, headers: { ...auth, 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(esBody(400, 'parse_exception', 'request body is required'));
  });

  it('answers a body that is not JSON with 406 and Elasticsearch’s flat body', async () => {
    const res = await t.app.inject({ method: 'POST', url: TOKEN, headers: { ...auth, 'content-type': 'text/plain' }, payload: 'grant_type=password' });
    expect(res.statusCode).toBe(406);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ error: 'Content-Type header [text/plain] is not supported', status: 406 });
  });

  it('answers a body over http.max_content_length with 413 before reading it, and sends nothing upstream', async () => {
    const payload = JSON.stringify({ grant_type: 'password', username: 'elastic', password: 'x'.repeat(2 * LIMIT) });
    const res = await t.app.inject({ method: 'POST', url: TOKEN, headers: { ...auth, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual(esBody(413, 'content_too_long_exception', `request body is too large; limit is [${LIMIT}] bytes`));
    expect(t.upstream.requests.filter((r) => r.url.includes('oauth2'))).toEqual([]);
  });

  it('answers a chunked body that grows past the limit with 413 over a real socket, without waiting for its end', async () => {
    const base = new URL(await t.listen());
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: base.hostname, port: base.port, method: 'POST', path: TOKEN, headers: { ...auth, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      // Far more than the limit, in pieces, and never ended: esgate must answer on its own.
      req.write('{"grant_type":"password","password":"');
      for (let i = 0; i < 8; i++) req.write('x'.repeat(LIMIT));
    });
    expect(status).toBe(413);
  });

  it('does not limit bodies on their way to the upstream: a proxied body over max_content_length passes', async () => {
    const payload = '{"index":{}}\n' + `{"a":"${'x'.repeat(4 * LIMIT)}"}\n`;
    const res = await t.app.inject({ method: 'POST', url: '/logs/_bulk', headers: { ...auth, 'content-type': 'application/x-ndjson' }, payload });
    expect(res.statusCode).toBe(200);
    expect(t.upstream.requests.at(-1)?.bodyBytes).toBe(Buffer.byteLength(payload));
  });
});
