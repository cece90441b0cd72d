// The store contract on PostgreSQL, and what is particular to it: migrations under an advisory lock,
// a newer schema refused, the change feed and the fleet's acknowledgements.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgMigrations } from '../../src/store/postgres/migrations/index.js';
import type { PostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import { fixedClock } from '../support/fixed-clock.js';
import { tempDir } from '../support/temp-dir.js';
import { createTestDatabase, openTestPgStore, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { runStoreContract } from './contract.js';

const clock = fixedClock();

describe.runIf(postgresAvailable)('PostgreSQL store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('contract', () => {
    runStoreContract(
      async () => {
        await db.truncate();
        const store = await openTestPgStore(db.url, { now: clock.now() });
        return {
          store,
          openPeer: () => openTestPgStore(db.url, { now: clock.now() }),
          cleanup: () => store.close(),
          rawRows: async (table) => (await db.admin(`SELECT * FROM ${table}`)).rows,
          settle: (s: Store) => (s as PostgresStore).fleet.apply(),
        };
      },
      (ms) => {
        clock.advance(ms);
        return clock.now();
      },
    );
  });

  describe('migrations', () => {
    it('apply exactly once when ten instances start at once', async () => {
      const fresh = await createTestDatabase();
      try {
        const stores = await Promise.all(Array.from({ length: 10 }, () => openTestPgStore(fresh.url)));
        const recorded = await fresh.admin<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(recorded.rows.map((r) => r.version)).toEqual(pgMigrations.map((m) => m.version));
        expect((await fresh.admin<{ n: number }>('SELECT COUNT(*)::int AS n FROM esgate_instances')).rows[0]?.n).toBe(10);
        await Promise.all(stores.map((s) => s.close()));
        // Closing leaves the fleet.
        expect((await fresh.admin<{ n: number }>('SELECT COUNT(*)::int AS n FROM esgate_instances')).rows[0]?.n).toBe(0);
      } finally {
        await fresh.drop();
      }
    });

    it('refuse a database whose schema is newer than this esgate knows, with a clear message and no password', async () => {
      const newer = (pgMigrations[pgMigrations.length - 1]?.version ?? 0) + 1;
      await db.admin('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [newer, 'from-the-future']);
      try {
        const withPassword = db.url.replace('postgres@', 'postgres:hunter2secret@');
        const err = await openTestPgStore(withPassword).then(
          () => null,
          (e: unknown) => e as Error,
        );
        expect(err?.message).toContain(`the store's schema version ${newer} is newer than this esgate knows (${newer - 1}); upgrade esgate`);
        expect(err?.message).not.toContain('hunter2secret');
      } finally {
        await db.admin('DELETE FROM schema_migrations WHERE version = $1', [newer]);
      }
    });
  });

  describe('connection', () => {
    it('insists on TLS with store.postgres.ca_file, whatever sslmode the URL names', async () => {
      const dir = tempDir();
      try {
        const ca = path.join(dir.path, 'ca.pem');
        writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
        const url = new URL(db.url);
        url.searchParams.set('sslmode', 'disable');
        // The test server has TLS off: a connection that insists on it cannot be made in clear text.
        await expect(openTestPgStore(url.toString(), { caFile: ca })).rejects.toThrow(/cannot open the PostgreSQL store at .*(SSL|ssl|certificate)/);
      } finally {
        dir.remove();
      }
    });
  });

  describe('change feed and acknowledgements', () => {
    it('writes one feed row per change in the write\'s transaction, none for a write that changed nothing', async () => {
      await db.truncate();
      const store = await openTestPgStore(db.url);
      try {
        const user = { username: 'u', passwordHash: 'h', roles: [], fullName: null, email: null, metadata: {}, enabled: true, createdAt: 1, updatedAt: 1 } as never;
        await store.users.put(user);
        await store.users.delete('absent');
        await store.users.delete('u');
        await store.apiKeys.invalidate(['missing'], 1);
        const rows = await db.admin<{ kind: string; subject: string; origin: string }>('SELECT kind, subject, origin FROM esgate_changes ORDER BY seq');
        expect(rows.rows).toEqual([
          { kind: 'user', subject: 'u', origin: store.fleet.instanceId },
          { kind: 'user', subject: 'u', origin: store.fleet.instanceId },
        ]);
      } finally {
        await store.close();
      }
    });

    it('answers a revoking write only after every live instance acknowledged it, and moves their externalVersion', async () => {
      await db.truncate();
      // Polling only, slow: the wait must come from the acknowledgement, not from luck.
      const a = await openTestPgStore(db.url, { listen: false, pollIntervalMs: 300 });
      const b = await openTestPgStore(db.url, { listen: false, pollIntervalMs: 300 });
      try {
        const before = b.externalVersion();
        await a.roles.put({ name: 'r', descriptor: {}, createdAt: 1, updatedAt: 1 });
        await a.roles.delete('r');
        // The delete answered: b has already applied it, with no further call.
        expect(b.externalVersion()).not.toBe(before);
        const acked = await db.admin<{ id: string; applied_seq: number }>('SELECT id, applied_seq FROM esgate_instances WHERE id = $1', [b.fleet.instanceId]);
        const last = await db.admin<{ seq: number }>('SELECT MAX(seq)::int AS seq FROM esgate_changes');
        expect(Number(acked.rows[0]?.applied_seq)).toBeGreaterThanOrEqual(last.rows[0]?.seq ?? Infinity);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('answers after propagation_timeout, naming the lagging instance in a warning, when one never acknowledges', async () => {
      await db.truncate();
      const warnings: Array<Record<string, unknown>> = [];
      const a = await openTestPgStore(db.url, { propagationTimeoutMs: 300, logger: { warn: (fields) => warnings.push(fields) } });
      // An instance that is live (recent heartbeat) but never applies the feed.
      await db.admin("INSERT INTO esgate_instances (id, host, applied_seq) VALUES ('stuck', 'h', 0)");
      try {
        await a.roles.put({ name: 'r', descriptor: {}, createdAt: 1, updatedAt: 1 });
        const started = performance.now();
        expect(await a.roles.delete('r')).toBe(true);
        expect(performance.now() - started).toBeGreaterThanOrEqual(250);
        expect(warnings.some((w) => JSON.stringify(w['lagging']) === '["stuck"]')).toBe(true);
        // Durable all the same.
        expect(await a.roles.get('r')).toBeNull();
        // An instance whose heartbeat is old is not live: nobody waits for it.
        await db.admin("UPDATE esgate_instances SET last_seen = clock_timestamp() - interval '1 hour' WHERE id = 'stuck'");
        await a.roles.put({ name: 'r', descriptor: {}, createdAt: 1, updatedAt: 1 });
        const again = performance.now();
        await a.roles.delete('r');
        expect(performance.now() - again).toBeLessThan(250);
      } finally {
        await a.close();
      }
    });

    it('treats a gap in the feed (a trimmed or rolled-back range) as "anything may have changed", even among its own rows', async () => {
      await db.truncate();
      const a = await openTestPgStore(db.url, { listen: false, pollIntervalMs: 60_000 });
      try {
        await a.roles.put({ name: 'one', descriptor: {}, createdAt: 1, updatedAt: 1 });
        await a.fleet.apply();
        const before = a.externalVersion();
        await a.roles.put({ name: 'two', descriptor: {}, createdAt: 1, updatedAt: 1 });
        await a.fleet.apply();
        // Its own row, no gap: its caches were kept right by the write itself.
        expect(a.externalVersion()).toBe(before);
        await db.admin("SELECT setval(pg_get_serial_sequence('esgate_changes', 'seq'), 100)");
        await a.roles.put({ name: 'three', descriptor: {}, createdAt: 1, updatedAt: 1 });
        await a.fleet.apply();
        expect(a.externalVersion()).not.toBe(before);
      } finally {
        await a.close();
      }
    });

    it('trims feed rows past their retention, in bounded batches, and forgets long-gone instances', async () => {
      await db.truncate();
      const a = await openTestPgStore(db.url);
      try {
        for (const name of ['a', 'b', 'c']) await a.roles.put({ name, descriptor: {}, createdAt: 1, updatedAt: 1 });
        await db.admin("UPDATE esgate_changes SET created_at = clock_timestamp() - interval '2 hours' WHERE seq <= 2");
        await db.admin("INSERT INTO esgate_instances (id, host, last_seen) VALUES ('gone', 'h', clock_timestamp() - interval '2 hours')");
        expect(await a.trimChanges(3_600_000, 1)).toBe(1);
        expect(await a.trimChanges(3_600_000, 10)).toBe(1);
        expect(await a.trimChanges(3_600_000, 10)).toBe(0);
        expect((await db.admin('SELECT seq FROM esgate_changes')).rows).toHaveLength(1);
        expect((await db.admin("SELECT id FROM esgate_instances WHERE id = 'gone'")).rows).toHaveLength(0);
      } finally {
        await a.close();
      }
    });

    it('claims a housekeeping run for one instance of the fleet per interval', async () => {
      await db.truncate();
      const a = await openTestPgStore(db.url);
      const b = await openTestPgStore(db.url);
      try {
        const claims = await Promise.all([a, b, a, b].map((s) => s.claimJob('expired-tokens', 60_000)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await b.claimJob('retired-api-keys', 60_000)).toBe(true);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
