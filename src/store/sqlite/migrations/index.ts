// The explicit, ordered list of schema steps; a new step is a new file and one line here.
import type { Database } from 'better-sqlite3';
import { usersMigration } from './001-users.js';
import { rolesMigration } from './002-roles.js';
import { tokensMigration } from './003-tokens.js';
import { apiKeysMigration } from './004-api-keys.js';
import { continuationsMigration } from './005-continuations.js';
import { serviceTokensMigration } from './010-service-tokens.js';
import { applicationPrivilegesMigration } from './011-application-privileges.js';
import { profilesMigration } from './012-profiles.js';
import { roleMappingsMigration } from './013-role-mappings.js';
import { signingKeysMigration } from './020-signing-keys.js';
import type { Migration } from './types.js';

export const migrations: readonly Migration[] = [
  usersMigration,
  rolesMigration,
  tokensMigration,
  apiKeysMigration,
  continuationsMigration,
  serviceTokensMigration,
  applicationPrivilegesMigration,
  profilesMigration,
  roleMappingsMigration,
  signingKeysMigration,
];

/**
 * Applies every step the database has not recorded, each in its own transaction. Steps are looked up
 * one by one rather than "newer than the highest": numbers are reserved per feature (005–009 fleet,
 * 010–019 Kibana entities, 020+ signing keys), so a lower step may arrive after a higher one.
 */
export function migrate(db: Database, now: number): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  const known = migrations[migrations.length - 1]?.version ?? 0;
  if (current > known) {
    throw new Error(`the store's schema version ${current} is newer than this esgate knows (${known}); upgrade esgate`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const migration of migrations) {
    if (done.get(migration.version) !== undefined) continue;
    // Re-checked under the write lock: another process (the CLI, a second instance) may have applied it meanwhile.
    const ran = db.transaction(() => {
      if (done.get(migration.version) !== undefined) return false;
      migration.up(db);
      record.run(migration.version, migration.name, now);
      return true;
    }).immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
