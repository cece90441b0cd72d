// PostgreSQL going away under a running esgate: cached credentials keep working, anything that needs
// the store gets Elasticsearch's 503 within the configured timeouts, health turns red, and esgate
// recovers by itself. Connections killed in the middle of traffic lose no acknowledged write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAs, userWithRole } from '../security/api-key-helpers.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { buildTestApp } from '../support/test-app.js';

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(postgresAvailable)('PostgreSQL unavailable', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keeps cached credentials working, answers 503 where the store is needed, turns health red, and recovers', async () => {
    const target = new URL(db.url);
    const proxy: TcpProxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const t = await buildTestApp({ postgresUrl: url.toString() });
    try {
      await userWithRole(t, 'cached', 'watcher', { cluster: ['monitor'] });
      const cached = basicAs(t, 'cached');
      expect((await t.app.inject({ url: '/_security/_authenticate', headers: cached })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/_security/_authenticate', headers: basicAs(t) })).statusCode).toBe(200);

      proxy.cut();
      expect((await t.app.inject({ url: '/_security/_authenticate', headers: cached })).statusCode).toBe(200);
      const started = Date.now();
      const needsStore = await t.app.inject({ url: '/_security/user/cached', headers: basicAs(t) });
      expect(needsStore.statusCode).toBe(503);
      expect(needsStore.json()).toMatchObject({
        status: 503,
        error: { type: 'unavailable_shards_exception', reason: 'at least one primary shard for the index [.security-7] is unavailable' },
      });
      // Bounded by connect_timeout (1s in tests), never a hang.
      expect(Date.now() - started).toBeLessThan(5000);
      const write = await t.app.inject({ method: 'POST', url: '/_security/role/new_role', headers: basicAs(t), payload: { cluster: ['monitor'] } });
      expect(write.statusCode).toBe(503);
      const health = await t.app.inject({ url: '/_esgate/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'red', store: { ok: false, type: 'postgres', status: 'unreachable' } });
      expect(health.body).not.toContain(String(proxy.port));

      proxy.restore();
      await eventually(async () => (await t.app.inject({ url: '/_esgate/health' })).statusCode !== 503, 10_000);
      expect((await t.app.inject({ url: '/_security/user/cached', headers: basicAs(t) })).statusCode).toBe(200);
      // The failed write left nothing behind.
      expect((await t.app.inject({ url: '/_security/role/new_role', headers: basicAs(t) })).statusCode).toBe(404);
    } finally {
      await t.close();
      await proxy.close();
    }
  });

  it('answers 503, not a hang, when the connection goes silent, and recovers once it speaks again', async () => {
    const target = new URL(db.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const t = await buildTestApp({ postgresUrl: url.toString() });
    try {
      expect((await t.app.inject({ url: '/_security/_authenticate', headers: basicAs(t) })).statusCode).toBe(200);
      proxy.stall();
      const started = Date.now();
      const res = await t.app.inject({ url: '/_security/user/elastic', headers: basicAs(t) });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.type).toBe('unavailable_shards_exception');
      // statement_timeout 2s in tests, plus the client's margin.
      expect(Date.now() - started).toBeLessThan(6000);
      proxy.restore();
      await eventually(async () => (await t.app.inject({ url: '/_security/user/elastic', headers: basicAs(t) })).statusCode === 200, 10_000);
    } finally {
      await t.close();
      await proxy.close();
    }
  });

  it('recovers from connections killed in the middle of traffic, and keeps every write it acknowledged', async () => {
    const t = await buildTestApp({ postgresUrl: db.url });
    try {
      const acknowledged: string[] = [];
      let failures = 0;
      const writes = (async () => {
        for (let i = 0; i < 60; i++) {
          const res = await t.app.inject({ method: 'PUT', url: `/_security/role/r${i}`, headers: basicAs(t), payload: { cluster: ['monitor'] } });
          if (res.statusCode === 200) acknowledged.push(`r${i}`);
          else {
            expect(res.statusCode).toBe(503);
            failures++;
          }
        }
      })();
      for (let k = 0; k < 3; k++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'esgate'");
      }
      await writes;
      expect(acknowledged.length + failures).toBe(60);
      expect(acknowledged.length).toBeGreaterThan(0);
      const stored = await db.admin<{ name: string }>('SELECT name FROM roles');
      const names = new Set(stored.rows.map((r) => r.name));
      for (const name of acknowledged) expect(names.has(name), name).toBe(true);
      // And it works again afterwards.
      expect((await t.app.inject({ method: 'PUT', url: '/_security/role/after', headers: basicAs(t), payload: { cluster: ['monitor'] } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
