import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const CHALLENGES = ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"'];

/** Every enabled scheme's challenge (the API key service may add "ApiKey" after these). */
function invalidTokenBody(challenges: unknown) {
  const cause = {
    type: 'security_exception',
    reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
    additional_unsuccessful_credentials: 'oauth2 token: invalid token',
    header: { 'WWW-Authenticate': challenges },
  };
  return { error: { root_cause: [cause], ...cause }, status: 401 };
}

describe('Bearer authentication', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    // Anonymous access on: a failed Bearer token must still not fall back to it.
    t = await buildTestApp({ settings: { authc: { anonymous: { roles: ['viewer'] } } } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/oauth2/token',
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: '{"grant_type":"client_credentials"}',
    });
    token = res.json().access_token;
  });
  afterAll(() => t.close());

  it('authenticates a valid token and forwards the request without the client credentials', async () => {
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const forwarded = t.upstream.requests.at(-1);
    expect(forwarded?.url).toBe('/_cluster/health');
    expect(forwarded?.headers.authorization).toBeUndefined();
  });

  it('matches the Bearer prefix case-insensitively', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `bEaReR ${token}` } });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['an unknown token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed token', 'dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu=='],
    ['a token with a character outside the alphabet', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!'],
  ])('answers 401 naming "oauth2 token: invalid token" for %s, without anonymous fallback', async (_label, value) => {
    const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: `Bearer ${value}` } });
    expect(res.statusCode).toBe(401);
    const challenges = [res.headers['www-authenticate']].flat();
    expect(challenges.slice(0, 2)).toEqual(CHALLENGES);
    expect(challenges).toEqual(t.ctx.chain.challenges['WWW-Authenticate']);
    expect(res.json()).toEqual(invalidTokenBody(challenges));
  });

  it('keeps the token value out of the log lines', async () => {
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: `Bearer ${token}` } });
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(t.logs.text()).not.toContain(token);
    expect(t.logs.lines.some((line) => line['scheme'] === 'bearer' && line['user'] === 'elastic')).toBe(true);
  });
});
