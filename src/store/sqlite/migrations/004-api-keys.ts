import type { Migration } from './types.js';

// API key documents keep a salted digest of the secret only. Owner, timestamps and name are columns
// (queried by the get/query APIs); metadata, role descriptors and the limited_by snapshot are JSON.
export const apiKeysMigration: Migration = {
  version: 4,
  name: 'api-keys',
  up(db) {
    db.exec(`
      CREATE TABLE api_keys (
        id               TEXT PRIMARY KEY NOT NULL,
        name             TEXT NOT NULL,
        digest           TEXT NOT NULL,
        type             TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER,
        invalidated      INTEGER NOT NULL DEFAULT 0,
        invalidated_at   INTEGER,
        username         TEXT NOT NULL,
        realm_name       TEXT NOT NULL,
        realm_type       TEXT NOT NULL,
        full_name        TEXT,
        email            TEXT,
        user_metadata    TEXT NOT NULL,
        metadata         TEXT NOT NULL,
        role_descriptors TEXT NOT NULL,
        limited_by       TEXT NOT NULL,
        version          INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX api_keys_by_owner ON api_keys (username, realm_name);
      CREATE INDEX api_keys_by_name ON api_keys (name);
      CREATE INDEX api_keys_by_created_at ON api_keys (created_at);
      CREATE INDEX api_keys_by_expires_at ON api_keys (expires_at);
      CREATE INDEX api_keys_by_invalidated_at ON api_keys (invalidated_at);
    `);
  },
};
