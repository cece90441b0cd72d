// Found by the review of the merged auth surfaces: the ECE login's JWT carried its access token in
// clear as `jti`. Anyone who saw the JWT could present that value as a plain Bearer token, which the
// password binding did not cover: it kept working after the password change that revoked the JWT.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.inject({ method: 'PUT', url: '/_security/user/bob', headers: { authorization: t.basic() }, payload: { password: 'bob-Secret-1', roles: ['viewer'] } });
});
afterAll(() => t.close());

const bearer = (token: string) => t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } });

describe('the JWT of the ECE login', () => {
  it('does not carry a usable credential in its payload, and is revoked whole by a password change', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/users/auth/_login', payload: { username: 'bob', password: 'bob-Secret-1' } });
    const jwt = login.json().token as string;
    const { jti } = decodeJwt(jwt);
    expect(typeof jti).toBe('string');
    expect((await bearer(jwt)).statusCode).toBe(200);
    expect((await bearer(jti as string)).statusCode).toBe(401);
    await t.app.inject({ method: 'POST', url: '/_security/user/bob/_password', headers: { authorization: t.basic() }, payload: { password: 'bob-Secret-2' } });
    expect((await bearer(jwt)).statusCode).toBe(401);
    expect((await bearer(jti as string)).statusCode).toBe(401);
  });
});
