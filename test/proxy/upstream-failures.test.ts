// Upstream refused, hanging, reset or stalling mid-body: Elasticsearch-shaped 502/504 answers, and
// esgate keeps serving afterwards.
import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectStillServing(t: TestApp, base: string): Promise<void> {
  const me = await fetch(`${base}/_security/_authenticate`, { headers: { authorization: t.basic() } });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { username: string }).username).toBe('elastic');
}

function gatewayError(status: number, type: string, reason: RegExp) {
  return {
    error: { root_cause: [{ type, reason: expect.stringMatching(reason) }], type, reason: expect.stringMatching(reason) },
    status,
  };
}

describe('an upstream that refuses connections', () => {
  let t: TestApp;
  let base: string;
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
    t = await buildTestApp({ settings: { upstream: { url: `http://127.0.0.1:${port}` } } });
    base = await t.listen();
  });
  afterAll(() => t.close());

  it.each(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'])('answers %s with an Elasticsearch-shaped 502 carrying the product header', async (method) => {
    const res = await fetch(`${base}/logs/_search`, {
      method,
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      ...(method === 'POST' || method === 'PUT' ? { body: '{"query":{"match_all":{}}}' } : {}),
    });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    if (method !== 'HEAD') {
      expect(await res.json()).toEqual(gatewayError(502, 'esgate_upstream_exception', /could not be reached \[ECONNREFUSED\]$/));
    }
  });

  it('names the upstream in the reason without any credentials', async () => {
    const res = await fetch(`${base}/_cluster/health`, { headers: { authorization: t.basic() } });
    expect(((await res.json()) as { error: { reason: string } }).error.reason).toBe(`the upstream cluster [http://127.0.0.1:${port}] could not be reached [ECONNREFUSED]`);
  });

  it('logs the refused connection in one warning line without a stack: the request line with status 502 and the reason', async () => {
    const before = t.logs.lines.length;
    await (await fetch(`${base}/_cluster/health`, { headers: { authorization: t.basic() } })).text();
    const lines = t.logs.lines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'request', status: 502, user: 'elastic', path: '/_cluster/health' });
    expect(lines[0]?.['reason']).toContain('[ECONNREFUSED]');
    expect(JSON.stringify(lines[0])).not.toContain('stack');
  });

  it('keeps serving its own APIs while the upstream is down', async () => {
    await expectStillServing(t, base);
  });

  it('still answers 401 before trying the upstream', async () => {
    const res = await fetch(`${base}/_cluster/health`);
    expect(res.status).toBe(401);
  });
});

describe('an upstream that misbehaves', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp({ settings: { upstream: { timeout: '400ms' } } });
    base = await t.listen();
  });
  afterEach(() => {
    t.upstream.behaviour = 'normal';
    t.upstream.respond = null;
  });
  afterAll(() => t.close());

  it('answers 504 when the upstream does not answer within upstream.timeout, then keeps serving', async () => {
    t.upstream.behaviour = 'hang';
    const started = Date.now();
    const res = await fetch(`${base}/logs/_search`, { headers: { authorization: t.basic() } });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(await res.json()).toEqual(gatewayError(504, 'esgate_upstream_timeout_exception', /did not answer in time/));
    t.upstream.behaviour = 'normal';
    await expectStillServing(t, base);
    const proxied = await fetch(`${base}/_cluster/health`, { headers: { authorization: t.basic() } });
    expect(proxied.status).toBe(200);
  });

  it('does not count a slow client upload against upstream.timeout', async () => {
    const { port } = new URL(base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/_bulk', headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      // 12 pieces 100 ms apart: the upload alone lasts three times upstream.timeout (400ms).
      let sent = 0;
      const timer = setInterval(() => {
        req.write('{"index":{"_index":"slow"}}\n{"n":1}\n');
        if (++sent === 12) {
          clearInterval(timer);
          req.end();
        }
      }, 100);
    });
    expect(status).toBe(200);
    expect(t.upstream.indices.get('slow')?.size).toBe(12);
  });

  it('answers 502 when the upstream resets the connection, then keeps serving', async () => {
    t.upstream.behaviour = 'reset';
    const res = await fetch(`${base}/logs/_doc/1`, { method: 'PUT', headers: { authorization: t.basic(), 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(await res.json()).toEqual(gatewayError(502, 'esgate_upstream_exception', /could not be reached/));
    t.upstream.behaviour = 'normal';
    await expectStillServing(t, base);
    const proxied = await fetch(`${base}/_cluster/health`, { headers: { authorization: t.basic() } });
    expect(proxied.status).toBe(200);
  });

  it('cuts the client connection when the upstream stalls mid-body, then keeps serving', async () => {
    t.upstream.behaviour = 'slow-body';
    const res = await fetch(`${base}/logs/_search`, { headers: { authorization: t.basic() } });
    // The status line was already sent; the only honest signal left is an incomplete body.
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    t.upstream.behaviour = 'normal';
    await expectStillServing(t, base);
  });

  it('answers 502 when the upstream sends an invalid status code', async () => {
    t.upstream.respond = (_req, res) => {
      res.socket?.end('HTTP/1.1 999 Nonsense\r\ncontent-length: 0\r\n\r\n');
    };
    const res = await fetch(`${base}/_cluster/health`, { headers: { authorization: t.basic() } });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    t.upstream.respond = null;
    await expectStillServing(t, base);
  });
});
