// A recorded Kibana 8.x: the security calls Kibana makes, each as Kibana sends it (method, path,
// query, body, credentials), each answer checked against what Elasticsearch answers. Paths name
// the Kibana source (elastic/kibana, 8.x) each call comes from.
import { KIBANA_API_KEY_AGGS } from '../support/kibana-requests.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const APP = 'kibana-.kibana';
const VERSION = 'version:8.15.0';
// The shape of Kibana's registered privileges (x-pack/plugins/security/server/authorization/privileges/privileges.ts):
// global all/read, space_all/space_read, feature_<id>.<privilege>, every action a `<kind>:` string.
const REGISTERED = {
  [APP]: {
    all: { application: APP, name: 'all', actions: ['login:', VERSION, 'api:*', 'app:*', 'ui:*', 'saved_object:*', 'space:manage'], metadata: {} },
    read: { application: APP, name: 'read', actions: ['login:', VERSION, 'ui:*/show', 'app:discover', 'saved_object:*/get', 'saved_object:*/find'], metadata: {} },
    space_all: { application: APP, name: 'space_all', actions: ['login:', VERSION, 'api:*', 'app:*', 'ui:*', 'saved_object:*'], metadata: {} },
    space_read: { application: APP, name: 'space_read', actions: ['login:', VERSION, 'ui:*/show', 'saved_object:*/get'], metadata: {} },
    'feature_discover.all': { application: APP, name: 'feature_discover.all', actions: ['login:', VERSION, 'app:discover', 'ui:discover/show', 'ui:discover/save'], metadata: {} },
  },
};

describe('a recorded Kibana 8.x through esgate', () => {
  let t: TestApp;
  let serviceToken: string;
  const json = { 'content-type': 'application/json', 'x-elastic-product-origin': 'kibana' };
  const asKibana = () => ({ ...json, authorization: `Bearer ${serviceToken}` });
  const asUser = () => ({ ...json, authorization: t.basic('analyst', 'analyst-pw-1') });

  beforeAll(async () => {
    t = await buildTestApp();
    // The set-up guide: an administrator creates Kibana's service token
    // (`POST /_security/service/elastic/kibana/credential/token/kibana-token`), kibana.yml carries it.
    const created = await t.app.inject({ method: 'POST', url: '/_security/service/elastic/kibana/credential/token/kibana-token', headers: { ...json, authorization: t.basic() } });
    serviceToken = created.json().token.value;
    await t.ctx.roles.put('own_keys', parseRoleDescriptor('own_keys', { cluster: ['manage_own_api_key'] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'analyst', password: 'analyst-pw-1', roles: ['kibana_admin', 'own_keys'], fullName: 'An Analyst' });
  });
  afterAll(() => t.close());

  describe('start-up, as elastic/kibana', () => {
    it('reads the license and security state (plugins/licensing/server/license_fetcher.ts: xpack.info)', async () => {
      t.upstream.respond = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ license: { uid: 'l', type: 'basic', mode: 'basic', status: 'active' }, features: { security: { available: true, enabled: false } } }));
      };
      const res = await t.app.inject({ url: '/_xpack?accept_enterprise=true', headers: asKibana() });
      t.upstream.respond = null;
      expect(res.statusCode).toBe(200);
      expect(res.json().features.security).toEqual({ available: true, enabled: true });
    });

    it('reads its registered privileges: none yet (security/server/authorization/register_privileges_with_cluster.ts)', async () => {
      const res = await t.app.inject({ url: `/_security/privilege/${APP}`, headers: asKibana() });
      // Elasticsearch answers 404 with {} when the application has none; Kibana treats it as empty.
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({});
    });

    it('registers them (same file: security.putPrivileges)', async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/_security/privilege', headers: asKibana(), payload: REGISTERED });
      expect(res.statusCode).toBe(200);
      expect(Object.values(res.json()[APP])).toEqual(Object.keys(REGISTERED[APP]).map(() => ({ created: true })));
      const read = await t.app.inject({ url: `/_security/privilege/${APP}`, headers: asKibana() });
      expect(read.json()[APP].all).toEqual(REGISTERED[APP].all);
    });

    it('removes privileges a newer Kibana no longer has (same file: security.deletePrivileges)', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: `/_security/privilege/${APP}/feature_discover.all`, headers: asKibana() });
      expect(res.json()).toEqual({ [APP]: { 'feature_discover.all': { found: true } } });
      await t.app.inject({ method: 'PUT', url: '/_security/privilege', headers: asKibana(), payload: REGISTERED });
    });
  });

  describe('a basic-provider login', () => {
    let uid: string;

    it('authenticates the user with their credentials (authentication/providers/base.ts: security.authenticate)', async () => {
      const res = await t.app.inject({ url: '/_security/_authenticate', headers: asUser() });
      expect(res.json()).toMatchObject({
        username: 'analyst',
        roles: ['kibana_admin', 'own_keys'],
        full_name: 'An Analyst',
        authentication_realm: { name: 'default_native', type: 'native' },
        authentication_type: 'realm',
      });
    });

    it('activates the profile as elastic/kibana (user_profile/user_profile_service.ts: security.activateUserProfile)', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/_security/profile/_activate', headers: asKibana(), payload: { grant_type: 'password', username: 'analyst', password: 'analyst-pw-1' } });
      expect(res.statusCode).toBe(200);
      uid = res.json().uid;
      expect(res.json()).toMatchObject({ enabled: true, user: { username: 'analyst', realm_name: 'default_native' }, labels: {}, data: {} });
    });

    it('reads the profile’s kibana data (user_profile_service.ts: security.getUserProfile, data=kibana.*)', async () => {
      const res = await t.app.inject({ url: `/_security/profile/${uid}?data=kibana.*`, headers: asKibana() });
      expect(res.json().profiles[0].uid).toBe(uid);
    });

    it('checks the user’s privileges in the default space (authorization/check_privileges.ts: security.hasPrivileges)', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/_security/user/_has_privileges',
        headers: asUser(),
        payload: { index: [], application: [{ application: APP, resources: ['space:default'], privileges: [VERSION, 'login:', 'ui:discover/show', 'api:features'] }] },
      });
      expect(res.json()).toEqual({
        username: 'analyst',
        has_all_requested: true,
        cluster: {},
        index: {},
        application: { [APP]: { 'space:default': { [VERSION]: true, 'login:': true, 'ui:discover/show': true, 'api:features': true } } },
      });
    });
  });

  describe('the API keys page', () => {
    it('asks whether API keys are enabled by invalidating a non-existent key as elastic/kibana (authentication/api_keys/api_keys.ts)', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: asKibana(), payload: { ids: ['kibana-api-key-service-test'] } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ invalidated_api_keys: [], previously_invalidated_api_keys: [], error_count: 0 });
    });

    it('checks the user’s API key privileges (routes/api_keys/has_active.ts, privileges)', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: asUser(), payload: { cluster: ['manage_security', 'read_security', 'manage_api_key', 'manage_own_api_key'] } });
      expect(res.json().cluster).toEqual({ manage_security: false, read_security: false, manage_api_key: false, manage_own_api_key: true });
    });

    it('creates and lists the user’s own keys (routes/api_keys/create.ts, get.ts: owner=true for non-admins)', async () => {
      const created = await t.app.inject({ method: 'PUT', url: '/_security/api_key', headers: asUser(), payload: { name: 'from-kibana', expiration: '7d', metadata: { managed_by: 'me' } } });
      expect(created.statusCode).toBe(200);
      const list = await t.app.inject({ url: '/_security/api_key?owner=true', headers: asUser() });
      expect(list.json().api_keys).toHaveLength(1);
      expect(list.json().api_keys[0]).toMatchObject({ name: 'from-kibana', username: 'analyst', realm: 'default_native', invalidated: false, metadata: { managed_by: 'me' } });
    });

    it('asks for the page’s filters as 8.14+ does (routes/api_keys/query_aggs.ts: _query/api_key with aggregations)', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: asUser(), payload: KIBANA_API_KEY_AGGS });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ total: 1, count: 0, aggregations: { usernames: { buckets: [{ key: 'analyst', doc_count: 1 }] }, types: { buckets: [{ key: 'rest', doc_count: 1 }] }, expired: { doc_count: 0 } } });
    });
  });
});
