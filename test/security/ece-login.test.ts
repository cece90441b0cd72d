// The ECE login's JWT: issued for a username and password, verifiable by anyone with the JWKS,
// accepted as a Bearer token like an access token, expiring and revoked like one, and also revoked
// by a password change; signing keys rotate (by the CLI, seen by the running app) without breaking
// live JWTs.
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../cli/support.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('ECE login', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
    await t.app.inject({ method: 'PUT', url: '/_security/user/bob', headers: { authorization: t.basic() }, payload: { password: 'bob-Secret-1', roles: ['viewer'] } });
  });
  afterEach(() => t.close());

  const login = async (username = 'bob', password = 'bob-Secret-1') => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', payload: { username, password } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().token as string;
  };
  const whoami = (token: string) => t.app.inject({ method: 'GET', url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } });
  const jwks = async () => (await t.app.inject({ method: 'GET', url: '/_esgate/jwks.json' })).json() as JSONWebKeySet;

  it('answers {"token": JWT} that anyone can verify with the published JWKS', async () => {
    const token = await login();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), { issuer: 'esgate', currentDate: new Date(t.clock.now()) });
    expect(payload.sub).toBe('bob');
    expect((payload.exp as number) - (payload.iat as number)).toBe(20 * 60);
    const keys = await jwks();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).not.toHaveProperty('d');
  });

  it('is accepted as a Bearer token on every API; _authenticate reports a token authentication', async () => {
    const token = await login();
    const me = await whoami(token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'bob', roles: ['viewer'], authentication_type: 'token' });
    const proxied = await t.app.inject({ method: 'GET', url: '/logs/_search', headers: { authorization: `Bearer ${token}` } });
    expect(proxied.statusCode).toBe(200);
    expect(t.upstream.requests.at(-1)?.headers['authorization']).toBeUndefined();
  });

  it('refuses a wrong password with ECE\'s 401 and a bad body with 400', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', payload: { username: 'bob', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['x-cloud-error-codes']).toBe('root.unauthenticated');
    expect(wrong.json()).toEqual({ errors: [{ code: 'root.unauthenticated', message: 'The supplied authentication is invalid' }] });
    for (const payload of [{ username: 'bob' }, { username: 'bob', password: 'bob-Secret-1', login_state: { path: '/' } }, []]) {
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', payload });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].code).toBe('root.invalid_json_request');
    }
    expect(wrong.body).not.toContain('nope-nope');
    // Unparseable JSON is refused before the handler, in Elasticsearch's shape (README: differences).
    const garbled = await t.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().status).toBe(400);
  });

  it('expires with the access token it stands for', async () => {
    const token = await login();
    t.clock.advance(20 * 60_000 + 1000);
    expect((await whoami(token)).statusCode).toBe(401);
  });

  it('is revoked through the token API, by the JWT itself or by user', async () => {
    const first = await login();
    const gone = await t.app.inject({ method: 'DELETE', url: '/_security/oauth2/token', headers: { authorization: t.basic() }, payload: { token: first } });
    expect(gone.json()).toMatchObject({ invalidated_tokens: 1 });
    expect((await whoami(first)).statusCode).toBe(401);
    const second = await login();
    await t.app.inject({ method: 'DELETE', url: '/_security/oauth2/token', headers: { authorization: t.basic() }, payload: { username: 'bob' } });
    expect((await whoami(second)).statusCode).toBe(401);
  });

  it('is revoked when the user is disabled, changes password or is deleted', async () => {
    const admin = { authorization: t.basic() };
    const disabled = await login();
    await t.app.inject({ method: 'PUT', url: '/_security/user/bob/_disable', headers: admin });
    expect((await whoami(disabled)).statusCode).toBe(401);
    await t.app.inject({ method: 'PUT', url: '/_security/user/bob/_enable', headers: admin });

    const beforeChange = await login();
    await t.app.inject({ method: 'POST', url: '/_security/user/bob/_password', headers: admin, payload: { password: 'bob-Secret-2' } });
    expect((await whoami(beforeChange)).statusCode).toBe(401);

    const beforeDelete = await login('bob', 'bob-Secret-2');
    expect((await whoami(beforeDelete)).statusCode).toBe(200);
    await t.app.inject({ method: 'DELETE', url: '/_security/user/bob', headers: admin });
    // Re-created with the same password: a new user, and the old JWT stays dead.
    await t.app.inject({ method: 'PUT', url: '/_security/user/bob', headers: admin, payload: { password: 'bob-Secret-2', roles: ['viewer'] } });
    expect((await whoami(beforeDelete)).statusCode).toBe(401);
  });

  it('refuses JWTs it did not sign, tampered ones and alg none', async () => {
    const token = await login();
    const claims = decodeJwt(token);
    const { kid } = decodeProtectedHeader(token);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: kid as string }).sign(privateKey);
    expect((await whoami(forged)).statusCode).toBe(401);
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'elastic' })).toString('base64url')}.${signature}`;
    expect((await whoami(tampered)).statusCode).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${token.split('.')[1]}.`;
    expect((await whoami(none)).statusCode).toBe(401);
    // Algorithm confusion: an HMAC "signed" with the published public key.
    const published = JSON.stringify((await jwks()).keys[0]);
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: kid as string }).sign(new TextEncoder().encode(published));
    expect((await whoami(confused)).statusCode).toBe(401);
  });

  it('rotates keys with `esgate keys rotate`: live JWTs keep working, new ones use the new key', async () => {
    const before = await login();
    const oldKid = decodeProtectedHeader(before).kid;
    const run = await cli(t.dir.path, ['keys', 'rotate']);
    expect(run.code, run.stderr).toBe(0);
    const newKid = /new signing key: (\S+)/.exec(run.stdout)?.[1];
    expect(newKid).toBeDefined();
    expect(newKid).not.toBe(oldKid);
    const after = await login();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
    expect((await whoami(before)).statusCode).toBe(200);
    expect((await whoami(after)).statusCode).toBe(200);
    const listed = await cli(t.dir.path, ['keys', 'list']);
    expect(listed.stdout.trim().split('\n')).toEqual([newKid, oldKid]);
  });

  it('reloads the keys for an unknown kid at most once a second', async () => {
    const token = await login();
    const claims = decodeJwt(token);
    const { privateKey } = await generateKeyPair('ES256');
    const list = vi.spyOn(t.ctx.store.signingKeys, 'list');
    for (let i = 0; i < 20; i++) {
      const bogus = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: `bogus-${i}` }).sign(privateKey);
      expect((await whoami(bogus)).statusCode).toBe(401);
    }
    expect(list.mock.calls.length).toBeLessThanOrEqual(1);
    expect((await whoami(token)).statusCode).toBe(200);
  });

  it('is not served when console.ece_login is false', async () => {
    const off = await buildTestApp({ settings: { console: { ece_login: false } } });
    try {
      const response = await off.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', payload: { username: 'elastic', password: off.password } });
      expect(response.statusCode).toBe(401);
    } finally {
      await off.close();
    }
  });
});
