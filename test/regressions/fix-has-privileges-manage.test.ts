// _has_privileges answered `manage: false` to a role granting `manage`: the granted privilege's
// security exclusion was tested against the requested pattern without the requested one's own
// exclusion (Elasticsearch compares automata: manage ⊆ manage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('regression: has_privileges reports a granted manage', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.roles.put('manager', parseRoleDescriptor('manager', { cluster: ['manage'] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'manny', password: 'manny-pw', roles: ['manager'] });
  });
  afterAll(() => t.close());

  it('answers manage true, its parts true and security privileges false', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/user/_has_privileges',
      headers: { authorization: t.basic('manny', 'manny-pw'), 'content-type': 'application/json' },
      payload: { cluster: ['manage', 'monitor', 'manage_ilm', 'manage_security', 'all', 'cluster:admin/xpack/security/user/put'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      username: 'manny',
      has_all_requested: false,
      cluster: {
        manage: true,
        monitor: true,
        manage_ilm: true,
        manage_security: false,
        all: false,
        'cluster:admin/xpack/security/user/put': false,
      },
      index: {},
      application: {},
    });
  });
});
