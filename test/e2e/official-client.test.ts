// The official @elastic/elasticsearch client (v8) through esgate with Basic auth, against the fake
// upstream: index management, single documents, search and bulk, and a wrong password.
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_SECRETS } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('the official Elasticsearch client through esgate', () => {
  let t: TestApp;
  let node: string;
  let client: Client;
  beforeAll(async () => {
    t = await buildTestApp();
    node = await t.listen();
    client = new Client({ node, auth: { username: 'elastic', password: t.password }, maxRetries: 0, requestTimeout: 10_000 });
  });
  afterAll(async () => {
    await client.close();
    await t.close();
  });

  it('creates an index', async () => {
    const created = await client.indices.create({ index: 'books' });
    expect(created).toMatchObject({ acknowledged: true, index: 'books' });
    expect(t.upstream.indices.has('books')).toBe(true);
  });

  it('indexes a document and finds it with a search', async () => {
    const indexed = await client.index({ index: 'books', id: '1', document: { title: 'Dune' }, refresh: true });
    expect(indexed.result).toBe('created');
    const found = await client.search<{ title: string }>({ index: 'books', query: { match: { title: 'Dune' } } });
    expect(found.hits.hits.map((hit) => hit._source)).toContainEqual({ title: 'Dune' });
  });

  it('sends a bulk request and the upstream receives every operation', async () => {
    const result = await client.bulk({
      operations: [{ index: { _index: 'books', _id: '2' } }, { title: 'Emma' }, { create: { _index: 'books', _id: '3' } }, { title: 'Ulysses' }],
    });
    expect(result.errors).toBe(false);
    expect(result.items).toHaveLength(2);
    expect([...(t.upstream.indices.get('books')?.keys() ?? [])].sort()).toEqual(['1', '2', '3']);
    const bulk = t.upstream.requests.find((r) => r.url.startsWith('/_bulk'));
    expect(bulk?.headers['content-type']).toMatch(/x-ndjson/);
  });

  it('never lets the client’s credentials reach the upstream', () => {
    expect(t.upstream.requests.length).toBeGreaterThan(0);
    for (const request of t.upstream.requests) expect(request.headers).not.toHaveProperty('authorization');
  });

  it('reads the authenticated user with the security API', async () => {
    const me = await client.security.authenticate();
    expect(me.username).toBe('elastic');
    expect(me.authentication_realm.name).toBe('reserved');
  });

  it('fails with a 401 ResponseError carrying Elasticsearch’s security_exception for a wrong password', async () => {
    const wrong = new Client({ node, auth: { username: 'elastic', password: KNOWN_SECRETS.wrongPassword }, maxRetries: 0 });
    try {
      const before = t.upstream.requests.length;
      const failure = await wrong.search({ index: 'books' }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(errors.ResponseError);
      const response = failure as errors.ResponseError;
      expect(response.statusCode).toBe(401);
      expect(response.body).toMatchObject({ error: { type: 'security_exception', reason: 'unable to authenticate user [elastic] for REST request [/books/_search]' }, status: 401 });
      expect(t.upstream.requests.length).toBe(before);
    } finally {
      await wrong.close();
    }
  });

  it('surfaces an unreachable upstream as a 502 ResponseError, not a product-check failure', async () => {
    const gone = await buildTestApp();
    const goneNode = await gone.listen();
    await gone.upstream.close();
    const c = new Client({ node: goneNode, auth: { username: 'elastic', password: gone.password }, maxRetries: 0 });
    try {
      const failure = await c.cluster.health().then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(errors.ResponseError);
      expect((failure as errors.ResponseError).statusCode).toBe(502);
    } finally {
      await c.close();
      await gone.close();
    }
  });
});
