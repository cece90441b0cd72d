// Findings of an independent security review (each reproduced first, then fixed):
// 1. API key routes skipped the run-as check, so any user could create keys as `elastic`.
// 2. ';' separates query parameters for Elasticsearch but not for esgate.
// 3. The body of PUT /{index}/_alias/{name} may replace the path's index and alias.
// 4. The body `_index` of _termvectors replaces the path index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('regression: independent review findings', () => {
  let t: TestApp;
  const mallory = () => t.basic('mallory', 'mallory-pw');
  const reader = () => t.basic('reader', 'reader-pw');

  beforeAll(async () => {
    t = await buildTestApp();
    const role = (name: string, body: unknown) => t.ctx.roles.put(name, parseRoleDescriptor(name, body, { allowDescription: true }));
    await role('own_keys', { cluster: ['manage_own_api_key'] });
    await role('logs_manager', { indices: [{ names: ['logs-*'], privileges: ['read', 'manage', 'create_doc'] }] });
    await t.ctx.users.create({ username: 'mallory', password: 'mallory-pw', roles: ['own_keys'] });
    await t.ctx.users.create({ username: 'reader', password: 'reader-pw', roles: ['logs_manager'] });
  });
  afterAll(() => t.close());

  it.each([
    ['POST', '/_security/api_key', { name: 'x' }, 'create'],
    ['GET', '/_security/api_key', undefined, 'get'],
    ['DELETE', '/_security/api_key', { ids: ['nope'] }, 'invalidate'],
    ['POST', '/_security/_query/api_key', {}, 'query'],
  ] as const)('refuses %s %s under run-as of a user the caller may not run as', async (method, url, payload, action) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...json, authorization: mallory(), 'es-security-runas-user': 'elastic' },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      `action [cluster:admin/xpack/security/api_key/${action}] is unauthorized for user [mallory] with effective roles [own_keys], because user [mallory] is unauthorized to run as [elastic]`,
    );
  });

  it('still lets the caller manage its own keys without run-as', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: { ...json, authorization: mallory() }, payload: { name: 'mine' } });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a raw ";" in the query string, which Elasticsearch would read as a separator', async () => {
    const before = t.upstream.requests.length;
    const res = await t.app.inject({ method: 'PUT', url: '/logs-1/_doc/1?op_type=create&x=;op_type=index', headers: { ...json, authorization: reader() }, payload: {} });
    expect(res.statusCode).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
    const encoded = await t.app.inject({ method: 'PUT', url: '/logs-1/_doc/1?op_type=create&x=%3B', headers: { ...json, authorization: reader() }, payload: {} });
    expect(encoded.statusCode).toBe(201);
  });

  it('refuses an alias body that names another index or alias than the path', async () => {
    const before = t.upstream.requests.length;
    const res = await t.app.inject({ method: 'PUT', url: '/logs-1/_alias/logs-a', headers: { ...json, authorization: reader() }, payload: { index: 'secret', alias: 'logs-steal' } });
    expect(res.statusCode).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
    const plain = await t.app.inject({ method: 'PUT', url: '/logs-1/_alias/logs-a', headers: { ...json, authorization: reader() }, payload: {} });
    expect(plain.statusCode).toBe(200);
  });

  it('refuses a _termvectors body whose _index would replace the path index', async () => {
    const before = t.upstream.requests.length;
    const res = await t.app.inject({ method: 'POST', url: '/logs-1/_termvectors/1', headers: { ...json, authorization: reader() }, payload: { _index: 'secret', fields: ['*'] } });
    expect(res.statusCode).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
    const plain = await t.app.inject({ method: 'POST', url: '/logs-1/_termvectors/1', headers: { ...json, authorization: reader() }, payload: { fields: ['*'] } });
    expect(plain.statusCode).toBe(200);
  });
});
