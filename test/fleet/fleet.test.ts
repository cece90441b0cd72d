// Two esgate instances on one PostgreSQL database, over HTTP: a revocation answered by one is
// refused by the other at once; continuations, token refreshes and cached credentials behave as on
// one instance.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Housekeeping, type HousekeepingJob } from '../../src/ops/housekeeping.js';
import type { PostgresStore } from '../../src/store/postgres/index.js';
import { send } from '../authz-http/support.js';
import { apiKeyAs, basicAs, createKey, USER_PASSWORD, userWithRole } from '../security/api-key-helpers.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe.runIf(postgresAvailable)('a fleet of two instances on PostgreSQL', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  const start = async (settings: Record<string, unknown> = {}) => {
    await db.truncate();
    a = await buildTestApp({ postgresUrl: db.url, settings });
    b = await buildTestApp({ postgresUrl: db.url, settings, upstream: a.upstream });
  };
  afterEach(async () => {
    await b?.close();
    await a?.close();
  });

  const authenticate = (t: TestApp, headers: Record<string, string>) => t.app.inject({ url: '/_security/_authenticate', headers });

  it('refuses an invalidated API key on the other instance as soon as the invalidation answered, even from its cache', async () => {
    await start();
    const key = await createKey(a, basicAs(a), { name: 'k' });
    // Cached on b.
    expect((await authenticate(b, apiKeyAs(key.encoded))).statusCode).toBe(200);
    const invalidated = await a.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(a), payload: { ids: [key.id] } });
    expect(invalidated.json().invalidated_api_keys).toEqual([key.id]);
    expect((await authenticate(b, apiKeyAs(key.encoded))).statusCode).toBe(401);
  });

  it('refuses an old password, a disabled user and a deleted user on the other instance right after each answered', async () => {
    await start();
    await userWithRole(a, 'alice', 'viewer_role', { cluster: ['monitor'] });
    expect((await authenticate(b, basicAs(b, 'alice'))).statusCode).toBe(200);
    await a.app.inject({ method: 'POST', url: '/_security/user/alice/_password', headers: basicAs(a), payload: { password: 'another-Secret-1' } });
    expect((await authenticate(b, basicAs(b, 'alice'))).statusCode).toBe(401);
    const fresh = { 'content-type': 'application/json', authorization: b.basic('alice', 'another-Secret-1') };
    expect((await authenticate(b, fresh)).statusCode).toBe(200);
    await a.app.inject({ method: 'PUT', url: '/_security/user/alice/_disable', headers: basicAs(a) });
    expect((await authenticate(b, fresh)).statusCode).toBe(401);
    await a.app.inject({ method: 'PUT', url: '/_security/user/alice/_enable', headers: basicAs(a) });
    expect((await authenticate(b, fresh)).statusCode).toBe(200);
    await a.app.inject({ method: 'DELETE', url: '/_security/user/alice', headers: basicAs(a) });
    expect((await authenticate(b, fresh)).statusCode).toBe(401);
  });

  it('applies a role change made on one instance to the other\'s next decision', async () => {
    await start();
    await userWithRole(a, 'reader', 'logs_reader', { indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    const search = (t: TestApp) => t.app.inject({ method: 'GET', url: '/logs-1/_search', headers: basicAs(t, 'reader') });
    expect((await search(b)).statusCode).toBe(200);
    await a.app.inject({ method: 'PUT', url: '/_security/role/logs_reader', headers: basicAs(a), payload: { indices: [{ names: ['other-*'], privileges: ['read'] }] } });
    expect((await search(b)).statusCode).toBe(403);
  });

  it('continues a scroll opened through one instance through the other, and only for its owner', async () => {
    await start();
    await userWithRole(a, 'reader', 'logs_reader', { indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    await userWithRole(a, 'other', 'logs_reader', { indices: [{ names: ['logs-*'], privileges: ['read'] }] });
    a.upstream.respond = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(req.url.includes('scroll=') ? { _scroll_id: 'fleet-scroll-1', hits: { hits: [] } } : { hits: { hits: [] } }));
    };
    const baseA = await a.listen();
    const baseB = await b.listen();
    const reader = basicAs(a, 'reader')['authorization'] as string;
    const opened = await send(baseA, reader, { method: 'POST', path: '/logs-1/_search?scroll=1m', body: '{}' });
    expect(opened.json._scroll_id).toBe('fleet-scroll-1');
    const scroll = { method: 'POST', path: '/_search/scroll', body: JSON.stringify({ scroll: '1m', scroll_id: 'fleet-scroll-1' }) };
    // Presented to the other instance at once.
    expect((await send(baseB, reader, scroll)).status).toBe(200);
    const stolen = await send(baseB, a.basic('other', USER_PASSWORD), scroll);
    expect(stolen.status).toBe(404);
    expect(stolen.json.error.type).toBe('search_context_missing_exception');
    // And after a restart of that instance.
    await b.close();
    b = await buildTestApp({ postgresUrl: db.url, upstream: a.upstream });
    expect((await send(await b.listen(), reader, scroll)).status).toBe(200);
  });

  it('gives 50 concurrent refreshes of one refresh token spread over both instances exactly one new pair', async () => {
    await start();
    await a.ctx.users.create({ username: 'client', password: 'client-password', roles: ['superuser'] });
    const client = a.basic('client', 'client-password');
    const post = (t: TestApp, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/_security/oauth2/token', headers: { authorization: client, 'content-type': 'application/json' }, payload });
    const first = (await post(a, { grant_type: 'password', username: 'client', password: 'client-password' })).json() as { refresh_token: string };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 === 0 ? a : b, { grant_type: 'refresh_token', refresh_token: first.refresh_token })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    const pairs = new Set(results.map((r) => `${r.json().access_token} ${r.json().refresh_token}`));
    expect(pairs.size).toBe(1);
  });

  it('runs each housekeeping job once per fleet, not once per instance', async () => {
    await start();
    let runs = 0;
    const job: HousekeepingJob = { name: 'counted', intervalMs: 60_000, batchSize: 10, run: async () => (runs++, 0) };
    const instances = [a, b].map((t) => new Housekeeping({ clock: t.clock, logger: t.ctx.logger, claim: (name, ms) => t.ctx.store.claimJob(name, ms) }, [job]));
    for (const t of [a, b]) t.clock.advance(60_000);
    await Promise.all(instances.map((h) => h.runDue()));
    expect(runs).toBe(1);
  });

  it('serves a cached credential, and a proxied search with it, without a single statement to PostgreSQL', async () => {
    // Polling off for the count: only requests could send statements.
    await start({ store: { postgres: { poll_interval: '1h' } } });
    const store = b.ctx.store as PostgresStore;
    const headers = basicAs(b);
    expect((await authenticate(b, headers)).statusCode).toBe(200);
    const search = () => b.app.inject({ method: 'POST', url: '/idx/_search', headers, payload: { query: { match_all: {} } } });
    expect((await search()).statusCode).toBe(200);
    const before = store.statements();
    for (let i = 0; i < 50; i++) {
      expect((await authenticate(b, headers)).statusCode).toBe(200);
      expect((await search()).statusCode).toBe(200);
    }
    expect(store.statements() - before).toBe(0);
  });
});
