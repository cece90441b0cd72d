// Class 5 (lists): the restricted-index list missed system indices that hold secrets or copies of
// data in current Elasticsearch. A role granting `*` without allow_restricted_indices reaches none
// of them, by name or by wildcard; a role that allows restricted indices still does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { send } from '../authz-http/support.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  await t.ctx.roles.put('everything', parseRoleDescriptor('everything', { indices: [{ names: ['*'], privileges: ['read'] }] }, { allowDescription: true }));
  await t.ctx.roles.put('system_reader', parseRoleDescriptor('system_reader', { indices: [{ names: ['*'], privileges: ['read'], allow_restricted_indices: true }] }, { allowDescription: true }));
  await t.ctx.users.create({ username: 'wide', password: 'wide-password', roles: ['everything'] });
  await t.ctx.users.create({ username: 'ops', password: 'ops-password', roles: ['system_reader'] });
  base = await t.listen();
});
afterAll(() => t.close());

const SYSTEM_NAMES = ['.secrets-inference', '.connector-secrets-1', '.inference', '.query-rules-1', '.enrich-policy-1700000000', '.ccm-inference', '.search-app-1', '.synonyms-2', '.security-profile-8', '.reporting-2026', '.ds-.fleet-actions-results-2026.01.01-000001', '.my-plugin-secrets'];

describe('system indices of current Elasticsearch', () => {
  it.each(SYSTEM_NAMES)('%s is not reached by a grant on every index', async (name) => {
    const before = t.upstream.requests.length;
    const res = await send(base, t.basic('wide', 'wide-password'), { method: 'GET', path: `/${name}/_search` });
    expect(res.status, res.text).toBe(403);
    expect(t.upstream.requests.length).toBe(before);
  });

  it.each(SYSTEM_NAMES)('%s is reached with allow_restricted_indices', async (name) => {
    const res = await send(base, t.basic('ops', 'ops-password'), { method: 'GET', path: `/${name}/_search` });
    expect(res.status, res.text).toBe(200);
  });

  it('excludes them from a wildcard that could reach them', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, t.basic('wide', 'wide-password'), { method: 'GET', path: '/.*/_search' });
    expect(res.status, res.text).toBe(200);
    const url = decodeURIComponent(t.upstream.requests[before]?.url ?? '');
    for (const pattern of ['.secrets-inference*', '.connector-secrets*', '.inference*', '.query-rules*', '.enrich-*', '.*secret*']) expect(url).toContain(`,-${pattern}`);
  });
});
