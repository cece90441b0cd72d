import type { PgMigration } from './types.js';

// `doc` is the insertion order Elasticsearch's `_doc` sort follows (SQLite's rowid).
export const apiKeysMigration: PgMigration = {
  version: 4,
  name: 'api-keys',
  sql: `
    CREATE TABLE api_keys (
      doc              BIGSERIAL UNIQUE,
      id               TEXT COLLATE "C" PRIMARY KEY,
      name             TEXT COLLATE "C" NOT NULL,
      digest           TEXT NOT NULL,
      type             TEXT COLLATE "C" NOT NULL,
      created_at       BIGINT NOT NULL,
      expires_at       BIGINT,
      invalidated      BOOLEAN NOT NULL DEFAULT FALSE,
      invalidated_at   BIGINT,
      username         TEXT COLLATE "C" NOT NULL,
      realm_name       TEXT COLLATE "C" NOT NULL,
      realm_type       TEXT NOT NULL,
      full_name        TEXT,
      email            TEXT,
      user_metadata    TEXT NOT NULL,
      metadata         TEXT NOT NULL,
      role_descriptors TEXT NOT NULL,
      limited_by       TEXT NOT NULL,
      version          INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX api_keys_by_owner ON api_keys (username, realm_name);
    CREATE INDEX api_keys_by_name ON api_keys (name);
    CREATE INDEX api_keys_by_created_at ON api_keys (created_at);
    CREATE INDEX api_keys_by_expires_at ON api_keys (expires_at);
    CREATE INDEX api_keys_by_invalidated_at ON api_keys (invalidated_at);`,
};
