import { afterEach, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

async function withRunAsUsers(settings: Record<string, unknown> = {}): Promise<TestApp> {
  const t = await buildTestApp({ settings });
  await t.ctx.roles.put('impersonator', parseRoleDescriptor('impersonator', { run_as: ['rdeniro', 'team-*'] }, { allowDescription: true }));
  await t.ctx.roles.put('logs_reader', parseRoleDescriptor('logs_reader', { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read'] }] }, { allowDescription: true }));
  await t.ctx.users.create({ username: 'kibana_svc', password: 'svc-password', roles: ['impersonator'] });
  await t.ctx.users.create({ username: 'rdeniro', password: 'taxidriver', roles: ['logs_reader'], fullName: 'Robert De Niro' });
  await t.ctx.users.create({ username: 'other', password: 'other-password', roles: ['logs_reader'] });
  return t;
}

describe('run as (es-security-runas-user)', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('reports the run-as user with the authenticating and lookup realms in _authenticate when run_as is granted', async () => {
    t = await withRunAsUsers();
    const res = await t.app.inject({
      url: '/_security/_authenticate',
      headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': 'rdeniro' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      username: 'rdeniro',
      roles: ['logs_reader'],
      full_name: 'Robert De Niro',
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'realm',
    });
  });

  it('authorizes actions with the run-as user’s roles, not the authenticating user’s', async () => {
    t = await withRunAsUsers();
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/user/_has_privileges',
      headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': 'rdeniro', 'content-type': 'application/json' },
      payload: { cluster: ['monitor'], index: [{ names: ['logs-1'], privileges: ['read'] }] },
    });
    expect(res.json()).toMatchObject({ username: 'rdeniro', has_all_requested: true });
  });

  it('answers 403 when the roles grant no run_as for the target', async () => {
    t = await withRunAsUsers();
    const res = await t.app.inject({
      url: '/_security/_authenticate',
      headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': 'other' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user [kibana_svc] with effective roles [impersonator], because user [kibana_svc] is unauthorized to run as [other]',
    );
  });

  it('answers the same 403 for a run-as user that does not exist, and for an empty header', async () => {
    t = await withRunAsUsers();
    for (const target of ['team-ghost', '']) {
      const res = await t.app.inject({
        url: '/_security/_authenticate',
        headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': target },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.reason).toContain(`is unauthorized to run as [${target}]`);
    }
  });

  it('answers 401 for the authenticating user when the run-as user is disabled', async () => {
    t = await withRunAsUsers();
    await t.ctx.users.setEnabled('rdeniro', false);
    const res = await t.app.inject({
      url: '/_security/_authenticate',
      headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': 'rdeniro' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('unable to authenticate user [kibana_svc] for REST request [/_security/_authenticate]');
  });

  it('names the run-as user in the 403 of a denied action', async () => {
    t = await withRunAsUsers();
    const res = await t.app.inject({
      url: '/_security/user',
      headers: { authorization: t.basic('kibana_svc', 'svc-password'), 'es-security-runas-user': 'rdeniro' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/user/get] is unauthorized for user [kibana_svc] run as [rdeniro] with effective roles [logs_reader], this action is granted by the cluster privileges [read_security,manage_security,all]',
    );
  });
});

describe('anonymous access', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('is off by default: no credentials is a 401', async () => {
    t = await buildTestApp();
    expect((await t.app.inject({ url: '/_security/_authenticate' })).statusCode).toBe(401);
  });

  it('gives requests without credentials the configured anonymous user and roles', async () => {
    t = await buildTestApp({ settings: { authc: { anonymous: { username: 'guest', roles: ['viewer'] } } } });
    const res = await t.app.inject({ url: '/_security/_authenticate' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      username: 'guest',
      roles: ['viewer'],
      authentication_realm: { name: '__anonymous', type: '__anonymous' },
      authentication_type: 'anonymous',
    });
  });

  it('never uses anonymous for failed credentials', async () => {
    t = await buildTestApp({ settings: { authc: { anonymous: { roles: ['viewer'] } } } });
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('elastic', 'wrong-password') } });
    expect(res.statusCode).toBe(401);
  });

  it('answers a denied anonymous request with 403 by default', async () => {
    t = await buildTestApp({ settings: { authc: { anonymous: { roles: ['viewer'] } } } });
    const res = await t.app.inject({ url: '/_security/user' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toMatch(/^action \[cluster:admin\/xpack\/security\/user\/get\] is unauthorized for user \[_anonymous\]/);
  });

  it('answers 401 with challenges instead when anonymous.authz_exception is false', async () => {
    t = await buildTestApp({ settings: { authc: { anonymous: { roles: ['viewer'], authz_exception: false } } } });
    const res = await t.app.inject({ url: '/_security/user' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('action [cluster:admin/xpack/security/user/get] requires authentication');
    expect([res.headers['www-authenticate']].flat()[0]).toMatch(/^Basic realm="security"/);
  });
});

describe('anonymous access and token-like headers', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it.each(['Bearer ', 'ApiKey ', 'bearer', 'Bearer not-a-token'])('does not fall back to anonymous for %j', async (header) => {
    t = await buildTestApp({ settings: { authc: { anonymous: { roles: ['viewer'] } } } });
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: header } });
    expect(res.statusCode).toBe(401);
  });
});
