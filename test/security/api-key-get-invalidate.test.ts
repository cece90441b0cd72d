import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { apiKeyAs, basicAs, createKey, userWithRole, type Created } from './api-key-helpers.js';

const HOUR = 3_600_000;

describe('GET /_security/api_key', () => {
  let t: TestApp;
  let adminKey: Created;
  let ownKey: Created;
  let otherOwnKey: Created;
  let creation: number;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'] });
    await userWithRole(t, 'other', 'own_keys_2', { cluster: ['manage_own_api_key'] });
    await userWithRole(t, 'admin', 'key_admin', { cluster: ['manage_api_key'] });
    await userWithRole(t, 'reader', 'security_reader', { cluster: ['read_security'] });
    creation = t.clock.now();
    adminKey = await createKey(t, basicAs(t), {
      name: 'admin-key',
      expiration: '2h',
      metadata: { team: 'ops' },
      role_descriptors: { r: { cluster: ['monitor'], indices: [{ names: ['index-a*'], privileges: ['read'] }] } },
    });
    ownKey = await createKey(t, basicAs(t, 'owner'), { name: 'owner-key-1' });
    otherOwnKey = await createKey(t, basicAs(t, 'owner'), { name: 'owner-key-2' });
    await createKey(t, basicAs(t, 'other'), { name: 'other-key' });
  });
  afterAll(() => t.close());

  const get = (query: string, headers: Record<string, string>) => t.app.inject({ url: `/_security/api_key${query}`, headers });
  const ids = (res: { json(): { api_keys: Array<{ id: string }> } }) => res.json().api_keys.map((k) => k.id).sort();

  it('answers one key by id in Elasticsearch’s form, never with the secret', async () => {
    const res = await get(`?id=${adminKey.id}`, basicAs(t));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      api_keys: [
        {
          id: adminKey.id,
          name: 'admin-key',
          type: 'rest',
          creation,
          expiration: creation + 2 * HOUR,
          invalidated: false,
          username: 'elastic',
          realm: 'reserved',
          realm_type: 'reserved',
          metadata: { team: 'ops' },
          role_descriptors: {
            r: {
              cluster: ['monitor'],
              indices: [{ names: ['index-a*'], privileges: ['read'], allow_restricted_indices: false }],
              applications: [],
              run_as: [],
              metadata: {},
              transient_metadata: { enabled: true },
            },
          },
        },
      ],
    });
    expect(res.body).not.toContain(adminKey.api_key);
  });

  it('answers 404 with an empty list for an unknown id', async () => {
    const res = await get('?id=nope', basicAs(t));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ api_keys: [] });
  });

  it('answers every key to a manage_api_key user, and 200 with an empty list when a name matches nothing', async () => {
    expect((await get('', basicAs(t, 'admin'))).json().api_keys).toHaveLength(4);
    const none = await get('?name=zzz', basicAs(t, 'admin'));
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ api_keys: [] });
  });

  it('lets read_security read every key', async () => {
    expect((await get('', basicAs(t, 'reader'))).json().api_keys).toHaveLength(4);
  });

  it('matches names exactly, by trailing-* prefix, and * as every key', async () => {
    expect(ids(await get('?name=owner-key-1', basicAs(t)))).toEqual([ownKey.id]);
    expect(ids(await get('?name=owner-key*', basicAs(t)))).toEqual([ownKey.id, otherOwnKey.id].sort());
    expect((await get('?name=*', basicAs(t))).json().api_keys).toHaveLength(4);
  });

  it('filters by username and realm_name', async () => {
    expect(ids(await get('?username=owner', basicAs(t)))).toEqual([ownKey.id, otherOwnKey.id].sort());
    expect(ids(await get('?realm_name=reserved', basicAs(t)))).toEqual([adminKey.id]);
    expect(ids(await get('?username=owner&realm_name=reserved', basicAs(t)))).toEqual([]);
  });

  it('narrows to the caller’s own keys with owner=true, even for a superuser', async () => {
    expect(ids(await get('?owner=true', basicAs(t)))).toEqual([adminKey.id]);
    expect(ids(await get('?owner', basicAs(t, 'owner')))).toEqual([ownKey.id, otherOwnKey.id].sort());
  });

  it('lets manage_own_api_key read its own keys with owner=true or its own username and realm_name', async () => {
    const byName = await get('?username=owner&realm_name=default_native', basicAs(t, 'owner'));
    expect(ids(byName)).toEqual([ownKey.id, otherOwnKey.id].sort());
  });

  it.each([
    ['no selector', ''],
    ['another user’s username', '?username=other&realm_name=default_native'],
    ['an id alone', '?id=whatever'],
  ])('answers 403 to manage_own_api_key asking for %s', async (_label, query) => {
    const res = await get(query, basicAs(t, 'owner'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/api_key/get] is unauthorized for user [owner] with effective roles [own_keys], this action is granted by the cluster privileges [read_security,manage_api_key,manage_security,all]',
    );
  });

  it('lets an API key read itself by id without privileges, but not its limited_by', async () => {
    const res = await get(`?id=${adminKey.id}`, apiKeyAs(adminKey.encoded));
    expect(ids(res)).toEqual([adminKey.id]);
    const limited = await get(`?id=${adminKey.id}&with_limited_by=true`, apiKeyAs(adminKey.encoded));
    expect(limited.statusCode).toBe(403);
    expect(limited.json().error.reason).toMatch(new RegExp(`^action \\[cluster:admin/xpack/security/api_key/get\\] is unauthorized for API key id \\[${adminKey.id}\\] of user \\[elastic\\]`));
    const others = await get(`?id=${ownKey.id}`, apiKeyAs(adminKey.encoded));
    expect(others.statusCode).toBe(403);
  });

  it('adds limited_by as a one-element array with with_limited_by=true', async () => {
    const res = await get(`?id=${adminKey.id}&with_limited_by=true`, basicAs(t));
    const [key] = res.json().api_keys;
    expect(key.limited_by).toHaveLength(1);
    expect(Object.keys(key.limited_by[0])).toEqual(['superuser']);
    expect(key.limited_by[0].superuser.cluster).toEqual(['all']);
    expect((await get(`?id=${adminKey.id}`, basicAs(t))).json().api_keys[0]).not.toHaveProperty('limited_by');
  });

  it.each([
    ['id with username', '?id=x&username=y', 'username or realm name must not be specified when the api key id or api key name is specified'],
    ['name with realm_name', '?name=x&realm_name=y', 'username or realm name must not be specified when the api key id or api key name is specified'],
    ['owner with username', '?owner=true&username=y', 'neither username nor realm-name may be specified when retrieving owned API keys'],
    ['id with name', '?id=x&name=y', 'only one of [api key id, api key name] can be specified'],
  ])('answers 400 validation for %s', async (_label, query, message) => {
    const res = await get(query, basicAs(t));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'action_request_validation_exception', reason: `Validation Failed: 1: ${message};` });
  });

  it('accepts with_profile_uid (esgate has no user profiles, so no profile_uid is added)', async () => {
    const res = await get(`?id=${adminKey.id}&with_profile_uid=true`, basicAs(t));
    expect(res.statusCode).toBe(200);
    expect(res.json().api_keys[0]).not.toHaveProperty('profile_uid');
  });

  it('answers 400 for a boolean parameter that is neither true nor false', async () => {
    const res = await get('?owner=yes', basicAs(t));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'illegal_argument_exception', reason: 'Failed to parse value [yes] as only [true] or [false] are allowed.' });
  });

  it('drops expired and invalidated keys with active_only=true, and shows invalidation time otherwise', async () => {
    const gone = await createKey(t, basicAs(t), { name: 'to-invalidate' });
    const invalidatedAt = t.clock.now();
    await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [gone.id] } });
    t.clock.advance(2 * HOUR + 1);
    const active = ids(await get('?active_only=true', basicAs(t)));
    expect(active).not.toContain(gone.id);
    expect(active).not.toContain(adminKey.id);
    expect(active).toContain(ownKey.id);
    const all = await get(`?id=${gone.id}`, basicAs(t));
    expect(all.json().api_keys[0]).toMatchObject({ invalidated: true, invalidation: invalidatedAt });
  });
});

describe('DELETE /_security/api_key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'] });
    await userWithRole(t, 'admin', 'key_admin', { cluster: ['manage_api_key'] });
  });
  afterAll(() => t.close());

  const del = (payload: Record<string, unknown> | undefined, headers: Record<string, string>) =>
    t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers, ...(payload === undefined ? {} : { payload }) });

  it('invalidates by ids and reports a second invalidation as previously invalidated', async () => {
    const a = await createKey(t, basicAs(t), { name: 'a' });
    const b = await createKey(t, basicAs(t), { name: 'b' });
    const first = await del({ ids: [a.id, b.id] }, basicAs(t));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ invalidated_api_keys: expect.arrayContaining([a.id, b.id]), previously_invalidated_api_keys: [], error_count: 0 });
    const second = await del({ ids: [a.id] }, basicAs(t));
    expect(second.json()).toEqual({ invalidated_api_keys: [], previously_invalidated_api_keys: [a.id], error_count: 0 });
  });

  it('answers 200 with empty lists when nothing matches', async () => {
    const res = await del({ ids: ['unknown-id'] }, basicAs(t));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ invalidated_api_keys: [], previously_invalidated_api_keys: [], error_count: 0 });
  });

  it('invalidates by name prefix, by username and by realm_name', async () => {
    const x1 = await createKey(t, basicAs(t, 'owner'), { name: 'batch-1' });
    const x2 = await createKey(t, basicAs(t, 'owner'), { name: 'batch-2' });
    const keep = await createKey(t, basicAs(t, 'owner'), { name: 'keep' });
    expect((await del({ name: 'batch-*' }, basicAs(t))).json().invalidated_api_keys.sort()).toEqual([x1.id, x2.id].sort());
    expect((await del({ username: 'owner' }, basicAs(t, 'admin'))).json().invalidated_api_keys).toEqual([keep.id]);
    const reserved = await createKey(t, basicAs(t), { name: 'reserved-key' });
    expect((await del({ realm_name: 'reserved' }, basicAs(t))).json().invalidated_api_keys).toEqual([reserved.id]);
  });

  it('accepts the single id field of the 7.x form, but not together with ids', async () => {
    const k = await createKey(t, basicAs(t), { name: 'single' });
    expect((await del({ id: k.id }, basicAs(t))).json().invalidated_api_keys).toEqual([k.id]);
    const both = await del({ id: k.id, ids: [k.id] }, basicAs(t));
    expect(both.statusCode).toBe(400);
  });

  it.each([
    ['no criteria', undefined, '1: One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false;'],
    ['owner false and blank criteria', { owner: false, name: ' ' }, '1: One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false;'],
    ['ids with username', { ids: ['x'], username: 'u' }, '1: username or realm name must not be specified when the api key id(s) or api key name are specified;'],
    ['owner with realm_name', { owner: true, realm_name: 'r' }, '1: neither username nor realm-name may be specified when invalidating owned API keys;'],
    [
      'ids with name and username',
      { ids: ['x'], name: 'n', username: 'u' },
      '1: username or realm name must not be specified when the api key id(s) or api key name are specified;2: only one of [api key id(s), api key name] can be specified;',
    ],
    ['an empty ids array', { ids: [] }, '1: Field [ids] cannot be an empty array;'],
    ['blank ids', { ids: ['a', '', ' '] }, '1: Field [ids] must not contain blank id, but got blank ids at index positions: [1, 2];'],
  ])('answers 400 validation for %s', async (_label, payload, reasons) => {
    const res = await del(payload, basicAs(t));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'action_request_validation_exception', reason: `Validation Failed: ${reasons}` });
  });

  it('lets manage_own_api_key invalidate its own keys with owner=true, leaving others’ alone', async () => {
    const mine = await createKey(t, basicAs(t, 'owner'), { name: 'mine' });
    const theirs = await createKey(t, basicAs(t), { name: 'theirs' });
    const res = await del({ owner: true }, basicAs(t, 'owner'));
    expect(res.json().invalidated_api_keys).toEqual([mine.id]);
    const check = await t.app.inject({ url: `/_security/api_key?id=${theirs.id}`, headers: basicAs(t) });
    expect(check.json().api_keys[0].invalidated).toBe(false);
  });

  it('answers 403 to manage_own_api_key invalidating by ids or someone else’s username', async () => {
    const theirs = await createKey(t, basicAs(t), { name: 'protected' });
    for (const payload of [{ ids: [theirs.id] }, { username: 'elastic', realm_name: 'reserved' }]) {
      const res = await del(payload, basicAs(t, 'owner'));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.reason).toBe(
        'action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user [owner] with effective roles [own_keys], this action is granted by the cluster privileges [manage_api_key,manage_security,all]',
      );
    }
  });

  it('lets an API key with manage_own_api_key invalidate itself by id; it fails on its next request', async () => {
    const self = await createKey(t, basicAs(t, 'owner'), { name: 'self', role_descriptors: { r: { cluster: ['manage_own_api_key'] } } });
    const res = await del({ ids: [self.id] }, apiKeyAs(self.encoded));
    expect(res.json().invalidated_api_keys).toEqual([self.id]);
    const next = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(self.encoded) });
    expect(next.statusCode).toBe(401);
  });
});
