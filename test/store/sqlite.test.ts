import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../src/store/sqlite/migrations/index.js';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import { fixedClock } from '../support/fixed-clock.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { runStoreContract } from './contract.js';

const clock = fixedClock();

describe('SQLite store contract', () => {
  runStoreContract(
    async () => {
      const dir = tempDir('esgate-store-');
      const file = sqliteFile(dir.path);
      const store = openSqliteStore(file, clock.now());
      return {
        store,
        openPeer: async () => openSqliteStore(file, clock.now()),
        cleanup: async () => {
          await store.close();
          dir.remove();
        },
        rawRows: async (table) => {
          const db = new Database(file, { readonly: true });
          try {
            return db.prepare(`SELECT * FROM ${table}`).all();
          } finally {
            db.close();
          }
        },
        // data_version is read at most once a millisecond.
        settle: () => new Promise((resolve) => setTimeout(resolve, 2)),
      };
    },
    (ms) => {
      clock.advance(ms);
      return clock.now();
    },
  );
});

describe('SQLite store on disk', () => {
  let dir: TempDir;
  let file: string;
  beforeEach(() => {
    dir = tempDir('esgate-sqlite-');
    file = sqliteFile(dir.path);
  });
  afterEach(() => dir.remove());

  it('puts esgate.db in the data directory, creating missing directories', async () => {
    const nested = path.join(dir.path, 'a', 'b');
    const store = openSqliteStore(sqliteFile(nested));
    expect(store.file).toBe(path.join(nested, 'esgate.db'));
    await store.close();
    const db = new Database(path.join(nested, 'esgate.db'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'").get()).toEqual({ name: 'users' });
    db.close();
  });

  it('runs in WAL mode', async () => {
    const store = openSqliteStore(file);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });

  it('applies every migration once, records when, and applies nothing on a reopen', async () => {
    const at = clock.now();
    await openSqliteStore(file, at).close();
    const db = new Database(file);
    const recorded = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, applied_at: at })));
    expect(migrate(db, at + 1000)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    db.close();
    // A store opened again keeps its data and its migration history.
    const reopened = openSqliteStore(file, at + 2000);
    expect(await reopened.users.count()).toBe(0);
    await reopened.close();
  });

  it('numbers migrations in strictly increasing order', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions[0]).toBe(1);
  });

  it('refuses a database whose schema is newer than this esgate knows, with a clear message, and leaves it untouched', async () => {
    await openSqliteStore(file).close();
    const newer = (migrations[migrations.length - 1]?.version ?? 0) + 1;
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(newer, 'from-the-future', 0);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(`the store's schema version ${newer} is newer than this esgate knows (${newer - 1}); upgrade esgate`);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: newer });
    check.close();
  });

  it('lets a second connection open a file the first one just migrated, without applying anything twice', async () => {
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    expect(await a.users.count()).toBe(0);
    expect(await b.users.count()).toBe(0);
    await a.close();
    await b.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    db.close();
  });

  it('refuses a file that is not a SQLite database', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not a database, just text that is long enough to have a header '.repeat(20));
    expect(() => openSqliteStore(file)).toThrow(/not a database/);
  });
});

describe('migrations racing another process', () => {
  it('skip a step that another connection committed while this one waited for the write lock', async () => {
    const dir = tempDir('esgate-race-');
    const file = sqliteFile(dir.path);
    try {
      // The other "process": creates the bookkeeping table, then holds the write lock while it applies step 1.
      const worker = new Worker(
        `
        const { parentPort, workerData } = require('node:worker_threads');
        const Database = require(workerData.driver);
        const db = new Database(workerData.file);
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
        db.exec('BEGIN IMMEDIATE');
        db.exec(workerData.usersSql);
        db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(workerData.name);
        parentPort.postMessage('locked');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        db.exec('COMMIT');
        db.close();
        `,
        {
          eval: true,
          workerData: {
            file,
            driver: createRequire(import.meta.url).resolve('better-sqlite3'),
            name: migrations[0]?.name,
            usersSql: 'CREATE TABLE users (username TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL DEFAULT \'[]\', full_name TEXT, email TEXT, metadata TEXT NOT NULL DEFAULT \'{}\', enabled INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) STRICT',
          },
        },
      );
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const store = openSqliteStore(file);
      expect(await store.users.count()).toBe(0);
      await store.close();
      await exited;
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(migrations.map((m) => ({ version: m.version })));
      db.close();
    } finally {
      dir.remove();
    }
  });
});
