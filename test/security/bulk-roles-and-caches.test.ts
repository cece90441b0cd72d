// Bulk role APIs and the cache clears of roles, realms and API keys: each clear really drops
// esgate's cache (shown by a change made behind the service's back becoming visible).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };

describe('bulk roles and cache clears', () => {
  let t: TestApp;
  const admin = () => ({ ...json, authorization: t.basic() });

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('puts roles in bulk, telling created, updated, noop and errors apart', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/_security/role', headers: admin(), payload: { roles: { r1: { cluster: ['monitor'] }, r2: { cluster: ['manage'] } } } });
    expect(first.json()).toEqual({ created: ['r1', 'r2'] });
    const second = await t.app.inject({
      method: 'POST',
      url: '/_security/role',
      headers: admin(),
      payload: { roles: { r1: { cluster: ['monitor'] }, r2: { cluster: ['all'] }, bad: { cluster: ['nope'] }, superuser: { cluster: [] } } },
    });
    expect(second.statusCode).toBe(200);
    const body = second.json();
    expect(body.noop).toEqual(['r1']);
    expect(body.updated).toEqual(['r2']);
    expect(body.errors.count).toBe(2);
    expect(body.errors.details.bad.type).toBe('illegal_argument_exception');
    expect(body.errors.details.superuser.reason).toBe('Validation Failed: 1: Role [superuser] is reserved and may not be used.;');
  });

  it('deletes roles in bulk', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/_security/role', headers: admin(), payload: { names: ['r1', 'missing', 'superuser'] } });
    expect(res.json()).toEqual({
      deleted: ['r1'],
      not_found: ['missing'],
      errors: { count: 1, details: { superuser: { type: 'illegal_argument_exception', reason: 'role [superuser] is reserved and cannot be deleted' } } },
    });
  });

  it('clears compiled roles: a role changed behind the service’s back applies after _clear_cache', async () => {
    await t.ctx.roles.put('probe', { cluster: [], indices: [], applications: [], run_as: [], metadata: {} });
    await t.ctx.users.create({ username: 'prober', password: 'prober-pw-1', roles: ['probe'] });
    const headers = { authorization: t.basic('prober', 'prober-pw-1') };
    expect((await t.app.inject({ url: '/_cluster/health', headers })).statusCode).toBe(403);
    await t.ctx.store.roles.put({ name: 'probe', descriptor: { cluster: ['monitor'], indices: [], applications: [], run_as: [], metadata: {} }, createdAt: 0, updatedAt: 0 });
    expect((await t.app.inject({ url: '/_cluster/health', headers })).statusCode).toBe(403);
    const clear = await t.app.inject({ method: 'POST', url: '/_security/role/probe/_clear_cache', headers: admin() });
    expect(clear.json()).toMatchObject({ _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: 'esgate' });
    expect((await t.app.inject({ url: '/_cluster/health', headers })).statusCode).toBe(200);
  });

  it('clears cached credentials of a realm, per username', async () => {
    await t.ctx.users.create({ username: 'cached', password: 'cached-pw-1', roles: [] });
    const headers = { authorization: t.basic('cached', 'cached-pw-1') };
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(200);
    const user = await t.ctx.store.users.get('cached');
    await t.ctx.store.users.update({ ...user!, enabled: false });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/_security/realm/default_native/_clear_cache?usernames=cached', headers: admin() });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(401);
  });

  it('answers GET /_security/stats for this one esgate node (monitor)', async () => {
    const res = await t.app.inject({ url: '/_security/stats', headers: admin() });
    expect(res.statusCode).toBe(200);
    const nodes = Object.values(res.json().nodes) as Array<Record<string, unknown>>;
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ roles: { dls: { bit_set_cache: { count: 0, memory_in_bytes: 0 } } } });
    expect(res.json()._nodes).toEqual({ total: 1, successful: 1, failed: 0 });
  });

  it('clears cached API keys', async () => {
    const key = (await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: admin(), payload: { name: 'k' } })).json();
    const headers = { authorization: `ApiKey ${key.encoded}` };
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(200);
    await t.ctx.store.apiKeys.invalidate([key.id], t.clock.now());
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(200);
    const clear = await t.app.inject({ method: 'POST', url: `/_security/api_key/${key.id}/_clear_cache`, headers: admin() });
    expect(clear.json()._nodes.failed).toBe(0);
    expect((await t.app.inject({ url: '/_security/_authenticate', headers })).statusCode).toBe(401);
  });
});
