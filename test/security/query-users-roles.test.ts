// POST /_security/_query/user and /_security/_query/role: the query DSL subset, sort, from/size and
// search_after, as Elasticsearch answers them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('querying users and roles', () => {
  let t: TestApp;
  const query = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: { ...json, authorization: t.basic() }, payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'alice', password: 'alice-pw-1', roles: ['viewer'], fullName: 'Alice A', email: 'alice@example.com' });
    await t.ctx.users.create({ username: 'bob', password: 'bob-pw-1', roles: ['editor', 'viewer'], enabled: false });
    await t.ctx.users.create({ username: 'carol', password: 'carol-pw-1', roles: ['editor'] });
    await t.ctx.roles.put('app_reader', parseRoleDescriptor('app_reader', { applications: [{ application: 'myapp', privileges: ['read'], resources: ['*'] }], description: 'reads myapp' }, { allowDescription: true }));
  });
  afterAll(() => t.close());

  it('finds users by terms, prefix and bool, with total and count', async () => {
    const res = await query('/_security/_query/user', { query: { bool: { must: [{ terms: { roles: ['viewer'] } }], must_not: [{ term: { enabled: false } }] } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      total: 1,
      count: 1,
      users: [{ username: 'alice', roles: ['viewer'], full_name: 'Alice A', email: 'alice@example.com', metadata: {}, enabled: true }],
    });
    const prefix = await query('/_security/_query/user', { query: { prefix: { username: 'ca' } } });
    expect(prefix.json().users.map((u: { username: string }) => u.username)).toEqual(['carol']);
  });

  it('sorts, pages and continues with search_after', async () => {
    const first = await query('/_security/_query/user', { query: { terms: { roles: ['editor', 'viewer'] } }, sort: [{ username: 'desc' }], size: 2 });
    expect(first.json().total).toBe(3);
    expect(first.json().users.map((u: { username: string; _sort: unknown[] }) => [u.username, u._sort])).toEqual([['carol', ['carol']], ['bob', ['bob']]]);
    const next = await query('/_security/_query/user', { query: { terms: { roles: ['editor', 'viewer'] } }, sort: [{ username: 'desc' }], size: 2, search_after: ['bob'] });
    expect(next.json().users.map((u: { username: string }) => u.username)).toEqual(['alice']);
    const paged = await query('/_security/_query/user', { query: { exists: { field: 'email' } }, from: 1 });
    expect(paged.json()).toMatchObject({ total: 1, count: 0, users: [] });
  });

  it('refuses fields and queries it does not allow', async () => {
    const field = await query('/_security/_query/user', { query: { term: { password: 'x' } } });
    expect(field.statusCode).toBe(400);
    expect(field.json().error.reason).toBe('Field [password] is not allowed for user query');
    const kind = await query('/_security/_query/user', { query: { script: {} } });
    expect(kind.json().error.reason).toBe('Query type [script] is not currently supported in this context');
  });

  it('queries roles, built-in ones included', async () => {
    const res = await query('/_security/_query/role', { query: { term: { 'applications.application': 'myapp' } } });
    expect(res.json()).toMatchObject({ total: 1, count: 1, roles: [{ name: 'app_reader', description: 'reads myapp', applications: [{ application: 'myapp' }] }] });
    const builtin = await query('/_security/_query/role', { query: { term: { name: 'superuser' } } });
    expect(builtin.json().roles[0]).toMatchObject({ name: 'superuser', cluster: ['all'], metadata: { _reserved: true } });
  });
});
