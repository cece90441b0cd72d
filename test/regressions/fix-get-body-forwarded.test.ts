// A GET with a body (curl -XGET /_search -d '{…}') was forwarded without its body, and the body's
// bytes left on the keep-alive connection were read as a broken next request (400 "Client Error").
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

function send(url: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('GET requests with a body', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await buildTestApp();
    url = await t.listen();
  });
  afterAll(() => t.close());

  it('forwards the body of GET /_search to the upstream, as POST', async () => {
    const query = JSON.stringify({ query: { term: { user: 'kimchy' } } });
    const res = await send(`${url}/logs/_search`, 'GET', { authorization: t.basic(), 'content-type': 'application/json' }, query);
    expect(res.status).toBe(200);
    const seen = t.upstream.requests.at(-1);
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/logs/_search');
    expect(seen?.body.toString()).toBe(query);
  });

  it('answers a HEAD request with a body with a 400 instead of forwarding it', async () => {
    const before = t.upstream.requests.length;
    const res = await send(`${url}/logs`, 'HEAD', { authorization: t.basic() }, '{}');
    expect(res.status).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
  });

  it('still forwards a GET without a body as GET', async () => {
    const res = await fetch(`${url}/_cluster/health`, { headers: { authorization: t.basic() } });
    expect(res.status).toBe(200);
    expect(t.upstream.requests.at(-1)?.method).toBe('GET');
  });
});
