// User profiles as Kibana uses them: activated at login by kibana_system with the user's password
// or access token, data written under kibana's namespace, suggested, checked, disabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileUid } from '../../src/services/profile-service.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('user profiles', () => {
  let t: TestApp;
  let uid: string;
  const kibana = () => ({ ...json, authorization: t.basic('kibana_system', 'kibana-system-pw') });

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.changePassword('kibana_system', 'kibana-system-pw');
    await t.ctx.users.create({ username: 'jacknich', password: 'jack-pw-1', roles: ['viewer'], fullName: 'Jack Nicholson', email: 'jacknich@example.com' });
    await t.ctx.users.create({ username: 'jackie', password: 'jackie-pw-1', roles: ['editor'] });
  });
  afterAll(() => t.close());

  it('activates a profile with the password grant; its uid is derived from the username', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/profile/_activate', headers: kibana(), payload: { grant_type: 'password', username: 'jacknich', password: 'jack-pw-1' } });
    expect(res.statusCode).toBe(200);
    uid = res.json().uid;
    expect(uid).toBe(profileUid('jacknich'));
    expect(uid).toMatch(/^u_[A-Za-z0-9_-]{43}_0$/);
    expect(res.json()).toEqual({
      uid,
      enabled: true,
      last_synchronized: t.clock.now(),
      user: { username: 'jacknich', roles: ['viewer'], realm_name: 'default_native', full_name: 'Jack Nicholson', email: 'jacknich@example.com' },
      labels: {},
      data: {},
      _doc: { _primary_term: 1, _seq_no: 0 },
    });
  });

  it('shows the profile uid on GET /_security/user with with_profile_uid=true', async () => {
    const res = await t.app.inject({ url: '/_security/user/jacknich,jackie?with_profile_uid=true', headers: { authorization: t.basic() } });
    expect(res.json().jacknich.profile_uid).toBe(uid);
    expect(res.json().jackie).not.toHaveProperty('profile_uid');
    const plain = await t.app.inject({ url: '/_security/user/jacknich', headers: { authorization: t.basic() } });
    expect(plain.json().jacknich).not.toHaveProperty('profile_uid');
  });

  it('activates with an access token too, and refuses a wrong password with the 401', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/_security/oauth2/token', headers: { ...json, authorization: t.basic() }, payload: { grant_type: 'password', username: 'jackie', password: 'jackie-pw-1' } })).json().access_token;
    const res = await t.app.inject({ method: 'POST', url: '/_security/profile/_activate', headers: kibana(), payload: { grant_type: 'access_token', access_token: token } });
    expect(res.json().user.username).toBe('jackie');
    const bad = await t.app.inject({ method: 'POST', url: '/_security/profile/_activate', headers: kibana(), payload: { grant_type: 'password', username: 'jacknich', password: 'wrong-pw' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.reason).toBe('unable to authenticate user [jacknich] for action [cluster:admin/xpack/security/profile/activate]');
    const invalid = await t.app.inject({ method: 'POST', url: '/_security/profile/_activate', headers: kibana(), payload: { grant_type: 'password', username: 'x' } });
    expect(invalid.json().error.reason).toBe('Validation Failed: 1: [password] is required for grant_type [password];');
  });

  it('writes data under kibana’s namespace (global profile.write) and reads it back filtered', async () => {
    const write = await t.app.inject({ method: 'POST', url: `/_security/profile/${uid}/_data`, headers: kibana(), payload: { labels: { kibana: { spaces: ['default'] } }, data: { kibana: { avatar: { color: '#f00' }, theme: 'dark' } } } });
    expect(write.json()).toEqual({ acknowledged: true });
    await t.app.inject({ method: 'POST', url: `/_security/profile/${uid}/_data`, headers: kibana(), payload: { data: { kibana: { theme: 'light' } } } });
    const other = await t.app.inject({ method: 'POST', url: `/_security/profile/${uid}/_data`, headers: kibana(), payload: { data: { other_app: { x: 1 } } } });
    expect(other.statusCode).toBe(403);

    const none = await t.app.inject({ url: `/_security/profile/${uid}`, headers: kibana() });
    expect(none.json().profiles[0]).toMatchObject({ labels: { kibana: { spaces: ['default'] } }, data: {}, _doc: { _seq_no: 2 } });
    const some = await t.app.inject({ url: `/_security/profile/${uid},u_missing_0?data=kibana.avatar`, headers: kibana() });
    expect(some.json().profiles[0].data).toEqual({ kibana: { avatar: { color: '#f00' } } });
    expect(some.json().errors).toEqual({ count: 1, details: { u_missing_0: { type: 'resource_not_found_exception', reason: 'profile document not found' } } });
    const all = await t.app.inject({ url: `/_security/profile/${uid}?data=*`, headers: kibana() });
    expect(all.json().profiles[0].data).toEqual({ kibana: { avatar: { color: '#f00' }, theme: 'light' } });
  });

  it('suggests profiles by name prefix', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/profile/_suggest', headers: kibana(), payload: { name: 'jack', size: 5 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ timed_out: false, total: { value: 2, relation: 'eq' } });
    expect(res.json().profiles.map((p: { user: { username: string } }) => p.user.username)).toEqual(['jackie', 'jacknich']);
    expect(res.json().profiles[0]).not.toHaveProperty('_doc');
  });

  it('tells which profiles hold the privileges, and leaves disabled ones out of suggestions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/profile/_has_privileges',
      headers: kibana(),
      payload: { uids: [uid, profileUid('jackie'), 'u_nope_0'], privileges: { index: [{ names: ['logs'], privileges: ['write'] }] } },
    });
    expect(res.json()).toEqual({
      has_privilege_uids: [profileUid('jackie')],
      errors: { count: 1, details: { u_nope_0: { type: 'resource_not_found_exception', reason: 'profile document not found' } } },
    });
    const disable = await t.app.inject({ method: 'POST', url: `/_security/profile/${uid}/_disable`, headers: { ...json, authorization: t.basic() } });
    expect(disable.json()).toEqual({ acknowledged: true });
    const suggest = await t.app.inject({ method: 'POST', url: '/_security/profile/_suggest', headers: kibana(), payload: { name: 'jack' } });
    expect(suggest.json().total.value).toBe(1);
    const missing = await t.app.inject({ method: 'POST', url: '/_security/profile/u_nope_0/_enable', headers: { ...json, authorization: t.basic() } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.type).toBe('document_missing_exception');
    // kibana_system may not enable or disable profiles (manage_user_profile).
    expect((await t.app.inject({ method: 'POST', url: `/_security/profile/${uid}/_enable`, headers: kibana() })).statusCode).toBe(403);
  });
});
