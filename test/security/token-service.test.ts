import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Housekeeping, housekeepingJobs, type HousekeepingJob } from '../../src/ops/housekeeping.js';
import type { Authentication } from '../../src/services/authentication.js';
import { newToken, openPair, sealPair } from '../../src/services/token-crypto.js';
import { OAuth2Error } from '../../src/errors/oauth2.js';
import { systemRandom } from '../../src/runtime/random.js';
import { sqliteFile } from '../../src/store/sqlite/index.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('TokenService', () => {
  let t: TestApp;
  let client: Authentication;
  let user: Authentication;
  const countRecords = () => {
    const db = new Database(sqliteFile(t.dir.path), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM tokens').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'svc', password: 'svc-password', roles: [] });
    await t.ctx.users.create({ username: 'user', password: 'user-password', roles: [] });
    client = (await t.ctx.realm.authenticate('svc', 'svc-password', '127.0.0.1')) as Authentication;
    user = (await t.ctx.realm.authenticate('user', 'user-password', '127.0.0.1')) as Authentication;
  });
  afterAll(() => t.close());

  it('gives racing refreshes that both read the unspent token the same single successor pair', async () => {
    const { refreshToken } = await t.ctx.tokens.create(user, client, true);
    const before = countRecords();
    // Both calls read the record before either writes; the loser takes the reuse path.
    const [a, b] = await Promise.all([t.ctx.tokens.refresh(refreshToken as string, client), t.ctx.tokens.refresh(refreshToken as string, client)]);
    expect([b.accessToken, b.refreshToken]).toEqual([a.accessToken, a.refreshToken]);
    expect(countRecords()).toBe(before + 1);
  });

  it('refuses a repeat refresh when the clock is more than 30 seconds before the first', async () => {
    const { refreshToken } = await t.ctx.tokens.create(user, client, true);
    await t.ctx.tokens.refresh(refreshToken as string, client);
    t.clock.advance(-30_001);
    const error = await t.ctx.tokens.refresh(refreshToken as string, client).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2Error).toBody()).toEqual({
      error: 'invalid_grant',
      error_description: 'token has been refreshed more than 30 seconds in the future, clock skew too great',
    });
    t.clock.advance(30_001);
  });

  it('opens a sealed pair only with the refresh token and record it was sealed for', () => {
    const refreshToken = newToken(systemRandom);
    const pair = { accessToken: newToken(systemRandom), refreshToken: newToken(systemRandom) };
    const sealed = sealPair(pair, refreshToken, 'record-a', systemRandom);
    expect(sealed).not.toContain(pair.accessToken);
    expect(openPair(sealed, refreshToken, 'record-a')).toEqual(pair);
    expect(openPair(sealed, newToken(systemRandom), 'record-a')).toBeNull();
    expect(openPair(sealed, refreshToken, 'record-b')).toBeNull();
    expect(openPair(`${sealed.slice(0, -2)}AA` as typeof sealed, refreshToken, 'record-a')).toBeNull();
  });

  it('refuses to mint a token for an API key or anonymous identity', async () => {
    const apiKeyAuth = { ...client, type: 'api_key', apiKey: { id: 'k1', name: null } } as Authentication;
    await expect(t.ctx.tokens.create(apiKeyAuth, apiKeyAuth, false)).rejects.toMatchObject({ status: 400, type: 'illegal_argument_exception' });
  });
});

describe('housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('deletes token records 24 hours after their creation, not before', async () => {
    const elastic = (await t.ctx.realm.authenticate('elastic', t.password, '127.0.0.1')) as Authentication;
    const { accessToken } = await t.ctx.tokens.create(elastic, elastic, true);
    const housekeeping = new Housekeeping({ clock: t.clock, logger: t.ctx.logger }, housekeepingJobs(t.ctx));
    t.clock.advance(24 * 3_600_000);
    await housekeeping.runDue();
    expect((await t.ctx.tokens.authenticate(accessToken)).status).toBe('expired');
    // The next run, one delete_interval later, finds it older than 24 hours.
    t.clock.advance(t.config.authc.token.delete_interval);
    await housekeeping.runDue();
    expect((await t.ctx.tokens.authenticate(accessToken)).status).toBe('invalid');
    expect(t.logs.lines.some((line) => line['job'] === 'expired-tokens' && line['removed'] === 1)).toBe(true);
  });

  it('runs a job again at once when a batch came back full, else after its interval', async () => {
    const runs: number[] = [];
    let backlog = 5;
    const job: HousekeepingJob = {
      name: 'test',
      intervalMs: 60_000,
      batchSize: 2,
      run: async () => {
        const removed = Math.min(2, backlog);
        backlog -= removed;
        runs.push(removed);
        return removed;
      },
    };
    const housekeeping = new Housekeeping({ clock: t.clock, logger: t.ctx.logger }, [job]);
    await housekeeping.runDue();
    expect(runs).toEqual([]);
    t.clock.advance(60_000);
    await housekeeping.runDue();
    await housekeeping.runDue();
    await housekeeping.runDue();
    await housekeeping.runDue();
    expect(runs).toEqual([2, 2, 1]);
    t.clock.advance(60_000);
    await housekeeping.runDue();
    expect(runs).toEqual([2, 2, 1, 0]);
  });

  it('starts an unref-ed timer and stops it', () => {
    const housekeeping = new Housekeeping({ clock: t.clock, logger: t.ctx.logger }, housekeepingJobs(t.ctx));
    housekeeping.start();
    expect(housekeeping.started).toBe(true);
    housekeeping.stop();
    expect(housekeeping.started).toBe(false);
  });
});
