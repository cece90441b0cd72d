// The official @elastic/elasticsearch client (v8) through esgate with API keys: created with the
// client's security API, then used as `auth: { apiKey }` in both of its forms.
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('the official Elasticsearch client with API keys', () => {
  let t: TestApp;
  let node: string;
  let admin: Client;
  let key: { id: string; api_key: string; encoded: string; expiration?: number };
  const clients: Client[] = [];
  const client = (auth: ConstructorParameters<typeof Client>[0]['auth']) => {
    const c = new Client({ node, auth, maxRetries: 0, requestTimeout: 10_000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    node = await t.listen();
    admin = client({ username: 'elastic', password: t.password });
    key = await admin.security.createApiKey({ name: 'e2e', expiration: '1d', metadata: { suite: 'e2e' } });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.close();
  });

  it('creates a key with the client’s security API', () => {
    expect(key.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(Buffer.from(key.encoded, 'base64').toString()).toBe(`${key.id}:${key.api_key}`);
  });

  it('calls cluster.health with auth: { apiKey: encoded }', async () => {
    const health = await client({ apiKey: key.encoded }).cluster.health();
    expect(health.status).toBeDefined();
    const upstreamSaw = t.upstream.requests.filter((r) => r.url.startsWith('/_cluster/health'));
    expect(upstreamSaw.length).toBeGreaterThan(0);
    for (const request of upstreamSaw) expect(request.headers).not.toHaveProperty('authorization');
  });

  it('calls cluster.health with auth: { apiKey: { id, api_key } }', async () => {
    const c = client({ apiKey: { id: key.id, api_key: key.api_key } });
    expect((await c.cluster.health()).status).toBeDefined();
    const me = await c.security.authenticate();
    expect(me).toMatchObject({ username: 'elastic', authentication_type: 'api_key', api_key: { id: key.id, name: 'e2e' } });
  });

  it('sees the X-Elastic-Api-Key-Expiration header in the response metadata', async () => {
    const res = await client({ apiKey: key.encoded }).cluster.health({}, { meta: true });
    expect(res.headers['x-elastic-api-key-expiration']).toBe(new Date(key.expiration as number).toISOString());
  });

  it('gets, queries and invalidates the key; the next call is a 401 ResponseError', async () => {
    const got = await admin.security.getApiKey({ id: key.id });
    expect(got.api_keys[0]).toMatchObject({ id: key.id, name: 'e2e', invalidated: false, metadata: { suite: 'e2e' } });
    const found = await admin.security.queryApiKeys({ query: { term: { 'metadata.suite': 'e2e' } } });
    expect(found.total).toBe(1);
    const invalidated = await admin.security.invalidateApiKey({ ids: [key.id] });
    expect(invalidated.invalidated_api_keys).toEqual([key.id]);
    const failure = await client({ apiKey: key.encoded }).cluster.health().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(errors.ResponseError);
    expect((failure as errors.ResponseError).statusCode).toBe(401);
    expect((failure as errors.ResponseError).body).toMatchObject({ error: { additional_unsuccessful_credentials: 'API key: api key has been invalidated' } });
  });
});
