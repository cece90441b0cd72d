// Every response esgate writes itself looks like Elasticsearch's: the product header, exactly
// `application/json` (or the compatible-with vendor type), and Elasticsearch's error shapes.
// esgate owns /_security: what it does not implement is answered here, never forwarded.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const JSON_TYPE = 'application/json';
const COMPATIBLE = 'application/vnd.elasticsearch+json;compatible-with=8';

describe('responses esgate writes itself', () => {
  let t: TestApp;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await buildTestApp({ settings: { http: { max_content_length: 1024 } } });
    auth = { authorization: t.basic() };
  });
  afterAll(() => t.close());

  it.each([
    ['the health check', 'GET', '/_esgate/health', false, 200],
    ['_authenticate', 'GET', '/_security/_authenticate', true, 200],
    ['_authenticate with a trailing slash', 'GET', '/_security/_authenticate/', true, 200],
    ['a 401 for missing credentials', 'GET', '/idx/_search', false, 401],
    ['a 401 on a _security path', 'GET', '/_security/_authenticate', false, 401],
    ['a 405 for a known path with another method', 'POST', '/_security/_authenticate', true, 405],
    ['a 400 for an unknown _security path', 'GET', '/_security/foo', true, 400],
    ['a 400 for a malformed URL', 'GET', '/idx/%zz', true, 400],
  ] as const)('marks %s with x-elastic-product and exactly application/json', async (_label, method, url, withAuth, status) => {
    const res = await t.app.inject({ method, url, headers: withAuth ? auth : {} });
    expect(res.statusCode).toBe(status);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(() => JSON.parse(res.body)).not.toThrow();
  });

  it.each([
    ['a success', '/_security/_authenticate', true, 200],
    ['a 401', '/_security/_authenticate', false, 401],
    ['a 400', '/_security/nothing', true, 400],
  ] as const)('answers %s with the compatible-with vendor type when the client asks for it', async (_label, url, withAuth, status) => {
    const res = await t.app.inject({
      url,
      headers: { accept: 'application/vnd.elasticsearch+json; compatible-with=8', ...(withAuth ? auth : {}) },
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe(COMPATIBLE);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
  });

  it('echoes compatible-with=7 when a 7.x-compatible client asks for it', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { ...auth, accept: 'application/vnd.elasticsearch+json; compatible-with=7' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.elasticsearch+json;compatible-with=7');
  });

  it('answers a HEAD on _authenticate with 200, the product header and no body', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/_security/_authenticate', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.body).toBe('');
  });

  it('answers a malformed URL with an Elasticsearch-shaped 400 instead of Fastify’s own body', async () => {
    const res = await t.app.inject({ url: '/_security/%zz', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        root_cause: [{ type: 'illegal_argument_exception', reason: "'/_security/%zz' is not a valid url component" }],
        type: 'illegal_argument_exception',
        reason: "'/_security/%zz' is not a valid url component",
      },
      status: 400,
    });
    expect(t.upstream.requests.filter((r) => r.url.includes('%zz'))).toEqual([]);
  });
});

describe('the /_security namespace', () => {
  let t: TestApp;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await buildTestApp({ settings: { http: { max_content_length: 1024 } } });
    auth = { authorization: t.basic() };
  });
  afterAll(() => t.close());

  it.each([
    ['GET', '/_security/foo'],
    ['PUT', '/_security/foo/bar'],
    ['DELETE', '/_security/_nothing_here'],
    ['GET', '/_security'],
    ['GET', '/_security/'],
    ['GET', '/_security/foo?pretty'],
  ] as const)('answers %s %s with Elasticsearch’s 400 no-handler body', async (method, url) => {
    const res = await t.app.inject({ method, url, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: `no handler found for uri [${url}] and method [${method}]`, status: 400 });
  });

  it('answers a known path with an unsupported method with 405, the allowed methods and an Allow header', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/_security/_authenticate', headers: auth });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('GET,HEAD');
    expect(res.json()).toEqual({
      error: 'Incorrect HTTP method for uri [/_security/_authenticate] and method [DELETE], allowed: [GET, HEAD]',
      status: 405,
    });
  });

  it('authenticates before routing: an unknown _security path without credentials is a 401', async () => {
    const res = await t.app.inject({ url: '/_security/foo' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('missing authentication credentials for REST request [/_security/foo]');
  });

  it('routes before reading the body: an unknown _security path with a malformed or too-large body is still no handler', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/_security/foo', headers: { ...auth, 'content-type': 'application/json' }, payload: '{bad' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'no handler found for uri [/_security/foo] and method [POST]', status: 400 });
    const big = await t.app.inject({ method: 'POST', url: '/_security/foo', headers: { ...auth, 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(4096)}"}` });
    expect(big.statusCode).toBe(400);
  });

  it.each([
    '/%5Fsecurity/nothing_here',
    '/_secur%69ty/nothing_here/x',
    '/_security%2Fuser',
    '/idx%2F..%2F_security/user',
  ])('never forwards %s, an encoded spelling of a _security path', async (url) => {
    const res = await t.app.inject({ url, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(t.upstream.requests.filter((r) => r.url !== '/')).toEqual([]);
  });

  it('serves an encoded spelling of an implemented _security path itself', async () => {
    const res = await t.app.inject({ url: '/%5fsecurity/_authenticate', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().username).toBe('elastic');
  });

  it.each(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] as const)(
    'never forwards %s requests under /_security to the upstream',
    async (method) => {
      await t.app.inject({ method, url: '/_security/user/someone', headers: { ...auth, 'content-type': 'application/json' }, ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { payload: '{}' } : {}) });
      await t.app.inject({ method, url: '/_security/_authenticate', headers: auth });
      expect(t.upstream.requests.filter((r) => r.url.includes('security'))).toEqual([]);
    },
  );
});

describe('raw paths over a real socket (no client-side URL normalisation)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp();
    port = Number(new URL(await t.listen()).port);
  });
  afterAll(() => t.close());

  function rawGet(path: string): Promise<{ status: number; body: string; product: string | undefined }> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers: { authorization: t.basic() } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, product: res.headers['x-elastic-product'] as string | undefined }));
        })
        .on('error', reject);
    });
  }

  it.each([
    '/idx/../_security/user',
    '/idx/%2e%2e/_security/user',
    '/idx/./../_security/role',
    '/_security/../idx',
    '//_security/user',
  ])('never forwards %s, a dot-segment or doubled-slash route into _security', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(400);
    expect(res.product).toBe('Elasticsearch');
    expect(t.upstream.requests.filter((r) => r.url !== '/')).toEqual([]);
  });

  // Issue 5: an encoded slash inside a path segment is ambiguous to intermediaries; it is refused
  // before classification, even in a document id, rather than guessed at.
  it('refuses an encoded slash inside a path segment, even in a document id, and forwards nothing', async () => {
    const before = t.upstream.requests.length;
    const res = await rawGet('/idx/_doc/a%2F_security');
    expect(res.status).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('GET /_esgate/health under a flood of checks', () => {
  it('probes the upstream at most once per moment, whatever the number of health requests', async () => {
    const t = await buildTestApp();
    try {
      const before = t.upstream.requests.length;
      const answers = await Promise.all(Array.from({ length: 50 }, () => t.app.inject({ url: '/_esgate/health' })));
      expect(answers.every((a) => a.statusCode === 200 && a.json().upstream.reachable === true)).toBe(true);
      expect(t.upstream.requests.length - before).toBeLessThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
});
