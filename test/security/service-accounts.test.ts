// Service accounts and their tokens, end to end over HTTP: Elasticsearch's token format, digests
// in the store, _authenticate's shape, the credential cache and its clearing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('service accounts', () => {
  let t: TestApp;
  const admin = () => ({ ...json, authorization: t.basic() });
  const bearer = (value: string) => ({ ...json, authorization: `Bearer ${value}` });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('lists the built-in accounts with their role descriptors', async () => {
    const all = await t.app.inject({ url: '/_security/service', headers: admin() });
    expect(all.statusCode).toBe(200);
    expect(Object.keys(all.json())).toEqual(['elastic/enterprise-search-server', 'elastic/fleet-server', 'elastic/kibana']);
    const fleet = await t.app.inject({ url: '/_security/service/elastic/fleet-server', headers: admin() });
    expect(Object.keys(fleet.json())).toEqual(['elastic/fleet-server']);
    expect(fleet.json()['elastic/fleet-server'].role_descriptor).toMatchObject({
      cluster: ['monitor', 'manage_own_api_key'],
      applications: [{ application: 'kibana-*', privileges: ['reserved_fleet-setup'], resources: ['*'] }],
      run_as: [],
      transient_metadata: { enabled: true },
    });
    expect((await t.app.inject({ url: '/_security/service/elastic', headers: admin() })).json()).toHaveProperty(['elastic/kibana']);
    expect((await t.app.inject({ url: '/_security/service/nope', headers: admin() })).json()).toEqual({});
  });

  it('creates a token in Elasticsearch’s format, stores only a digest, and authenticates with it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/fleet-server/credential/token/api-token-1', headers: admin() });
    expect(res.statusCode).toBe(200);
    const { created, token } = res.json();
    expect(created).toBe(true);
    expect(token.name).toBe('api-token-1');
    const decoded = Buffer.from(token.value, 'base64');
    expect([...decoded.subarray(0, 4)]).toEqual([0, 1, 0, 1]);
    const [qualified, secret] = decoded.subarray(4).toString('utf8').split(':');
    expect(qualified).toBe('elastic/fleet-server/api-token-1');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(token.value.startsWith('AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL2FwaS10b2tlbi0x')).toBe(true);

    const stored = await t.ctx.store.serviceTokens.get('elastic/fleet-server', 'api-token-1');
    expect(stored?.digest).not.toContain(secret);

    const who = await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({
      username: 'elastic/fleet-server',
      roles: [],
      full_name: 'Service account - elastic/fleet-server',
      email: null,
      token: { name: 'api-token-1', type: '_service_account_index' },
      metadata: { _elastic_service_account: true },
      enabled: true,
      authentication_realm: { name: '_service_account', type: '_service_account' },
      lookup_realm: { name: '_service_account', type: '_service_account' },
      authentication_type: 'token',
    });

    // Authorized by the account's descriptor, denied without a roles clause (YAML test service_accounts/10_basic).
    const denied = await t.app.inject({ method: 'DELETE', url: '/_security/user/foo', headers: bearer(token.value) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/user/delete] is unauthorized for user [elastic/fleet-server], this action is granted by the cluster privileges [manage_security,all]',
    );
    const health = await t.app.inject({ url: '/_cluster/health', headers: bearer(token.value) });
    expect(health.statusCode).toBe(200);
  });

  it('generates a token name when none is given and refuses a second token of the same name', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/service/elastic/kibana/credential/token', headers: admin() });
    expect(res.statusCode).toBe(200);
    expect(res.json().token.name).toMatch(/^token_[A-Za-z0-9_-]+$/);
    const again = await t.app.inject({ method: 'POST', url: `/_security/service/elastic/kibana/credential/token/${res.json().token.name}`, headers: admin() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.type).toBe('version_conflict_engine_exception');
  });

  it('refuses invalid token names and unknown accounts with Elasticsearch’s errors', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/_hidden', headers: admin() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.reason).toBe(
      'Validation Failed: 1: invalid service token name [_hidden]. service account token name must have at least 1 character and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_). It must not begin with an underscore (_).;',
    );
    const unknown = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/nobody/credential/token/x', headers: admin() });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.reason).toBe('service account [elastic/nobody] does not exist');
  });

  it('lists credentials, deletes a token and stops accepting it at once', async () => {
    const { token } = (await t.app.inject({ method: 'POST', url: '/_security/service/elastic/fleet-server/credential/token/to-delete', headers: admin() })).json();
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) })).statusCode).toBe(200);
    const creds = await t.app.inject({ url: '/_security/service/elastic/fleet-server/credential', headers: admin() });
    expect(creds.json()).toEqual({
      service_account: 'elastic/fleet-server',
      count: 2,
      tokens: { 'api-token-1': {}, 'to-delete': {} },
      nodes_credentials: { _nodes: { total: 1, successful: 1, failed: 0 }, file_tokens: {} },
    });
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/service/elastic/fleet-server/credential/token/to-delete', headers: admin() });
    expect(del.json()).toEqual({ found: true });
    const gone = await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) });
    expect(gone.statusCode).toBe(401);
    expect(gone.json().error.reason).toBe('failed to authenticate service account [elastic/fleet-server] with token name [to-delete]');
    expect(gone.headers['www-authenticate']).toBeDefined();
    const again = await t.app.inject({ method: 'DELETE', url: '/_security/service/elastic/fleet-server/credential/token/to-delete', headers: admin() });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ found: false });
  });

  it('rejects a wrong secret for a real token name', async () => {
    const { token } = (await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/kb', headers: admin() })).json();
    const forged = Buffer.concat([Buffer.from([0, 1, 0, 1]), Buffer.from('elastic/kibana/kb:not-the-secret-at-all00')]).toString('base64');
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(forged) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) })).statusCode).toBe(200);
  });

  it('serves verifications from the cache until _clear_cache, then from the store', async () => {
    const { token } = (await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/cached', headers: admin() })).json();
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) })).statusCode).toBe(200);
    // Removed behind the service's back (as another process would): the cache still answers.
    await t.ctx.store.serviceTokens.delete('elastic/kibana', 'cached');
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) })).statusCode).toBe(200);
    const clear = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/cached,other/_clear_cache', headers: admin() });
    expect(clear.statusCode).toBe(200);
    expect(clear.json()).toMatchObject({ _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: 'esgate' });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: bearer(token.value) })).statusCode).toBe(401);
  });

  it('needs manage_service_account or read_security', async () => {
    await t.ctx.roles.put('reader', { cluster: ['read_security'], indices: [], applications: [], run_as: [], metadata: {} });
    await t.ctx.users.create({ username: 'sec-reader', password: 'reader-pw-1', roles: ['reader'] });
    const headers = { ...json, authorization: t.basic('sec-reader', 'reader-pw-1') };
    expect((await t.app.inject({ url: '/_security/service', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/_security/service/elastic/kibana/credential', headers })).statusCode).toBe(200);
    const create = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/x', headers });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/service_account/token/create] is unauthorized for user [sec-reader] with effective roles [reader], this action is granted by the cluster privileges [manage_service_account,manage_security,all]',
    );
  });
});
