// What service accounts do with their tokens, as Elasticsearch's ServiceAccountIT and YAML tests
// expect: fleet-server manages its own API keys; kibana may get an OAuth2 token with
// client_credentials, fleet-server (no manage_token) may not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('service account clients', () => {
  let t: TestApp;
  let fleet: string;
  let kibana: string;
  const bearer = (value: string) => ({ ...json, authorization: `Bearer ${value}` });

  beforeAll(async () => {
    t = await buildTestApp();
    const admin = { ...json, authorization: t.basic() };
    fleet = (await t.app.inject({ method: 'POST', url: '/_security/service/elastic/fleet-server/credential/token/api-token-42', headers: admin })).json().token.value;
    kibana = (await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/kibana-1', headers: admin })).json().token.value;
  });
  afterAll(() => t.close());

  it('lets fleet-server create, list and invalidate its own API keys, limited by its descriptor', async () => {
    const created = await t.app.inject({ method: 'PUT', url: '/_security/api_key', headers: bearer(fleet), payload: { name: 'key-1', role_descriptors: { a: { cluster: ['all'] } } } });
    expect(created.statusCode).toBe(200);
    const { id, api_key: secret } = created.json();
    const encoded = Buffer.from(`${id}:${secret}`).toString('base64');

    const own = await t.app.inject({ url: '/_security/api_key?owner=true', headers: bearer(fleet) });
    expect(own.json().api_keys).toHaveLength(1);
    expect(own.json().api_keys[0]).toMatchObject({ id, name: 'key-1', username: 'elastic/fleet-server', realm: '_service_account', invalidated: false });

    // The key can monitor the cluster (fleet-server's monitor) but not read users (its `all` is limited).
    expect((await t.app.inject({ url: '/', headers: { authorization: `ApiKey ${encoded}` } })).statusCode).toBe(200);
    const users = await t.app.inject({ url: '/_security/user', headers: { authorization: `ApiKey ${encoded}` } });
    expect(users.statusCode).toBe(403);
    expect(users.json().error.reason).toContain('is unauthorized for API key');

    const invalidated = await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: bearer(fleet), payload: { ids: [id], owner: true } });
    expect(invalidated.json().invalidated_api_keys).toEqual([id]);
  });

  it('gives kibana an OAuth2 token with client_credentials that acts as elastic/kibana', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/oauth2/token', headers: bearer(kibana), payload: { grant_type: 'client_credentials' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ type: 'Bearer', expires_in: 1200 });
    expect(res.json()).not.toHaveProperty('refresh_token');
    const who = await t.app.inject({ url: '/_security/_authenticate', headers: bearer(res.json().access_token) });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({
      username: 'elastic/kibana',
      roles: [],
      authentication_realm: { name: '_service_account', type: '_service_account' },
      authentication_type: 'token',
    });
    // Still kibana_system's privileges: monitor yes, security management no.
    expect((await t.app.inject({ url: '/_cluster/health', headers: bearer(res.json().access_token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/_security/user/x', headers: bearer(res.json().access_token) })).statusCode).toBe(403);
  });

  it('refuses client_credentials to fleet-server, which has no manage_token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/oauth2/token', headers: bearer(fleet), payload: { grant_type: 'client_credentials' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/token/create] is unauthorized for user [elastic/fleet-server], this action is granted by the cluster privileges [manage_token,manage_security,all]',
    );
  });
});
