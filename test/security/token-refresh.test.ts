import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const URL = '/_security/oauth2/token';

describe('the refresh_token grant', () => {
  let t: TestApp;
  let client: string;
  const post = (payload: unknown, authorization = client) =>
    t.app.inject({ method: 'POST', url: URL, headers: { authorization, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const passwordGrant = async () =>
    (await post({ grant_type: 'password', username: 'test_user', password: 'user-password' })).json() as { access_token: string; refresh_token: string };
  const refresh = (refreshToken: string, authorization = client) => post({ grant_type: 'refresh_token', refresh_token: refreshToken }, authorization);
  const authenticate = (token: string) => t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } });
  const invalidGrant = (description: string) => ({ error: 'invalid_grant', error_description: description });

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'kibana_service', password: 'service-password', roles: ['superuser'] });
    await t.ctx.users.create({ username: 'other_client', password: 'other-password', roles: ['superuser'] });
    await t.ctx.users.create({ username: 'test_user', password: 'user-password', roles: ['viewer'] });
    client = t.basic('kibana_service', 'service-password');
  });
  afterAll(() => t.close());

  it('issues a new access and refresh token for the original user, with authentication_type token', async () => {
    const first = await passwordGrant();
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'type', 'expires_in', 'refresh_token', 'authentication']);
    expect(body.access_token).not.toBe(first.access_token);
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(body.authentication).toMatchObject({ username: 'test_user', roles: ['viewer'], authentication_type: 'token' });
    expect((await authenticate(body.access_token)).json()).toMatchObject({ username: 'test_user', authentication_type: 'token' });
  });

  it('keeps the old access token valid until its own expiry', async () => {
    const first = await passwordGrant();
    await refresh(first.refresh_token);
    expect((await authenticate(first.access_token)).statusCode).toBe(200);
  });

  it('answers a repeat within 30 seconds with the same new pair, and invalid_grant after', async () => {
    const first = await passwordGrant();
    const a = (await refresh(first.refresh_token)).json();
    t.clock.advance(30_000);
    const b = await refresh(first.refresh_token);
    expect(b.statusCode).toBe(200);
    expect([b.json().access_token, b.json().refresh_token]).toEqual([a.access_token, a.refresh_token]);
    t.clock.advance(1);
    const late = await refresh(first.refresh_token);
    expect(late.statusCode).toBe(400);
    expect(late.json()).toEqual(invalidGrant('token has already been refreshed more than 30 seconds in the past'));
  });

  it('gives 50 parallel refreshes of one refresh token exactly one new pair, all 200', async () => {
    const first = await passwordGrant();
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(first.refresh_token)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    const pairs = new Set(results.map((r) => `${r.json().access_token} ${r.json().refresh_token}`));
    expect(pairs.size).toBe(1);
    const [pair] = [...pairs];
    const [access, next] = (pair as string).split(' ') as [string, string];
    expect((await authenticate(access)).statusCode).toBe(200);
    // The new refresh token is itself refreshable once.
    expect((await refresh(next)).statusCode).toBe(200);
  });

  it('refuses a refresh by another client than the one that obtained the token', async () => {
    const first = await passwordGrant();
    const res = await refresh(first.refresh_token, t.basic('other_client', 'other-password'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(invalidGrant('tokens must be refreshed by the creating client'));
    expect((await refresh(first.refresh_token)).statusCode).toBe(200);
  });

  it('refuses a refresh token more than 24 hours after its creation', async () => {
    const first = await passwordGrant();
    t.clock.advance(24 * 3_600_000 + 1);
    const res = await refresh(first.refresh_token);
    expect(res.json()).toEqual(invalidGrant('token document has expired'));
  });

  it('still refreshes just inside the 24 hours, long after the access token expired', async () => {
    const first = await passwordGrant();
    t.clock.advance(24 * 3_600_000);
    expect((await authenticate(first.access_token)).statusCode).toBe(401);
    expect((await refresh(first.refresh_token)).statusCode).toBe(200);
  });

  it('refuses an invalidated refresh token', async () => {
    const first = await passwordGrant();
    const del = await t.app.inject({
      method: 'DELETE',
      url: URL,
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: JSON.stringify({ refresh_token: first.refresh_token }),
    });
    expect(del.json()).toEqual({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
    expect((await refresh(first.refresh_token)).json()).toEqual(invalidGrant('token has been invalidated'));
  });

  it.each([
    ['an unknown refresh token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed refresh token', 'not a token'],
  ])('answers could not refresh the requested token for %s', async (_label, token) => {
    const res = await refresh(token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(invalidGrant('could not refresh the requested token'));
  });

  it('does not accept an access token as a refresh token', async () => {
    const first = await passwordGrant();
    expect((await refresh(first.access_token)).json()).toEqual(invalidGrant('could not refresh the requested token'));
  });

  it('treats the run-as user as the creating client, as Elasticsearch compares effective subjects', async () => {
    await t.ctx.roles.put('impersonator', parseRoleDescriptor('impersonator', { run_as: ['kibana_service'] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'proxy_svc', password: 'proxy-password', roles: ['impersonator', 'superuser'] });
    const proxy = t.basic('proxy_svc', 'proxy-password');
    const asKibana = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: proxy, 'es-security-runas-user': 'kibana_service', 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    const created = (await asKibana({ grant_type: 'password', username: 'test_user', password: 'user-password' })).json();
    expect((await refresh(created.refresh_token, proxy)).json()).toEqual(invalidGrant('tokens must be refreshed by the creating client'));
    expect((await refresh(created.refresh_token)).statusCode).toBe(200);
    // client_credentials under run-as: a token for the run-as user, in that user's realm.
    const own = (await asKibana({ grant_type: 'client_credentials' })).json();
    const me = (await authenticate(own.access_token)).json();
    expect(me).toMatchObject({ username: 'kibana_service', authentication_realm: { name: 'default_native' }, authentication_type: 'token' });
  });

  it('refuses to refresh the tokens of a user that was disabled since', async () => {
    await t.ctx.users.create({ username: 'leaver', password: 'leaver-password', roles: [] });
    const first = (await post({ grant_type: 'password', username: 'leaver', password: 'leaver-password' })).json();
    await t.ctx.users.setEnabled('leaver', false);
    expect((await refresh(first.refresh_token)).json()).toEqual(invalidGrant('could not refresh the requested token'));
  });
});
