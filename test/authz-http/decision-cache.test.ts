// Decisions on body-less requests are remembered per permission; a role change makes a new
// permission, so the very next request is decided afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const reader = (names: string[]) => parseRoleDescriptor('reader', { indices: [{ names, privileges: ['read'] }] }, { allowDescription: true });

describe('remembered authorization decisions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.roles.put('reader', reader(['logs-*']));
    await t.ctx.users.create({ username: 'rdeniro', password: 'taxidriver', roles: ['reader'] });
  });
  afterAll(() => t.close());

  const search = (url: string) => t.app.inject({ url, headers: { authorization: t.basic('rdeniro', 'taxidriver') } });

  it('narrows a wildcard the same way on every request', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await search('/*/_search')).statusCode).toBe(200);
      expect(t.upstream.requests.at(-1)?.url).toMatch(/^\/logs-\*(,|\/)/);
    }
  });

  it('applies a role change on the very next request', async () => {
    expect((await search('/logs-1/_search')).statusCode).toBe(200);
    expect((await search('/logs-1/_search')).statusCode).toBe(200);
    await t.ctx.roles.put('reader', reader(['metrics-*']));
    const before = t.upstream.requests.length;
    expect((await search('/logs-1/_search')).statusCode).toBe(403);
    expect(t.upstream.requests.length).toBe(before);
    expect((await search('/metrics-1/_search')).statusCode).toBe(200);
  });

  it('applies a role changed by another process (a second store connection) on the next request', async () => {
    await t.ctx.roles.put('reader', reader(['logs-*']));
    expect((await search('/logs-2/_search')).statusCode).toBe(200);
    const other = openSqliteStore(sqliteFile(t.dir.path));
    try {
      const record = await other.roles.get('reader');
      const changed = { ...(record?.descriptor ?? {}), indices: [{ names: ['metrics-*'], privileges: ['read'], allow_restricted_indices: false }] };
      await other.roles.put({ name: 'reader', descriptor: changed, createdAt: 1, updatedAt: 2 });
    } finally {
      await other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect((await search('/logs-2/_search')).statusCode).toBe(403);
  });

  it('streams a superuser’s search body unread, and still checks a restricted user’s terms lookup', async () => {
    const lookup = { query: { terms: { user: { index: 'secret', id: '1', path: 'ids' } } } };
    const asElastic = await t.app.inject({ method: 'POST', url: '/logs-1/_search', headers: { authorization: t.basic(), 'content-type': 'application/json' }, payload: lookup });
    expect(asElastic.statusCode).toBe(200);
    expect(t.upstream.requests.at(-1)?.body.toString()).toBe(JSON.stringify(lookup));
    const asReader = await t.app.inject({
      method: 'POST',
      url: '/metrics-1/_search',
      headers: { authorization: t.basic('rdeniro', 'taxidriver'), 'content-type': 'application/json' },
      payload: lookup,
    });
    expect(asReader.statusCode).toBe(403);
    expect(asReader.json().error.reason).toContain('on indices [secret]');
  });
});
