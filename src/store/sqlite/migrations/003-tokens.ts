import type { Migration } from './types.js';

// Token documents keep only digests of the tokens (Elasticsearch 8.10+ does the same); the successor
// pair of a refresh is stored sealed under a key derived from the spent refresh token.
export const tokensMigration: Migration = {
  version: 3,
  name: 'tokens',
  up(db) {
    db.exec(`
      CREATE TABLE tokens (
        access_digest       TEXT NOT NULL UNIQUE,
        refresh_digest      TEXT UNIQUE,
        username            TEXT NOT NULL,
        realm_name          TEXT NOT NULL,
        realm_type          TEXT NOT NULL,
        authentication      TEXT NOT NULL,
        client_username     TEXT NOT NULL,
        client_realm_name   TEXT NOT NULL,
        client_realm_type   TEXT NOT NULL,
        client_api_key_id   TEXT,
        created_at          INTEGER NOT NULL,
        access_expires_at   INTEGER NOT NULL,
        access_invalidated  INTEGER NOT NULL DEFAULT 0,
        refresh_invalidated INTEGER NOT NULL DEFAULT 0,
        refreshed_at        INTEGER,
        superseding         TEXT
      ) STRICT;
      CREATE INDEX tokens_by_username ON tokens (username);
      CREATE INDEX tokens_by_realm ON tokens (realm_name);
      CREATE INDEX tokens_by_created_at ON tokens (created_at);
    `);
  },
};
