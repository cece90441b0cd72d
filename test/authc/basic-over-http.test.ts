import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const BASIC = 'Basic realm="security", charset="UTF-8"';
// With the token and API key services on (the defaults): Basic, Bearer, ApiKey (Elasticsearch's order).
const CHALLENGES = [BASIC, 'Bearer realm="security"', 'ApiKey'];

function securityError(reason: string, extra: Record<string, unknown> = {}) {
  const cause = { type: 'security_exception', reason, ...extra, header: { 'WWW-Authenticate': CHALLENGES } };
  return { error: { root_cause: [cause], ...cause }, status: 401 };
}

describe('Basic authentication over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'rdeniro', password: 'taxidriver', roles: ['logs_reader'], fullName: 'Robert De Niro' });
    await t.ctx.users.create({ username: 'disabled', password: 'taxidriver', roles: [], enabled: false });
  });
  afterAll(() => t.close());

  it('answers 401 with the missing-credentials body and a WWW-Authenticate header when no credentials are sent', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/idx?pretty' });
    expect(res.statusCode).toBe(401);
    expect([res.headers['www-authenticate']].flat()).toEqual(CHALLENGES);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual(securityError('missing authentication credentials for REST request [/idx?pretty]'));
    expect(t.upstream.requests).toHaveLength(0);
  });

  it.each([
    ['a wrong password', 'rdeniro', 'wrong-password'],
    ['an unknown user', 'nobody', 'taxidriver'],
    ['a disabled user', 'disabled', 'taxidriver'],
  ])('answers the same 401 for %s', async (_label, username, password) => {
    const res = await t.app.inject({ method: 'GET', url: '/_cluster/health', headers: { authorization: t.basic(username, password) } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(securityError(`unable to authenticate user [${username}] for REST request [/_cluster/health]`));
  });

  it('answers invalid header value when the decoded Basic value has no colon', async () => {
    const res = await t.app.inject({ url: '/', headers: { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(securityError('invalid basic authentication header value'));
  });

  it('answers invalid header encoding with the decoder message in caused_by for malformed base64', async () => {
    const res = await t.app.inject({ url: '/', headers: { authorization: 'Basic !!!!' } });
    expect(res.statusCode).toBe(401);
    const body = res.json();
    expect(body.error.reason).toBe('invalid basic authentication header encoding');
    expect(body.error.caused_by).toEqual({ type: 'illegal_argument_exception', reason: 'Illegal base64 character 21' });
  });

  it.each(['Digest abc', 'Token abc', 'ApiKey ', 'Basic'])('treats the unknown scheme %j as missing credentials', async (header) => {
    const res = await t.app.inject({ url: '/', headers: { authorization: header } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.reason).toBe('missing authentication credentials for REST request [/]');
  });

  it('matches the scheme prefix case-insensitively', async () => {
    const value = t.basic('rdeniro', 'taxidriver').replace('Basic', 'bAsIc');
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: value } });
    expect(res.statusCode).toBe(200);
  });

  it('reports the authenticated native user in _authenticate with Elasticsearch fields', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('rdeniro', 'taxidriver') } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(res.json()).toEqual({
      username: 'rdeniro',
      roles: ['logs_reader'],
      full_name: 'Robert De Niro',
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'realm',
    });
  });

  it('reports elastic in the reserved realm', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic() } });
    expect(res.json()).toMatchObject({ username: 'elastic', roles: ['superuser'], authentication_realm: { name: 'reserved', type: 'reserved' } });
  });
});
