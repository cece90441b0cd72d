// Found while testing issue 2: a GET with a body goes upstream as POST (so GET /_search -d '{…}'
// keeps its query), but on any path that turned a read into a write: GET /logs/_doc/1 with a body
// indexed a document, GET /_template/t with a body stored a template. Elasticsearch answers those
// GETs 400 "does not support having a body"; so does esgate now, without forwarding anything.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

function send(base: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('regression: a GET with a body must not become a write upstream', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.listen();
  });
  afterAll(() => t.close());

  it.each(['/logs/_doc/1', '/_template/t1', '/logs/_mapping', '/logs/_alias/current'])(
    'answers GET %s with a body 400 like Elasticsearch and forwards nothing',
    async (path) => {
      const before = t.upstream.requests.length;
      const res = await send(base, 'GET', path, { authorization: t.basic(), 'content-type': 'application/json' }, '{"title":"written by a GET"}');
      expect(res.status).toBe(400);
      const reason = `request [GET ${path}] does not support having a body`;
      expect(JSON.parse(res.body)).toEqual({ error: { root_cause: [{ type: 'illegal_argument_exception', reason }], type: 'illegal_argument_exception', reason }, status: 400 });
      expect(t.upstream.requests.length).toBe(before);
      expect(t.upstream.indices.get('logs')?.get('1')).toBeUndefined();
    },
  );

  it('keeps forwarding the body of GET /logs/_search', async () => {
    const res = await send(base, 'GET', '/logs/_search?size=1', { authorization: t.basic(), 'content-type': 'application/json' }, '{"query":{"match_all":{}}}');
    expect(res.status).toBe(200);
    expect(t.upstream.requests.at(-1)?.body.toString()).toBe('{"query":{"match_all":{}}}');
  });

  it('keeps forwarding a GET /logs/_doc/1 without a body as a read', async () => {
    const res = await send(base, 'GET', '/logs/_doc/1', { authorization: t.basic() }, '');
    expect(res.status).toBe(200);
    expect(t.upstream.requests.at(-1)?.method).toBe('GET');
  });
});
