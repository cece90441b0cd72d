// Role mapping CRUD as Elasticsearch answers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };
const MAPPING = { enabled: true, roles: ['viewer'], rules: { all: [{ field: { username: '*' } }, { except: { field: { 'realm.name': 'file' } } }] }, metadata: { version: 1 } };

describe('role mappings', () => {
  let t: TestApp;
  const admin = () => ({ ...json, authorization: t.basic() });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('creates, updates, gets and deletes a mapping', async () => {
    const created = await t.app.inject({ method: 'PUT', url: '/_security/role_mapping/mapping1', headers: admin(), payload: MAPPING });
    expect(created.json()).toEqual({ role_mapping: { created: true } });
    const updated = await t.app.inject({ method: 'POST', url: '/_security/role_mapping/mapping1', headers: admin(), payload: { ...MAPPING, roles: ['editor'] } });
    expect(updated.json()).toEqual({ role_mapping: { created: false } });
    const got = await t.app.inject({ url: '/_security/role_mapping/mapping1', headers: admin() });
    expect(got.json()).toEqual({ mapping1: { ...MAPPING, roles: ['editor'] } });
    expect(Object.keys((await t.app.inject({ url: '/_security/role_mapping', headers: admin() })).json())).toEqual(['mapping1']);
    const missing = await t.app.inject({ url: '/_security/role_mapping/nope', headers: admin() });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({});
    expect((await t.app.inject({ method: 'DELETE', url: '/_security/role_mapping/mapping1', headers: admin() })).json()).toEqual({ found: true });
    const again = await t.app.inject({ method: 'DELETE', url: '/_security/role_mapping/mapping1', headers: admin() });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ found: false });
  });

  it('validates the mapping with Elasticsearch’s texts', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/_security/role_mapping/bad', headers: admin(), payload: { metadata: { _x: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe(
      'Validation Failed: 1: role-mapping enabled must be specified;2: role-mapping roles or role-templates are missing;3: role-mapping rules are missing;4: metadata keys may not start with [_];',
    );
    const rule = await t.app.inject({ method: 'PUT', url: '/_security/role_mapping/bad', headers: admin(), payload: { enabled: true, roles: ['a'], rules: { nope: {} } } });
    expect(rule.json().error.type).toBe('parse_exception');
  });

  it('needs manage_security to write and read_security to read', async () => {
    await t.ctx.roles.put('reader', { cluster: ['read_security'], indices: [], applications: [], run_as: [], metadata: {} });
    await t.ctx.users.create({ username: 'sec', password: 'sec-pw-1', roles: ['reader'] });
    const headers = { ...json, authorization: t.basic('sec', 'sec-pw-1') };
    expect((await t.app.inject({ url: '/_security/role_mapping', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: '/_security/role_mapping/x', headers, payload: MAPPING })).statusCode).toBe(403);
  });
});
