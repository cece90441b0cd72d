// Fill the credential cache over HTTP, change the user somewhere else, and the very next request
// sees the change (Kong's 04-invalidations_spec, for esgate's users).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createContext, type AppContext } from '../../src/context.js';
import { cli } from '../cli/support.js';
import { logSink } from '../support/log-sink.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'invalidation-Secret-1';
const NEW_PASSWORD = 'invalidation-Secret-2';

describe('credential cache invalidation', () => {
  let t: TestApp;
  let verify: ReturnType<typeof vi.spyOn>;
  let realVerify: AppContext['hasher']['verify'];
  const others: AppContext[] = [];

  beforeEach(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'alice', password: PASSWORD, roles: ['reader'] });
    realVerify = t.ctx.hasher.verify.bind(t.ctx.hasher);
    verify = vi.spyOn(t.ctx.hasher, 'verify');
  });
  afterEach(async () => {
    for (const ctx of others.splice(0)) await ctx.store.close();
    verify.mockRestore();
    await t.close();
  });

  const authenticate = (password = PASSWORD, username = 'alice') =>
    t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic(username, password) } });

  /** Authenticates twice: the first verifies with argon2, the second is served from the cache. */
  async function fillCache(): Promise<void> {
    expect((await authenticate()).statusCode).toBe(200);
    expect((await authenticate()).statusCode).toBe(200);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockClear();
  }

  /** Another esgate process (the security API on another instance) on the same data dir. */
  function otherProcess(): AppContext {
    const config = loadConfig({ env: {}, cwd: t.dir.path, overrides: { data_dir: t.dir.path, logging: { level: 'warn' } } });
    const ctx = createContext({ config, logDestination: logSink() });
    others.push(ctx);
    return ctx;
  }

  describe('by the CLI in another connection', () => {
    it('rejects the old password on the very next request after users passwd', async () => {
      await fillCache();
      expect((await cli(t.dir.path, ['users', 'passwd', 'alice', '-p', NEW_PASSWORD])).code).toBe(0);
      expect((await authenticate()).statusCode).toBe(401);
      expect((await authenticate(NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('rejects the old password on the very next request after reset-password', async () => {
      await fillCache();
      expect((await cli(t.dir.path, ['reset-password', '-u', 'alice', '-b'])).code).toBe(0);
      expect((await authenticate()).statusCode).toBe(401);
    });

    it('rejects a deleted user on the very next request after users userdel', async () => {
      await fillCache();
      expect((await cli(t.dir.path, ['users', 'userdel', 'alice'])).code).toBe(0);
      const res = await authenticate();
      expect(res.statusCode).toBe(401);
      expect(res.json().error.reason).toBe('unable to authenticate user [alice] for REST request [/_security/_authenticate]');
    });

    it('reports the new roles on the very next request after users roles', async () => {
      await fillCache();
      expect((await cli(t.dir.path, ['users', 'roles', 'alice', '-a', 'writer', '-r', 'reader'])).code).toBe(0);
      const res = await authenticate();
      expect(res.statusCode).toBe(200);
      expect(res.json().roles).toEqual(['writer']);
    });

    it('rejects a user disabled by another process on the very next request', async () => {
      await fillCache();
      expect(await otherProcess().users.setEnabled('alice', false)).toBe(true);
      expect((await authenticate()).statusCode).toBe(401);
    });
  });

  describe('through ctx.users in the same process', () => {
    it('rejects the old password after changePassword', async () => {
      await fillCache();
      await t.ctx.users.changePassword('alice', NEW_PASSWORD);
      expect((await authenticate()).statusCode).toBe(401);
      expect((await authenticate(NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('rejects a disabled user, and accepts it again once enabled', async () => {
      await fillCache();
      await t.ctx.users.setEnabled('alice', false);
      expect((await authenticate()).statusCode).toBe(401);
      await t.ctx.users.setEnabled('alice', true);
      expect((await authenticate()).statusCode).toBe(200);
    });

    it('rejects a deleted user', async () => {
      await fillCache();
      await t.ctx.users.delete('alice');
      expect((await authenticate()).statusCode).toBe(401);
    });

    it('reports new roles', async () => {
      await fillCache();
      await t.ctx.users.setRoles('alice', ['writer']);
      expect((await authenticate()).json().roles).toEqual(['writer']);
    });

    it('keeps other users cached when one user changes', async () => {
      await t.ctx.users.create({ username: 'bob', password: PASSWORD, roles: [] });
      await fillCache();
      expect((await authenticate(PASSWORD, 'bob')).statusCode).toBe(200);
      verify.mockClear();
      await t.ctx.users.changePassword('alice', NEW_PASSWORD);
      expect((await authenticate(PASSWORD, 'bob')).statusCode).toBe(200);
      expect(verify).not.toHaveBeenCalled();
    });

    it('does not let a verification that was running during a password change re-cache the old password', async () => {
      // Hold the first argon2 run until the password has changed underneath it.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      verify.mockImplementationOnce(async (...args: Parameters<AppContext['hasher']['verify']>) => {
        const result = await realVerify(...args);
        await gate;
        return result;
      });
      const inFlight = authenticate();
      await vi.waitFor(() => expect(verify).toHaveBeenCalledTimes(1), { timeout: 5000 });
      await t.ctx.users.changePassword('alice', NEW_PASSWORD);
      release();
      // The request that started before the change may still pass, as in Elasticsearch…
      expect((await inFlight).statusCode).toBe(200);
      // …but the old password is not remembered: the next request is checked against the new hash.
      expect((await authenticate()).statusCode).toBe(401);
    });
  });

  describe('through the user APIs over HTTP', () => {
    const admin = () => ({ authorization: t.basic(), 'content-type': 'application/json' });

    it('rejects the old password on the next request after PUT /_security/user/{name}/_password', async () => {
      await fillCache();
      const res = await t.app.inject({ method: 'PUT', url: '/_security/user/alice/_password', headers: admin(), payload: { password: NEW_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect((await authenticate()).statusCode).toBe(401);
      expect((await authenticate(NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('rejects the user on the next request after _disable, and after DELETE', async () => {
      await fillCache();
      expect((await t.app.inject({ method: 'PUT', url: '/_security/user/alice/_disable', headers: admin() })).statusCode).toBe(200);
      expect((await authenticate()).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'PUT', url: '/_security/user/alice/_enable', headers: admin() })).statusCode).toBe(200);
      expect((await authenticate()).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'DELETE', url: '/_security/user/alice', headers: admin() })).statusCode).toBe(200);
      expect((await authenticate()).statusCode).toBe(401);
    });

    it('reports the roles of a PUT /_security/user on the next request', async () => {
      await fillCache();
      const res = await t.app.inject({ method: 'PUT', url: '/_security/user/alice', headers: admin(), payload: { roles: ['writer'] } });
      expect(res.statusCode).toBe(200);
      expect((await authenticate()).json().roles).toEqual(['writer']);
    });
  });

  describe('TTL', () => {
    it('re-verifies a cached credential once authc.cache.ttl has passed on the clock', async () => {
      await fillCache();
      t.clock.advance(t.config.authc.cache.ttl - 1);
      expect((await authenticate()).statusCode).toBe(200);
      expect(verify).not.toHaveBeenCalled();
      t.clock.advance(1);
      expect((await authenticate()).statusCode).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
      // And the re-verified credential is cached again for a new TTL.
      expect((await authenticate()).statusCode).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    });

    it('defaults to 20 minutes, like Elasticsearch\'s realm cache', () => {
      expect(t.config.authc.cache.ttl).toBe(20 * 60_000);
    });
  });
});

describe('with authc.cache.ttl 0', () => {
  it('verifies every request with argon2 (cache disabled)', async () => {
    const t = await buildTestApp({ settings: { authc: { cache: { ttl: 0 } } } });
    try {
      const verify = vi.spyOn(t.ctx.hasher, 'verify');
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic() } });
        expect(res.statusCode).toBe(200);
      }
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      await t.close();
    }
  });
});
