// The embedded store: one SQLite file in WAL mode, migrated at open.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../types.js';
import { SqliteApiKeys } from './api-keys.js';
import { SqliteContinuations } from './continuations.js';
import { migrate } from './migrations/index.js';
import { SqliteRoles } from './roles.js';
import { SqliteSigningKeys } from './signing-keys.js';
import { SqliteServiceTokens } from './service-tokens.js';
import { SqliteApplicationPrivileges } from './application-privileges.js';
import { SqliteProfiles } from './profiles.js';
import { SqliteRoleMappings } from './role-mappings.js';
import { SqliteTokens } from './tokens.js';
import { SqliteUsers } from './users.js';

export interface SqliteStore extends Store {
  readonly file: string;
}

/** Creates the directory 0700 and the file 0600 when missing; SQLite gives its -wal and -shm files the file's mode. */
function createPrivately(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
    // The umask may have narrowed it further, never widened it; set it exactly.
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export function openSqliteStore(file: string, now: number = Date.now()): SqliteStore {
  createPrivately(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process (the CLI) may hold the write lock briefly; wait instead of failing.
    db.pragma('busy_timeout = 5000');
    migrate(db, now);
  } catch (err) {
    db.close();
    throw err;
  }
  const dataVersion = db.prepare<[], { data_version: number }>('PRAGMA data_version');
  let version = dataVersion.get()?.data_version ?? 0;
  let versionCheckedAt = performance.now();
  const ping = db.prepare('SELECT 1');
  const users = new SqliteUsers(db);
  const roles = new SqliteRoles(db);
  const tokens = new SqliteTokens(db);
  const apiKeys = new SqliteApiKeys(db);
  const signingKeys = new SqliteSigningKeys(db);
  const continuations = new SqliteContinuations(db);
  const serviceTokens = new SqliteServiceTokens(db);
  const applicationPrivileges = new SqliteApplicationPrivileges(db);
  const profiles = new SqliteProfiles(db);
  const roleMappings = new SqliteRoleMappings(db);
  let closed = false;

  return {
    kind: 'sqlite',
    file,
    users,
    roles,
    tokens,
    apiKeys,
    signingKeys,
    continuations,
    // One instance per file: every job run is this instance's to do.
    claimJob: async () => true,
    // No change feed: other processes' commits are seen through data_version.
    trimChanges: async () => 0,
    serviceTokens,
    applicationPrivileges,
    profiles,
    roleMappings,
    // SQLite bumps data_version when another connection commits; our own writes leave it alone.
    externalVersion: () => {
      // One PRAGMA per millisecond at most: every check within one request shares it, and a commit
      // by another process is still seen by the next request.
      const now = performance.now();
      if (now - versionCheckedAt >= 1) {
        version = dataVersion.get()?.data_version ?? 0;
        versionCheckedAt = now;
      }
      return version;
    },
    async ping() {
      ping.get();
    },
    async backup(destination) {
      // SQLite's online backup API: a consistent copy, WAL content included, while others write.
      createPrivately(destination);
      await db.backup(destination);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

export function sqliteFile(dataDir: string): string {
  return path.resolve(dataDir, 'esgate.db');
}
