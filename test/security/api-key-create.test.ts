import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };
const DAY = 86_400_000;

describe('POST|PUT /_security/api_key and ApiKey authentication', () => {
  let t: TestApp;
  const asElastic = () => ({ ...json, authorization: t.basic() });
  const asKey = (encoded: string) => ({ ...json, authorization: `ApiKey ${encoded}` });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('creates a key like the Elasticsearch docs example and the encoded value is base64 of id:api_key', async () => {
    const now = t.clock.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/api_key',
      headers: asElastic(),
      payload: {
        name: 'my-api-key',
        expiration: '1d',
        role_descriptors: { 'role-a': { cluster: ['all'], indices: [{ names: ['index-a*'], privileges: ['read'] }] } },
        metadata: { application: 'my-application', environment: { level: 1, trusted: true, tags: ['dev', 'staging'] } },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['id', 'name', 'expiration', 'api_key', 'encoded']);
    expect(body.name).toBe('my-api-key');
    expect(body.expiration).toBe(now + DAY);
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(body.api_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.encoded).toHaveLength(60);
    expect(Buffer.from(body.encoded, 'base64').toString()).toBe(`${body.id}:${body.api_key}`);
  });

  it('authenticates with the encoded key and _authenticate shows the owner, no roles and the _es_api_key realm', async () => {
    const created = (
      await t.app.inject({ method: 'PUT', url: '/_security/api_key', headers: asElastic(), payload: { name: 'who-am-i' } })
    ).json();
    expect(created).not.toHaveProperty('expiration');
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: asKey(created.encoded) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      username: 'elastic',
      roles: [],
      full_name: null,
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: '_es_api_key', type: '_es_api_key' },
      lookup_realm: { name: '_es_api_key', type: '_es_api_key' },
      authentication_type: 'api_key',
      api_key: { id: created.id, name: 'who-am-i' },
    });
  });
});
