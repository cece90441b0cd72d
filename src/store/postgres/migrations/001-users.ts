import type { PgMigration } from './types.js';

// Names collate as bytes ("C"), like SQLite's BINARY: the same order and equality on both stores.
// JSON stays text so it round-trips byte for byte (key order included).
export const usersMigration: PgMigration = {
  version: 1,
  name: 'users',
  sql: `
    CREATE TABLE users (
      username      TEXT COLLATE "C" PRIMARY KEY,
      password_hash TEXT NOT NULL,
      roles         TEXT NOT NULL DEFAULT '[]',
      full_name     TEXT,
      email         TEXT,
      metadata      TEXT NOT NULL DEFAULT '{}',
      enabled       BOOLEAN NOT NULL DEFAULT TRUE,
      created_at    BIGINT NOT NULL,
      updated_at    BIGINT NOT NULL
    );`,
};
