// The explicit, ordered list of PostgreSQL schema steps, applied at start under an advisory lock so
// that instances starting together migrate exactly once.
import type pg from 'pg';
import { usersMigration } from './001-users.js';
import { rolesMigration } from './002-roles.js';
import { tokensMigration } from './003-tokens.js';
import { apiKeysMigration } from './004-api-keys.js';
import { continuationsMigration } from './005-continuations.js';
import { fleetMigration } from './006-fleet.js';
import { kibanaEntitiesMigration } from './010-kibana-entities.js';
import { signingKeysMigration } from './020-signing-keys.js';
import type { PgMigration } from './types.js';

export const pgMigrations: readonly PgMigration[] = [usersMigration, rolesMigration, tokensMigration, apiKeysMigration, continuationsMigration, fleetMigration, kibanaEntitiesMigration, signingKeysMigration];

/** Arbitrary, fixed: the session advisory lock every esgate takes while it migrates. */
const MIGRATION_LOCK = 0x65736761;

export async function migratePostgres(pool: pg.Pool, now: number): Promise<number[]> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const row = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
      const current = row.rows[0]?.version ?? 0;
      const known = pgMigrations[pgMigrations.length - 1]?.version ?? 0;
      if (current > known) {
        throw new Error(`the store's schema version ${current} is newer than this esgate knows (${known}); upgrade esgate`);
      }
      const applied: number[] = [];
      // Each step the store has not recorded (numbers are reserved per feature: a lower one may come later).
      const recorded = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
      for (const migration of pgMigrations) {
        if (recorded.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.off('error', ignore);
    client.release();
  }
}
