import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('user and role APIs', () => {
  let t: TestApp;
  const as = (username = 'elastic', password?: string) => ({ ...json, authorization: t.basic(username, password) });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('creates a role and answers created true, then false on overwrite', async () => {
    const body = { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata'] }] };
    const first = await t.app.inject({ method: 'POST', url: '/_security/role/logs_reader', headers: as(), payload: body });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ role: { created: true } });
    const second = await t.app.inject({ method: 'PUT', url: '/_security/role/logs_reader', headers: as(), payload: body });
    expect(second.json()).toEqual({ role: { created: false } });
  });

  it('returns the role in canonical form', async () => {
    const res = await t.app.inject({ url: '/_security/role/logs_reader', headers: as() });
    expect(res.json()).toEqual({
      logs_reader: {
        cluster: ['monitor'],
        indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata'], allow_restricted_indices: false }],
        applications: [],
        run_as: [],
        metadata: {},
        transient_metadata: { enabled: true },
      },
    });
  });

  it('answers 404 with an empty object for unknown roles', async () => {
    const res = await t.app.inject({ url: '/_security/role/nope', headers: as() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({});
  });

  it('rejects unknown privileges with Elasticsearch’s message', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/role/bad', headers: as(), payload: { cluster: ['fly'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('illegal_argument_exception');
    expect(res.json().error.reason).toMatch(/^unknown cluster privilege \[fly\]\. a privilege must be either one of the predefined cluster privilege names \[/);
  });

  it('refuses to change or delete reserved roles', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/_security/role/superuser', headers: as(), payload: { cluster: [] } });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.reason).toBe('Validation Failed: 1: Role [superuser] is reserved and may not be used.;');
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/role/superuser', headers: as() });
    expect(del.statusCode).toBe(400);
    expect(del.json().error.reason).toBe('role [superuser] is reserved and cannot be deleted');
    const get = await t.app.inject({ url: '/_security/role/superuser', headers: as() });
    expect(get.json().superuser.metadata).toEqual({ _reserved: true });
  });

  it('creates a user who can then authenticate and check privileges', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/_security/user/rdeniro',
      headers: as(),
      payload: { password: 'taxidriver', roles: ['logs_reader'], full_name: 'Robert De Niro' },
    });
    expect(created.json()).toEqual({ created: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/user/_has_privileges',
      headers: as('rdeniro', 'taxidriver'),
      payload: { cluster: ['monitor', 'manage'], index: [{ names: ['logs-1', 'logs-*', '*'], privileges: ['read', 'write'] }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      username: 'rdeniro',
      has_all_requested: false,
      cluster: { monitor: true, manage: false },
      index: { 'logs-1': { read: true, write: false }, 'logs-*': { read: true, write: false }, '*': { read: false, write: false } },
      application: {},
    });
  });

  it('denies user management without manage_security with Elasticsearch’s 403', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/user/x', headers: as('rdeniro', 'taxidriver'), payload: { password: 'secret1', roles: [] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [cluster:admin/xpack/security/user/put] is unauthorized for user [rdeniro] with effective roles [logs_reader], this action is granted by the cluster privileges [manage_security,all]',
    );
  });

  it('lets a user change their own password, effective on the next request', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/user/_password', headers: as('rdeniro', 'taxidriver'), payload: { password: 'ragingbull' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    const old = await t.app.inject({ url: '/_security/_authenticate', headers: as('rdeniro', 'taxidriver') });
    expect(old.statusCode).toBe(401);
    const fresh = await t.app.inject({ url: '/_security/_authenticate', headers: as('rdeniro', 'ragingbull') });
    expect(fresh.statusCode).toBe(200);
  });

  it('disables a user with immediate effect and refuses to disable oneself', async () => {
    const disable = await t.app.inject({ method: 'PUT', url: '/_security/user/rdeniro/_disable', headers: as() });
    expect(disable.json()).toEqual({});
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: as('rdeniro', 'ragingbull') })).statusCode).toBe(401);
    const own = await t.app.inject({ method: 'PUT', url: '/_security/user/elastic/_disable', headers: as() });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.reason).toBe('Validation Failed: 1: users may not update the enabled status of their own account;');
    await t.app.inject({ method: 'PUT', url: '/_security/user/rdeniro/_enable', headers: as() });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: as('rdeniro', 'ragingbull') })).statusCode).toBe(200);
  });

  it('gets users, answers 404 for unknown ones and deletes', async () => {
    const get = await t.app.inject({ url: '/_security/user/rdeniro', headers: as() });
    expect(get.json()).toEqual({
      rdeniro: { username: 'rdeniro', roles: ['logs_reader'], full_name: 'Robert De Niro', email: null, metadata: {}, enabled: true },
    });
    expect((await t.app.inject({ url: '/_security/user/ghost', headers: as() })).statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: '/_security/user/rdeniro', headers: as() });
    expect(del.json()).toEqual({ found: true });
    const again = await t.app.inject({ method: 'DELETE', url: '/_security/user/rdeniro', headers: as() });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ found: false });
  });

  it('lists the built-in privileges', async () => {
    const res = await t.app.inject({ url: '/_security/privilege/_builtin', headers: as() });
    expect(res.json().cluster).toContain('manage_own_api_key');
    expect(res.json().index).toEqual(expect.arrayContaining(['read', 'write', 'create_doc', 'view_index_metadata']));
  });
});

describe('OPTIONS on security paths', () => {
  it('answers 200 with the allowed methods for a path esgate serves, without credentials', async () => {
    const t = await buildTestApp();
    try {
      const res = await t.app.inject({ method: 'OPTIONS', url: '/_security/_authenticate' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['allow']).toBe('GET,HEAD');
      const unknown = await t.app.inject({ method: 'OPTIONS', url: '/_security/nothing-here' });
      expect(unknown.statusCode).toBe(400);
    } finally {
      await t.close();
    }
  });
});
