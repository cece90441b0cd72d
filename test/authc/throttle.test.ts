// Brute-force protection over HTTP with a fixed clock: per (username, address) and per address,
// 429 with Retry-After and no argon2 while blocked, backoff, decay, other addresses unaffected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationThrottle } from '../../src/authc/throttle.js';
import { fixedClock } from '../support/fixed-clock.js';
import { KNOWN_SECRETS } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const LIMITS = { max_failures_per_user: 3, max_failures_per_address: 5, window: '5m', block: '1m', max_block: '4m', tarpit: 0 };
const MINUTE = 60_000;

describe('authc.throttle over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({ settings: { authc: { throttle: LIMITS } } });
    await t.ctx.users.create({ username: 'bob', password: KNOWN_SECRETS.userPassword, roles: ['superuser'] });
  });
  afterEach(() => t.close());

  const login = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic(username, password) }, remoteAddress });
  const fail = async (username: string, remoteAddress: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await login(username, KNOWN_SECRETS.wrongPassword, remoteAddress)).statusCode).toBe(401);
  };

  it('answers 429 with Retry-After and an Elasticsearch-shaped body once a (user, address) passes its limit, without running argon2', async () => {
    await fail('bob', '10.0.0.1', 3);
    const before = t.ctx.hasher.verifications;
    const blocked = await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    // As Elasticsearch renders an exception's headers: under `header` in the error body too.
    expect(blocked.json()).toMatchObject({
      error: {
        root_cause: [{ type: 'security_exception', reason: 'too many failed authentication attempts for user [bob] from [10.0.0.1]; retry in [60s]' }],
        type: 'security_exception',
        reason: 'too many failed authentication attempts for user [bob] from [10.0.0.1]; retry in [60s]',
      },
      status: 429,
    });
    for (let i = 0; i < 20; i++) expect((await login('bob', KNOWN_SECRETS.wrongPassword, '10.0.0.1')).statusCode).toBe(429);
    expect(t.ctx.hasher.verifications).toBe(before);
  });

  it('does not lock out the same user from another address, nor another user from the same address', async () => {
    await fail('bob', '10.0.0.1', 3);
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.2')).statusCode).toBe(200);
    expect((await login('elastic', t.password, '10.0.0.1')).statusCode).toBe(200);
  });

  it('lifts the block by itself, doubles it on a repeat (up to max_block), and decays strikes over quiet windows', async () => {
    await t.close();
    t = await buildTestApp({ settings: { authc: { throttle: { ...LIMITS, max_failures_per_address: 1000 } } } });
    await t.ctx.users.create({ username: 'bob', password: KNOWN_SECRETS.userPassword, roles: ['superuser'] });
    await fail('bob', '10.0.0.1', 3);
    t.clock.advance(MINUTE + 1);
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1')).statusCode).toBe(200);
    await fail('bob', '10.0.0.1', 3);
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1')).headers['retry-after']).toBe('120');
    t.clock.advance(2 * MINUTE + 1);
    await fail('bob', '10.0.0.1', 3);
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1')).headers['retry-after']).toBe('240');
    t.clock.advance(4 * MINUTE + 1);
    await fail('bob', '10.0.0.1', 3);
    // Capped at max_block.
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1')).headers['retry-after']).toBe('240');
    // Each quiet window takes one of the four strikes away: after four, the next block is the first one's length again.
    t.clock.advance(4 * MINUTE + 1 + 4 * 5 * MINUTE);
    await fail('bob', '10.0.0.1', 3);
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.1')).headers['retry-after']).toBe('60');
  });

  it('blocks an address that fails for many usernames; other addresses keep working', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await fail(name, '10.0.0.9', 1);
    const blocked = await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.reason).toBe('too many failed authentication attempts from [10.0.0.9]; retry in [60s]');
    expect((await login('bob', KNOWN_SECRETS.userPassword, '10.0.0.10')).statusCode).toBe(200);
  });

  it('never locks elastic out for good', async () => {
    await fail('elastic', '10.0.0.1', 3);
    expect((await login('elastic', t.password, '10.0.0.1')).statusCode).toBe(429);
    t.clock.advance(MINUTE + 1);
    expect((await login('elastic', t.password, '10.0.0.1')).statusCode).toBe(200);
  });

  it('throttles the password grant of the token API too', async () => {
    await fail('bob', '10.0.0.1', 3);
    const res = await t.app.inject({
      method: 'POST',
      url: '/_security/oauth2/token',
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: { grant_type: 'password', username: 'bob', password: KNOWN_SECRETS.userPassword },
      remoteAddress: '10.0.0.1',
    });
    expect(res.statusCode).toBe(429);
  });

  it('holds a refused attempt for authc.throttle.tarpit before its 429', async () => {
    await t.close();
    t = await buildTestApp({ settings: { authc: { throttle: { ...LIMITS, tarpit: '300ms' } } } });
    for (let i = 0; i < 3; i++) await login('elastic', KNOWN_SECRETS.wrongPassword, '10.0.0.1');
    const started = performance.now();
    expect((await login('elastic', t.password, '10.0.0.1')).statusCode).toBe(429);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('counts by the forwarded client address behind a trusted proxy', async () => {
    await t.close();
    t = await buildTestApp({ settings: { authc: { throttle: LIMITS }, http: { trusted_proxies: ['127.0.0.1'] } } });
    const through = (address: string, password: string) =>
      t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('elastic', password), 'x-forwarded-for': address }, remoteAddress: '127.0.0.1' });
    for (let i = 0; i < 3; i++) await through('192.0.2.1', KNOWN_SECRETS.wrongPassword);
    expect((await through('192.0.2.1', t.password)).statusCode).toBe(429);
    expect((await through('192.0.2.2', t.password)).statusCode).toBe(200);
  });
});

describe('AuthenticationThrottle memory', () => {
  it('tracks at most max_tracked sources of each kind', () => {
    const throttle = new AuthenticationThrottle(
      { enabled: true, max_failures_per_user: 3, max_failures_per_address: 5, window: 300_000, block: 60_000, max_block: 240_000, max_tracked: 100, tarpit: 0 },
      fixedClock(),
    );
    for (let i = 0; i < 5000; i++) throttle.recordFailure(`user-${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.tracked).toBe(200);
  });

  it('does nothing when disabled', () => {
    const throttle = new AuthenticationThrottle(
      { enabled: false, max_failures_per_user: 1, max_failures_per_address: 1, window: 300_000, block: 60_000, max_block: 240_000, max_tracked: 100, tarpit: 0 },
      fixedClock(),
    );
    throttle.recordFailure('bob', '10.0.0.1');
    expect(throttle.refusal('bob', '10.0.0.1')).toBeNull();
    expect(throttle.tracked).toBe(0);
  });
});
