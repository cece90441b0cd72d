// Found by the attacker review of issue 10: `DELETE /_transform/{id}?delete_dest_index=true` deletes
// the stored destination index. Elasticsearch runs that deletion with the creator's headers; behind
// esgate the cluster runs it with full rights, so it needs delete on every index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { send } from '../authz-http/support.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  await t.ctx.roles.put('etl', parseRoleDescriptor('etl', { cluster: ['manage_transform'], indices: [{ names: ['reports-*'], privileges: ['read', 'index', 'create_index'] }] }, { allowDescription: true }));
  await t.ctx.users.create({ username: 'ana', password: 'ana-password', roles: ['etl'] });
  base = await t.listen();
});
afterAll(() => t.close());

describe('deleting a transform', () => {
  it('with delete_dest_index needs delete on every index', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, t.basic('ana', 'ana-password'), { method: 'DELETE', path: '/_transform/t1?delete_dest_index=true&force=true' });
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.reason).toMatch(/^action \[indices:admin\/delete\] is unauthorized for user \[ana\]/);
    expect(t.upstream.requests.length).toBe(before);
    const admin = await send(base, t.basic(), { method: 'DELETE', path: '/_transform/t1?delete_dest_index=true' });
    expect(admin.status).toBe(200);
  });

  it('without it stays a cluster action', async () => {
    const res = await send(base, t.basic('ana', 'ana-password'), { method: 'DELETE', path: '/_transform/t1' });
    expect(res.status, res.text).toBe(200);
    const off = await send(base, t.basic('ana', 'ana-password'), { method: 'DELETE', path: '/_transform/t1?delete_dest_index=false' });
    expect(off.status, off.text).toBe(200);
  });
});
