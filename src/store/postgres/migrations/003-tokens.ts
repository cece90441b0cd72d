import type { PgMigration } from './types.js';

// Digests only, as on SQLite; `id` gives the bounded purge an order to work through.
export const tokensMigration: PgMigration = {
  version: 3,
  name: 'tokens',
  sql: `
    CREATE TABLE tokens (
      id                  BIGSERIAL PRIMARY KEY,
      access_digest       TEXT COLLATE "C" NOT NULL UNIQUE,
      refresh_digest      TEXT COLLATE "C" UNIQUE,
      username            TEXT COLLATE "C" NOT NULL,
      realm_name          TEXT COLLATE "C" NOT NULL,
      realm_type          TEXT NOT NULL,
      authentication      TEXT NOT NULL,
      client_username     TEXT NOT NULL,
      client_realm_name   TEXT NOT NULL,
      client_realm_type   TEXT NOT NULL,
      client_api_key_id   TEXT,
      created_at          BIGINT NOT NULL,
      access_expires_at   BIGINT NOT NULL,
      access_invalidated  BOOLEAN NOT NULL DEFAULT FALSE,
      refresh_invalidated BOOLEAN NOT NULL DEFAULT FALSE,
      refreshed_at        BIGINT,
      superseding         TEXT
    );
    CREATE INDEX tokens_by_username ON tokens (username);
    CREATE INDEX tokens_by_realm ON tokens (realm_name);
    CREATE INDEX tokens_by_created_at ON tokens (created_at);`,
};
