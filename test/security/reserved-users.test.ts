// Elasticsearch's reserved users: always listed with their reserved roles and metadata, no login
// until a password is set, can be disabled and enabled, never deleted or given other roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };
const KIBANA_PW = 'kibana-system-pw-1';

describe('reserved users', () => {
  let t: TestApp;
  const admin = () => ({ ...json, authorization: t.basic() });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('lists every reserved user with _reserved metadata, kibana as deprecated', async () => {
    const res = await t.app.inject({ url: '/_security/user', headers: admin() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).slice(0, 7)).toEqual(['elastic', 'kibana', 'kibana_system', 'logstash_system', 'beats_system', 'apm_system', 'remote_monitoring_user']);
    expect(body.kibana_system).toEqual({ username: 'kibana_system', roles: ['kibana_system'], full_name: null, email: null, metadata: { _reserved: true }, enabled: true });
    expect(body.kibana.metadata).toEqual({ _reserved: true, _deprecated: true, _deprecated_reason: 'Please use the [kibana_system] user instead.' });
    expect(body.remote_monitoring_user.roles).toEqual(['remote_monitoring_collector', 'remote_monitoring_agent']);
    expect(body.elastic.roles).toEqual(['superuser']);
  });

  it('answers GET for one reserved user even before anything was stored', async () => {
    const res = await t.app.inject({ url: '/_security/user/beats_system', headers: admin() });
    expect(res.statusCode).toBe(200);
    expect(res.json().beats_system.roles).toEqual(['beats_system']);
  });

  it('refuses a login until a password is set, then authenticates in the reserved realm', async () => {
    const before = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('kibana_system', KIBANA_PW) } });
    expect(before.statusCode).toBe(401);
    expect(before.json().error.reason).toBe('unable to authenticate user [kibana_system] for REST request [/_security/_authenticate]');

    const set = await t.app.inject({ method: 'POST', url: '/_security/user/kibana_system/_password', headers: admin(), payload: { password: KIBANA_PW } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({});

    const after = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('kibana_system', KIBANA_PW) } });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({
      username: 'kibana_system',
      roles: ['kibana_system'],
      metadata: { _reserved: true },
      authentication_realm: { name: 'reserved', type: 'reserved' },
      lookup_realm: { name: 'reserved', type: 'reserved' },
      authentication_type: 'realm',
    });
  });

  it('disables and enables a reserved user', async () => {
    const auth = () => t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('kibana_system', KIBANA_PW) } });
    expect((await t.app.inject({ method: 'PUT', url: '/_security/user/kibana_system/_disable', headers: admin() })).statusCode).toBe(200);
    expect((await auth()).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/_security/user/kibana_system', headers: admin() })).json().kibana_system.enabled).toBe(false);
    expect((await t.app.inject({ method: 'PUT', url: '/_security/user/kibana_system/_enable', headers: admin() })).statusCode).toBe(200);
    expect((await auth()).statusCode).toBe(200);
  });

  it('disabling a never-stored reserved user keeps it without a password', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/_security/user/apm_system/_disable', headers: admin() })).statusCode).toBe(200);
    const res = await t.app.inject({ url: '/_security/user/apm_system', headers: admin() });
    expect(res.json().apm_system).toMatchObject({ enabled: false, roles: ['apm_system'] });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('apm_system', '') } })).statusCode).toBe(401);
  });

  it('never deletes a reserved user or changes its roles', async () => {
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/user/logstash_system', headers: admin() });
    expect(del.statusCode).toBe(400);
    expect(del.json().error.reason).toBe('user [logstash_system] is reserved and cannot be deleted');
    const put = await t.app.inject({ method: 'PUT', url: '/_security/user/logstash_system', headers: admin(), payload: { roles: ['superuser'] } });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.reason).toBe('Validation Failed: 1: user [logstash_system] is reserved and only the password can be changed;');
    await expect(t.ctx.users.setRoles('logstash_system', ['superuser'])).rejects.toThrow('reserved');
  });
});
