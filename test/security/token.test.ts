import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, KNOWN_SECRETS } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const URL = '/_security/oauth2/token';
const CREATE = 'cluster:admin/xpack/security/token/create';
const CHALLENGES = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"'];
/** The API key service adds its own challenge last; these tests are about the other two. */
const besidesApiKey = (header: unknown) => [header].flat().filter((value) => value !== 'ApiKey');

describe('POST /_security/oauth2/token', () => {
  let t: TestApp;
  const post = (payload: unknown, authorization = t.basic()) =>
    t.app.inject({ method: 'POST', url: URL, headers: { authorization, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const bearer = (token: string, url = '/_security/_authenticate') => t.app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'test_admin', password: 'x-pack-test-password', roles: ['superuser'], fullName: 'Test Admin' });
  });
  afterAll(() => t.close());

  it('issues a password-grant access and refresh token for the user in the body', async () => {
    const res = await post({ grant_type: 'password', username: 'test_admin', password: 'x-pack-test-password' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'type', 'expires_in', 'refresh_token', 'authentication']);
    expect(body).toMatchObject({ type: 'Bearer', expires_in: 1200 });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.refresh_token).not.toBe(body.access_token);
    expect(body.authentication).toEqual({
      username: 'test_admin',
      roles: ['superuser'],
      full_name: 'Test Admin',
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'realm',
    });
  });

  it('authenticates a Bearer access token as its user with authentication_type token', async () => {
    const { access_token } = (await post({ grant_type: 'password', username: 'test_admin', password: 'x-pack-test-password' })).json();
    const res = await bearer(access_token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'test_admin', authentication_type: 'token', authentication_realm: { name: 'default_native' } });
  });

  it('issues a client_credentials token for the caller itself, without a refresh token', async () => {
    const res = await post({ grant_type: 'client_credentials' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'type', 'expires_in', 'authentication']);
    expect(body.authentication).toMatchObject({ username: 'elastic', authentication_realm: { name: 'reserved', type: 'reserved' } });
    expect((await bearer(body.access_token)).json()).toMatchObject({ username: 'elastic', authentication_type: 'token' });
  });

  it('answers scope "full" only when the request names a scope', async () => {
    const res = await post({ grant_type: 'client_credentials', scope: 'anything' });
    expect(Object.keys(res.json())).toEqual(['access_token', 'type', 'expires_in', 'scope', 'authentication']);
    expect(res.json().scope).toBe('full');
  });

  it('expires access tokens after authc.token.timeout with the token expired 401 and only the Bearer error challenge', async () => {
    const { access_token } = (await post({ grant_type: 'client_credentials' })).json();
    t.clock.advance(20 * 60_000);
    expect((await bearer(access_token)).statusCode).toBe(200);
    t.clock.advance(1);
    const res = await bearer(access_token, '/_cluster/health');
    expect(res.statusCode).toBe(401);
    const challenge = 'Bearer realm="security", error="invalid_token", error_description="The access token expired"';
    expect(res.headers['www-authenticate']).toBe(challenge);
    const cause = { type: 'security_exception', reason: 'token expired', header: { 'WWW-Authenticate': challenge } };
    expect(res.json()).toEqual({ error: { root_cause: [cause], ...cause }, status: 401 });
    expect(t.upstream.requests.some((r) => r.url === '/_cluster/health')).toBe(false);
  });

  it('answers 401 for wrong password-grant credentials, naming the create action', async () => {
    const res = await post({ grant_type: 'password', username: 'test_admin', password: 'not-the-password' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe(`unable to authenticate user [test_admin] for action [${CREATE}]`);
    expect(besidesApiKey(res.headers['www-authenticate'])).toEqual(CHALLENGES);
  });

  it('rejects _kerberos like a cluster without a Kerberos realm', async () => {
    const res = await post({ grant_type: '_kerberos', kerberos_ticket: 'YIIB6wYJKoZIhvcSAQICAQBuggHa' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe(`unable to authenticate user [<Kerberos Token>] for action [${CREATE}]`);
  });

  const grantTypes = '[password, _kerberos, refresh_token, client_credentials]';
  it.each([
    ['an unknown grant type', { grant_type: 'authorization_code' }, 'unsupported_grant_type', `Validation Failed: 1: grant_type only supports the values: ${grantTypes};`],
    ['a missing grant type', {}, 'unsupported_grant_type', `Validation Failed: 1: grant_type only supports the values: ${grantTypes};`],
    ['password without credentials', { grant_type: 'password' }, 'invalid_request', 'Validation Failed: 1: username is missing;2: password is missing;'],
    ['password with an empty password', { grant_type: 'password', username: 'u', password: '' }, 'invalid_request', 'Validation Failed: 1: password is missing;'],
    ['refresh_token without a token', { grant_type: 'refresh_token' }, 'invalid_request', 'Validation Failed: 1: refresh_token is missing;'],
    [
      'password with a refresh token',
      { grant_type: 'password', username: 'u', password: 'p', refresh_token: 'r' },
      'unsupported_grant_type',
      'Validation Failed: 1: refresh_token is not supported with the password grant_type;',
    ],
    [
      'client_credentials with credentials',
      { grant_type: 'client_credentials', username: 'u', password: 'p' },
      'unsupported_grant_type',
      'Validation Failed: 1: username is not supported with the client_credentials grant_type;2: password is not supported with the client_credentials grant_type;',
    ],
    ['_kerberos without a ticket', { grant_type: '_kerberos' }, 'invalid_request', 'Validation Failed: 1: kerberos_ticket is missing;'],
  ])('answers an OAuth2 400 for %s', async (_label, payload, error, description) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual({ error, error_description: description });
  });

  it('answers x_content_parse_exception for an unknown field, at its position', async () => {
    const res = await post({ grant_type: 'client_credentials', x: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'x_content_parse_exception', reason: '[1:36] [token_request] unknown field [x]' });
  });

  it('answers x_content_parse_exception for a field of the wrong type', async () => {
    const res = await post({ grant_type: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toBe("[1:2] [token_request] grant_type doesn't support values of type: VALUE_NUMBER");
  });

  it('answers parse_exception when the body is missing', async () => {
    const res = await t.app.inject({ method: 'POST', url: URL, headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'parse_exception', reason: 'request body is required' });
  });

  it('authenticates a Bearer token given in es-secondary-authorization', async () => {
    const { access_token } = (await post({ grant_type: 'password', username: 'test_admin', password: 'x-pack-test-password' })).json();
    const ok = await t.app.inject({ url: '/', headers: { authorization: t.basic(), 'es-secondary-authorization': `Bearer ${access_token}` } });
    expect(ok.statusCode).toBe(200);
    const bad = await t.app.inject({ url: '/', headers: { authorization: t.basic(), 'es-secondary-authorization': 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.reason).toBe('Failed to authenticate secondary user');
  });

  it('lists the Bearer challenge after Basic in 401 answers', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(401);
    const challenges = [res.headers['www-authenticate']].flat();
    expect(besidesApiKey(challenges)).toEqual(CHALLENGES);
    expect(challenges.slice(0, 2)).toEqual(CHALLENGES);
  });

  it('keeps passwords and tokens out of log lines and error bodies', async () => {
    await t.ctx.users.create({ username: 'secret_user', password: KNOWN_SECRETS.userPassword, roles: [] });
    const ok = await post({ grant_type: 'password', username: 'secret_user', password: KNOWN_SECRETS.userPassword });
    const { access_token, refresh_token } = ok.json();
    const wrong = await post({ grant_type: 'password', username: 'secret_user', password: KNOWN_SECRETS.wrongPassword });
    const badRefresh = await post({ grant_type: 'refresh_token', refresh_token: KNOWN_SECRETS.wrongPassword });
    await post({ grant_type: 'refresh_token', refresh_token });
    await bearer(access_token);
    const secrets = [...Object.values(KNOWN_SECRETS), access_token, refresh_token];
    expectNoSecrets(t.logs.text(), secrets);
    expectNoSecrets(wrong.body + badRefresh.body, secrets);
    expectNoSecrets(ok.body, Object.values(KNOWN_SECRETS));
  });

  it('answers 403 to a caller without manage_token, and issues tokens to one with it', async () => {
    await t.ctx.users.create({ username: 'no_roles', password: 'no-roles-password', roles: [] });
    const denied = await post({ grant_type: 'client_credentials' }, t.basic('no_roles', 'no-roles-password'));
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.reason).toBe(
      `action [${CREATE}] is unauthorized for user [no_roles] with effective roles [], this action is granted by the cluster privileges [manage_token,manage_security,all]`,
    );
    const { parseRoleDescriptor } = await import('../../src/services/role-descriptor.js');
    await t.ctx.roles.put('token_client', parseRoleDescriptor('token_client', { cluster: ['manage_token'] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'web_frontend', password: 'frontend-password', roles: ['token_client'] });
    const allowed = await post({ grant_type: 'password', username: 'test_admin', password: 'x-pack-test-password' }, t.basic('web_frontend', 'frontend-password'));
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().authentication.username).toBe('test_admin');
  });
});

describe('the token API with authc.token.enabled false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ settings: { authc: { token: { enabled: false } } } });
  });
  afterAll(() => t.close());

  it('answers feature_not_enabled_exception and leaves Bearer out of the challenges', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: URL,
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: '{"grant_type":"client_credentials"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'feature_not_enabled_exception', reason: 'security tokens are not enabled', 'disabled.feature': 'security_tokens' });
    const anonymous = await t.app.inject({ url: '/' });
    expect(besidesApiKey(anonymous.headers['www-authenticate'])).toEqual([CHALLENGES[0]]);
  });
});
