// GET /_security/api_key?owner=true&with_limited_by=true and _query/api_key?with_limited_by=true
// were refused to a user with manage_own_api_key; Elasticsearch refuses with_limited_by under
// manage_own_api_key only to a caller authenticated by an API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { apiKeyAs, basicAs, createKey, userWithRole, type Created } from '../security/api-key-helpers.js';

describe('regression: manage_own_api_key may read its own keys with limited_by', () => {
  let t: TestApp;
  let own: Created;

  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'], indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    own = await createKey(t, basicAs(t, 'owner'), { name: 'mine' });
    await createKey(t, basicAs(t), { name: 'elastic-key' });
  });
  afterAll(() => t.close());

  it('answers GET ?owner=true&with_limited_by=true with the owner’s role snapshot', async () => {
    const res = await t.app.inject({ url: '/_security/api_key?owner=true&with_limited_by=true', headers: basicAs(t, 'owner') });
    expect(res.statusCode).toBe(200);
    const keys = res.json().api_keys as Array<Record<string, unknown>>;
    expect(keys.map((k) => k['id'])).toEqual([own.id]);
    expect(keys[0]?.['limited_by']).toEqual([
      { own_keys: { cluster: ['manage_own_api_key'], indices: [{ names: ['logs-*'], privileges: ['read'], allow_restricted_indices: false }], applications: [], run_as: [], metadata: {}, transient_metadata: { enabled: true } } },
    ]);
  });

  it('answers _query/api_key?with_limited_by=true with only the caller’s keys', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key?with_limited_by=true', headers: basicAs(t, 'owner'), payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().api_keys.map((k: { name: string }) => k.name)).toEqual(['mine']);
    expect(res.json().api_keys[0].limited_by).toHaveLength(1);
  });

  it('still refuses with_limited_by to an API key with manage_own_api_key', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key?with_limited_by=true', headers: apiKeyAs(own.encoded), payload: {} });
    expect(res.statusCode).toBe(403);
    const self = await t.app.inject({ url: `/_security/api_key?id=${own.id}&with_limited_by=true`, headers: apiKeyAs(own.encoded) });
    expect(self.statusCode).toBe(403);
  });
});
