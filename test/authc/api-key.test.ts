import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAuthenticator } from '../../src/authc/api-key.js';
import { parseAuthorization } from '../../src/authc/credentials.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { apiKeyAs, basicAs, createKey, type Created } from '../security/api-key-helpers.js';

describe('the ApiKey authenticator', () => {
  let t: TestApp;
  let key: Created;
  beforeAll(async () => {
    t = await buildTestApp();
    key = await createKey(t, basicAs(t), { name: 'authc', role_descriptors: { reader: { indices: [{ names: ['index-a*'], privileges: ['read'] }] } } });
  });
  afterAll(() => t.close());

  it('extracts only ApiKey credentials', () => {
    const authenticator = apiKeyAuthenticator({ apiKeys: t.ctx.apiKeys });
    expect(authenticator.name).toBe('API key');
    expect(authenticator.challenge).toBe('ApiKey');
    expect(authenticator.extract(parseAuthorization(`ApiKey ${key.encoded}`))).toBe(key.encoded);
    expect(authenticator.extract(parseAuthorization('Bearer abc'))).toBeNull();
    expect(authenticator.extract(parseAuthorization(t.basic()))).toBeNull();
  });

  it('returns the same immutable Authentication for repeated requests, so its permission is compiled once', async () => {
    const first = await t.ctx.apiKeys.authenticate(key.id, key.api_key);
    const second = await t.ctx.apiKeys.authenticate(key.id, key.api_key);
    expect(first.status).toBe('valid');
    expect(second).toEqual(first);
    if (first.status !== 'valid' || second.status !== 'valid') throw new Error('unreachable');
    expect(second.authentication).toBe(first.authentication);
    expect(Object.isFrozen(first.authentication)).toBe(true);
  });

  it('does not let a wrong secret ride on a cached key', async () => {
    await t.ctx.apiKeys.authenticate(key.id, key.api_key);
    const wrong = await t.ctx.apiKeys.authenticate(key.id, `${key.api_key.slice(0, -1)}x`);
    expect(wrong).toEqual({ status: 'failed', message: `invalid credentials for API key [${key.id}]` });
  });

  it('limits a key for index-a* read to what its descriptors grant: no cluster privileges, no other indices', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/user/_has_privileges',
      headers: apiKeyAs(key.encoded),
      payload: { cluster: ['monitor', 'manage_security'], index: [{ names: ['index-a1', 'index-b'], privileges: ['read'] }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      has_all_requested: false,
      cluster: { monitor: false, manage_security: false },
      index: { 'index-a1': { read: true }, 'index-b': { read: false } },
    });
    const create = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: apiKeyAs(key.encoded), payload: { name: 'x', role_descriptors: { n: {} } } });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.reason).toBe(
      `action [cluster:admin/xpack/security/api_key/create] is unauthorized for API key id [${key.id}] of user [elastic], this action is granted by the cluster privileges [manage_api_key,manage_security,all]`,
    );
  });

  it('sees an invalidation committed by another process on the next request', async () => {
    const other = await createKey(t, basicAs(t), { name: 'cross-process' });
    expect((await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(other.encoded) })).statusCode).toBe(200);
    const second = openSqliteStore(path.join(t.dir.path, 'esgate.db'));
    try {
      expect(await second.apiKeys.invalidate([other.id], t.clock.now())).toEqual([other.id]);
    } finally {
      await second.close();
    }
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(other.encoded) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.additional_unsuccessful_credentials).toBe('API key: api key has been invalidated');
  });
});

describe('API keys disabled', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ settings: { authc: { api_key: { enabled: false } } } });
  });
  afterAll(() => t.close());

  it('answers the API key routes with feature_not_enabled_exception', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: basicAs(t), payload: { name: 'k' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'feature_not_enabled_exception', reason: 'api keys are not enabled', 'disabled.feature': 'api_keys' });
  });

  it('treats ApiKey credentials as missing and leaves ApiKey out of the challenges', async () => {
    const res = await t.app.inject({ url: '/', headers: { authorization: `ApiKey ${Buffer.from('a:b').toString('base64')}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('missing authentication credentials for REST request [/]');
    expect([res.headers['www-authenticate']].flat()).not.toContain('ApiKey');
  });
});
