import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { apiKeyAs, basicAs, CHALLENGES, createKey, USER_PASSWORD, userWithRole, type Created } from './api-key-helpers.js';

const HOUR = 3_600_000;

describe('PUT /_security/api_key/{id} and POST /_security/api_key/_bulk_update', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'], indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    await userWithRole(t, 'nobody', 'monitor_only', { cluster: ['monitor'] });
  });
  afterAll(() => t.close());

  const update = (id: string, payload: Record<string, unknown> | undefined, headers: Record<string, string>) =>
    t.app.inject({ method: 'PUT', url: `/_security/api_key/${id}`, headers, ...(payload === undefined ? {} : { payload }) });
  const read = async (id: string) =>
    (await t.app.inject({ url: `/_security/api_key?id=${id}&with_limited_by=true`, headers: basicAs(t) })).json().api_keys[0];

  it('replaces role descriptors and metadata and answers updated true, then false when nothing changes', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'upd', metadata: { a: 1 } });
    const body = { role_descriptors: { narrow: { indices: [{ names: ['logs-a'], privileges: ['read'] }] } }, metadata: { b: 2 } };
    const first = await update(key.id, body, basicAs(t, 'owner'));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ updated: true });
    const stored = await read(key.id);
    expect(stored.metadata).toEqual({ b: 2 });
    expect(Object.keys(stored.role_descriptors)).toEqual(['narrow']);
    expect((await update(key.id, body, basicAs(t, 'owner'))).json()).toEqual({ updated: false });
    expect((await update(key.id, undefined, basicAs(t, 'owner'))).json()).toEqual({ updated: false });
  });

  it('removes the key’s own descriptors with {} so it inherits the owner’s snapshot again', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'inherit', role_descriptors: { r: { cluster: [] } } });
    expect((await update(key.id, { role_descriptors: {} }, basicAs(t, 'owner'))).json()).toEqual({ updated: true });
    expect((await read(key.id)).role_descriptors).toEqual({});
  });

  it('re-snapshots limited_by from the owner’s current roles, so an empty update can change access', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'resnap' });
    await t.ctx.roles.put('own_keys', parseRoleDescriptor('own_keys', { cluster: ['manage_own_api_key', 'monitor'] }, { allowDescription: false }));
    const before = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: apiKeyAs(key.encoded), payload: { cluster: ['monitor'] } });
    expect(before.json().cluster.monitor).toBe(false);
    expect((await update(key.id, {}, basicAs(t, 'owner'))).json()).toEqual({ updated: true });
    expect((await read(key.id)).limited_by[0].own_keys.cluster).toEqual(['manage_own_api_key', 'monitor']);
    const after = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: apiKeyAs(key.encoded), payload: { cluster: ['monitor'] } });
    expect(after.json().cluster.monitor).toBe(true);
  });

  it('sets a new expiration from now', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'exp' });
    expect((await update(key.id, { expiration: '2h' }, basicAs(t, 'owner'))).json()).toEqual({ updated: true });
    expect((await read(key.id)).expiration).toBe(t.clock.now() + 2 * HOUR);
  });

  it('answers 404 for another user’s key, even to a superuser, and for an unknown id', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'not-yours' });
    for (const id of [key.id, 'unknown']) {
      const res = await update(id, {}, basicAs(t));
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ type: 'resource_not_found_exception', reason: `no API key owned by requesting user found for ID [${id}]` });
    }
  });

  it('answers 400 for invalidated and for expired keys', async () => {
    const gone = await createKey(t, basicAs(t, 'owner'), { name: 'gone' });
    await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [gone.id] } });
    const invalidated = await update(gone.id, {}, basicAs(t, 'owner'));
    expect(invalidated.statusCode).toBe(400);
    expect(invalidated.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: `cannot update invalidated API key [${gone.id}]` });
    const old = await createKey(t, basicAs(t, 'owner'), { name: 'old', expiration: '1s' });
    t.clock.advance(1001);
    const expired = await update(old.id, {}, basicAs(t, 'owner'));
    expect(expired.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: `cannot update expired API key [${old.id}]` });
  });

  it('refuses an update authenticated by an API key with 400', async () => {
    const key = await createKey(t, basicAs(t), { name: 'self-update' });
    const res = await update(key.id, {}, apiKeyAs(key.encoded));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: 'authentication via API key not supported: only the owner user can update an API key' });
  });

  it('answers 403 to a user without an API key privilege', async () => {
    const res = await update('anything', {}, basicAs(t, 'nobody'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toMatch(/^action \[cluster:admin\/xpack\/security\/api_key\/update\] is unauthorized for user \[nobody\]/);
  });

  it('validates the body like create (metadata keys, unknown fields)', async () => {
    const key = await createKey(t, basicAs(t, 'owner'), { name: 'val' });
    const meta = await update(key.id, { metadata: { _x: 1 } }, basicAs(t, 'owner'));
    expect(meta.json().error.reason).toBe('Validation Failed: 1: API key metadata keys may not start with [_];');
    const name = await update(key.id, { name: 'renamed' }, basicAs(t, 'owner'));
    expect(name.json().error).toMatchObject({ type: 'x_content_parse_exception', reason: '[update_api_key_request] unknown field [name]' });
  });

  it('bulk-updates, reporting updated, noops and per-id errors', async () => {
    const a = await createKey(t, basicAs(t, 'owner'), { name: 'bulk-a' });
    const b = await createKey(t, basicAs(t, 'owner'), { name: 'bulk-b', metadata: { same: true } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/api_key/_bulk_update',
      headers: basicAs(t, 'owner'),
      payload: { ids: [a.id, b.id, 'missing'], metadata: { same: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      updated: [a.id],
      noops: [b.id],
      errors: { count: 1, details: { missing: { type: 'resource_not_found_exception', reason: 'no API key owned by requesting user found for ID [missing]' } } },
    });
    const clean = await t.app.inject({ method: 'POST', url: '/_security/api_key/_bulk_update', headers: basicAs(t, 'owner'), payload: { ids: [a.id] } });
    expect(clean.json()).toEqual({ updated: [], noops: [a.id] });
  });

  it('answers 400 to a bulk update without ids', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key/_bulk_update', headers: basicAs(t, 'owner'), payload: { ids: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe('Validation Failed: 1: Field [ids] cannot be empty;');
  });

  it('drops the cached authentication of an updated key at once', async () => {
    const key = await createKey(t, basicAs(t), { name: 'cached', role_descriptors: { r: { cluster: ['monitor'] } } });
    const before = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: apiKeyAs(key.encoded), payload: { cluster: ['monitor'] } });
    expect(before.json().has_all_requested).toBe(true);
    expect((await update(key.id, { role_descriptors: { r: { cluster: [] } } }, basicAs(t))).json()).toEqual({ updated: true });
    const after = await t.app.inject({ method: 'POST', url: '/_security/user/_has_privileges', headers: apiKeyAs(key.encoded), payload: { cluster: ['monitor'] } });
    expect(after.json().has_all_requested).toBe(false);
  });
});

describe('POST /_security/api_key/grant', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'granter', 'grant_role', { cluster: ['grant_api_key'] });
    await userWithRole(t, 'own_only', 'own_keys', { cluster: ['manage_own_api_key'] });
    await userWithRole(t, 'alice', 'alice_role', { cluster: ['monitor'], run_as: ['bob'] });
    await userWithRole(t, 'bob', 'bob_role', { indices: [{ names: ['bob-*'], privileges: ['read'] }] });
  });
  afterAll(() => t.close());

  const grant = (payload: Record<string, unknown>, headers = basicAs(t, 'granter')) =>
    t.app.inject({ method: 'POST', url: '/_security/api_key/grant', headers, payload });

  it('creates a key owned by the user whose password was presented, limited by that user’s roles', async () => {
    const res = await grant({ grant_type: 'password', username: 'alice', password: USER_PASSWORD, api_key: { name: 'for-alice', expiration: '1h' } });
    expect(res.statusCode).toBe(200);
    const key = res.json() as Created;
    expect(Object.keys(key)).toEqual(['id', 'name', 'expiration', 'api_key', 'encoded']);
    const me = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(key.encoded) });
    expect(me.json()).toMatchObject({ username: 'alice', authentication_type: 'api_key' });
    const stored = (await t.app.inject({ url: `/_security/api_key?id=${key.id}&with_limited_by=true`, headers: basicAs(t) })).json().api_keys[0];
    expect(stored).toMatchObject({ username: 'alice', realm: 'default_native' });
    expect(Object.keys(stored.limited_by[0])).toEqual(['alice_role']);
  });

  it('creates a key from an access token', async () => {
    const token = await t.ctx.tokens.create((await t.ctx.realm.authenticate('bob', USER_PASSWORD, '127.0.0.1'))!, (await t.ctx.realm.authenticate('bob', USER_PASSWORD, '127.0.0.1'))!, false);
    const res = await grant({ grant_type: 'access_token', access_token: token.accessToken, api_key: { name: 'from-token' } });
    expect(res.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(res.json().encoded) });
    expect(me.json().username).toBe('bob');
  });

  it('creates a key for the run_as target when the granted user may run as it', async () => {
    const res = await grant({ grant_type: 'password', username: 'alice', password: USER_PASSWORD, run_as: 'bob', api_key: { name: 'as-bob' } });
    expect(res.statusCode).toBe(200);
    const stored = (await t.app.inject({ url: `/_security/api_key?id=${res.json().id}&with_limited_by=true`, headers: basicAs(t) })).json().api_keys[0];
    expect(stored.username).toBe('bob');
    expect(Object.keys(stored.limited_by[0])).toEqual(['bob_role']);
  });

  it('answers 403 when the granted user may not run as the target', async () => {
    const res = await grant({ grant_type: 'password', username: 'bob', password: USER_PASSWORD, run_as: 'alice', api_key: { name: 'nope' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/api_key/grant] is unauthorized for user [bob] with effective roles [bob_role], because user [bob] is unauthorized to run as [alice]',
    );
  });

  it('answers 401 with the challenges for a wrong password', async () => {
    const res = await grant({ grant_type: 'password', username: 'alice', password: 'wrong-Secret-1234', api_key: { name: 'x' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('unable to authenticate user [alice] for action [cluster:admin/xpack/security/api_key/grant]');
    expect([res.headers['www-authenticate']].flat()).toEqual(CHALLENGES);
  });

  it('answers 401 for an unknown access token', async () => {
    const res = await grant({ grant_type: 'access_token', access_token: 'x'.repeat(32), api_key: { name: 'x' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.additional_unsuccessful_credentials).toBe('oauth2 token: invalid token');
  });

  it.each([
    ['a missing grant_type', { api_key: { name: 'k' } }, '1: [grant_type] is required;'],
    ['password without username and password', { grant_type: 'password', api_key: { name: 'k' } }, '1: [username] is required for grant_type [password];2: [password] is required for grant_type [password];'],
    ['access_token without a token', { grant_type: 'access_token', api_key: { name: 'k' } }, '1: [access_token] is required for grant_type [access_token];'],
    ['an unknown grant_type', { grant_type: 'magic', api_key: { name: 'k' } }, '1: grant_type [magic] is not supported;'],
    ['a missing key name, numbered first', { grant_type: 'magic', api_key: {} }, '1: api key name is required;2: grant_type [magic] is not supported;'],
  ])('answers 400 validation for %s', async (_label, payload, reasons) => {
    const res = await grant(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'action_request_validation_exception', reason: `Validation Failed: ${reasons}` });
  });

  it('answers 400 for client_authentication with an access token', async () => {
    const res = await grant({ grant_type: 'access_token', access_token: 'x'.repeat(32), client_authentication: { scheme: 'SharedSecret', value: 'v' }, api_key: { name: 'k' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'security_exception', reason: '[client_authentication] not supported with the supplied access_token type' });
  });

  it('answers 403 to manage_own_api_key, naming every privilege that grants it', async () => {
    const res = await grant({ grant_type: 'password', username: 'alice', password: USER_PASSWORD, api_key: { name: 'k' } }, basicAs(t, 'own_only'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/api_key/grant] is unauthorized for user [own_only] with effective roles [own_keys], this action is granted by the cluster privileges [grant_api_key,manage_api_key,manage_security,all]',
    );
  });

  it('never logs the granted password', async () => {
    const logs = t.logs.lines.map((line) => JSON.stringify(line)).join('\n');
    expect(logs).not.toContain(USER_PASSWORD);
  });
});
