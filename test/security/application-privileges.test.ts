// Application privileges end to end: registered as Kibana registers them, resolved in roles and API
// keys by has_privileges, validated with Elasticsearch's texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };
const APP = 'kibana-.kibana';
const KIBANA_PRIVILEGES = {
  [APP]: {
    all: { application: APP, name: 'all', actions: ['login:', 'version:8.15.0', 'api:*', 'ui:*', 'app:*', 'saved_object:*'], metadata: {} },
    read: { application: APP, name: 'read', actions: ['login:', 'version:8.15.0', 'ui:*/read', 'app:discover'], metadata: {} },
    space_read: { application: APP, name: 'space_read', actions: ['login:', 'version:8.15.0', 'ui:*/read'], metadata: {} },
  },
};

describe('application privileges', () => {
  let t: TestApp;
  const admin = () => ({ ...json, authorization: t.basic() });
  const as = (user: string) => ({ ...json, authorization: t.basic(user, `${user}-pw-1`) });

  beforeAll(async () => {
    t = await buildTestApp();
    const role = (name: string, body: unknown) => t.ctx.roles.put(name, parseRoleDescriptor(name, body, { allowDescription: true }));
    await role('marketing_reader', { cluster: ['manage_own_api_key'], applications: [{ application: APP, privileges: ['space_read'], resources: ['space:marketing'] }] });
    await t.ctx.users.create({ username: 'admin1', password: 'admin1-pw-1', roles: ['kibana_admin'] });
    await t.ctx.users.create({ username: 'mark', password: 'mark-pw-1', roles: ['marketing_reader'] });
    await t.ctx.users.changePassword('kibana_system', 'kibana_system-pw-1');
  });
  afterAll(() => t.close());

  it('lets kibana_system register Kibana’s privileges (global application manage), answering created per privilege', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/privilege', headers: as('kibana_system'), payload: KIBANA_PRIVILEGES });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ [APP]: { all: { created: true }, read: { created: true }, space_read: { created: true } } });
    const again = await t.app.inject({ method: 'POST', url: '/_security/privilege', headers: as('kibana_system'), payload: KIBANA_PRIVILEGES });
    expect(again.json()[APP].all).toEqual({ created: false });
  });

  it('refuses kibana_system another application, with the cluster action’s 403', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/privilege', headers: as('kibana_system'), payload: { myapp: { read: { actions: ['data:read/*'] } } } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/privilege/put] is unauthorized for user [kibana_system] with effective roles [kibana_system], this action is granted by the cluster privileges [manage_security,all]',
    );
  });

  it('answers GET by application and name as Elasticsearch, 404 with {} for nothing', async () => {
    const one = await t.app.inject({ url: `/_security/privilege/${APP}/read`, headers: as('kibana_system') });
    expect(one.json()).toEqual({ [APP]: { read: { application: APP, name: 'read', actions: ['login:', 'version:8.15.0', 'ui:*/read', 'app:discover'], metadata: {} } } });
    const app = await t.app.inject({ url: `/_security/privilege/${APP}`, headers: admin() });
    expect(Object.keys(app.json()[APP])).toEqual(['all', 'read', 'space_read']);
    const none = await t.app.inject({ url: '/_security/privilege/nothing', headers: admin() });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({});
  });

  it('resolves privilege names and action patterns in has_privileges, per resource', async () => {
    const check = async (user: string, resources: string[], privileges: string[]) =>
      (await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: as(user), payload: { application: [{ application: APP, resources, privileges }] } })).json();
    const adminAnswer = await check('admin1', ['space:default'], ['version:8.15.0', 'login:', 'api:features', 'read', 'space_read']);
    expect(adminAnswer).toEqual({
      username: 'admin1',
      has_all_requested: true,
      cluster: {},
      index: {},
      application: { [APP]: { 'space:default': { 'version:8.15.0': true, 'login:': true, 'api:features': true, read: true, space_read: true } } },
    });
    const mark = await check('mark', ['space:marketing', 'space:default'], ['login:', 'ui:dashboard/read', 'ui:dashboard/save', 'all', 'unknown_name']);
    expect(mark.has_all_requested).toBe(false);
    expect(mark.application[APP]).toEqual({
      'space:marketing': { 'login:': true, 'ui:dashboard/read': true, 'ui:dashboard/save': false, all: false, unknown_name: false },
      'space:default': { 'login:': false, 'ui:dashboard/read': false, 'ui:dashboard/save': false, all: false, unknown_name: false },
    });
  });

  it('limits an API key by its owner’s application privileges', async () => {
    const key = (await t.app.inject({
      method: 'POST',
      url: '/_security/api_key',
      headers: as('mark'),
      payload: { name: 'k', role_descriptors: { r: { applications: [{ application: APP, privileges: ['all'], resources: ['*'] }] } } },
    })).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/user/_has_privileges',
      headers: { ...json, authorization: `ApiKey ${key.encoded}` },
      payload: { application: [{ application: APP, resources: ['space:marketing', 'space:default'], privileges: ['ui:x/read'] }] },
    });
    expect(res.json().application[APP]).toEqual({ 'space:marketing': { 'ui:x/read': true }, 'space:default': { 'ui:x/read': false } });
  });

  it('validates names and actions with Elasticsearch’s texts', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/_security/privilege',
      headers: admin(),
      payload: { ab: { Read: { actions: ['read'] } }, 'myapp-x': { ok: { actions: ['a:b'], metadata: { _x: 1 } } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe(
      "Validation Failed: 1: An application name prefix must be at least 3 characters long (found 'ab');2: Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Read');3: action [read] must contain one of [/ , * , :];4: metadata keys may not start with [_] (in privilege myapp-x ok);",
    );
  });

  it('validates the applications of a role as Elasticsearch’s PutRoleRequest', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/_security/role/bad_apps',
      headers: admin(),
      payload: { applications: [{ application: 'ki*bana', privileges: ['read'], resources: ['*'] }, { application: 'myapp', privileges: ['has space'], resources: ['*'] }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe(
      "Validation Failed: 1: Application name patterns only support trailing wildcards (found 'ki*bana');2: Application privilege names and actions must match the pattern ^\\p{Graph}*$ (found 'has space');",
    );
    const ok = await t.app.inject({ method: 'PUT', url: '/_security/role/good_apps', headers: admin(), payload: { applications: [{ application: 'kibana-*', privileges: ['feature_discover.read', 'ui:*'], resources: ['space:*'] }] } });
    expect(ok.statusCode).toBe(200);
  });

  it('deletes privileges, then has_privileges no longer resolves them', async () => {
    await t.app.inject({ method: 'PUT', url: '/_security/privilege', headers: admin(), payload: { myapp: { temp: { actions: ['data:*'] } } } });
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/privilege/myapp/temp,never', headers: admin() });
    expect(del.json()).toEqual({ myapp: { temp: { found: true }, never: { found: false } } });
    const again = await t.app.inject({ method: 'DELETE', url: '/_security/privilege/myapp/temp', headers: admin() });
    expect(again.statusCode).toBe(404);
    const clear = await t.app.inject({ method: 'POST', url: `/_security/privilege/${APP}/_clear_cache`, headers: as('kibana_system') });
    expect(clear.json()._nodes).toEqual({ total: 1, successful: 1, failed: 0 });
  });
});
