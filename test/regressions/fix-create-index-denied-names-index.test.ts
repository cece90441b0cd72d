// PUT /secret by a user without create_index anywhere was denied "on indices [*]" (the composite
// "some index" check ran first); Elasticsearch names the index the request creates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('regression: a denied index creation names the index', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.roles.put('reader', parseRoleDescriptor('reader', { indices: [{ names: ['logs-*'], privileges: ['read'] }] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'rita', password: 'rita-pw-1', roles: ['reader'] });
  });
  afterAll(() => t.close());

  it.each([
    ['without a body', undefined],
    ['with aliases in the body', { aliases: { 'logs-alias': {} } }],
  ])('answers 403 on indices [secret] %s', async (_label, payload) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/secret',
      headers: { authorization: t.basic('rita', 'rita-pw-1'), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toBe(
      'action [indices:admin/create] is unauthorized for user [rita] with effective roles [reader] on indices [secret], this action is granted by the index privileges [create_index,manage,all]',
    );
    expect(t.upstream.requests.filter((r) => r.url === '/secret')).toHaveLength(0);
  });
});
