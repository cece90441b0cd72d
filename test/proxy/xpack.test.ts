// GET /_xpack and /_xpack/usage answer as a secured cluster does: the upstream's info with security
// available and enabled (or esgate's own when the upstream has no _xpack), esgate's realms in usage.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const UPSTREAM_INFO = {
  build: { hash: 'abc', date: '2025-01-01T00:00:00.000Z' },
  license: { uid: 'u-1', type: 'basic', mode: 'basic', status: 'active' },
  features: { security: { available: true, enabled: false }, ml: { available: false, enabled: true } },
  tagline: 'You know, for X',
};

describe('GET /_xpack through esgate', () => {
  let t: TestApp;
  const send = (status: number, body: unknown) => {
    t.upstream.respond = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.roles.put('nothing', parseRoleDescriptor('nothing', { indices: [{ names: ['x'], privileges: ['read'] }] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'nobody', password: 'nobody-pw-1', roles: ['nothing'] });
  });
  beforeEach(() => {
    t.upstream.respond = null;
  });
  afterAll(() => t.close());

  it('answers the upstream’s info with security available and enabled, query string forwarded', async () => {
    send(200, UPSTREAM_INFO);
    const res = await t.app.inject({ url: '/_xpack?categories=features,license', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual({ ...UPSTREAM_INFO, features: { ...UPSTREAM_INFO.features, security: { available: true, enabled: true } } });
    const seen = t.upstream.requests.at(-1);
    expect(seen?.url).toBe('/_xpack?categories=features,license');
    expect(seen?.headers['authorization']).toBeUndefined();
  });

  it('answers an info of its own when the upstream has no _xpack (OpenSearch)', async () => {
    send(400, { error: 'no handler found for uri [/_xpack] and method [GET]' });
    const res = await t.app.inject({ url: '/_xpack', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ license: { type: 'basic', status: 'active' }, features: { security: { available: true, enabled: true } } });
    const only = await t.app.inject({ url: '/_xpack?categories=license', headers: { authorization: t.basic() } });
    expect(Object.keys(only.json())).toEqual(['license', 'tagline']);
  });

  it('adds esgate’s security usage to the upstream’s usage', async () => {
    send(200, { ml: { available: false, enabled: true }, security: { available: true, enabled: false } });
    const res = await t.app.inject({ url: '/_xpack/usage', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(200);
    expect(res.json().ml).toEqual({ available: false, enabled: true });
    expect(res.json().security).toMatchObject({
      available: true,
      enabled: true,
      realms: { native: { available: true, enabled: true, name: ['default_native'] } },
      api_key_service: { enabled: true },
      token_service: { enabled: true },
    });
  });

  it('needs monitor, as Elasticsearch', async () => {
    const res = await t.app.inject({ url: '/_xpack', headers: { authorization: t.basic('nobody', 'nobody-pw-1') } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toMatch(/^action \[cluster:monitor\/xpack\/info\] is unauthorized for user \[nobody\] with effective roles \[nothing\], this action is granted by the cluster privileges \[.*monitor.*\]$/);
  });
});
