import type { PgMigration } from './types.js';

// The key pairs that sign the ECE login's JWTs, shared by the fleet; numbered as on SQLite.
export const signingKeysMigration: PgMigration = {
  version: 20,
  name: 'signing-keys',
  sql: `
    CREATE TABLE signing_keys (
      kid         TEXT COLLATE "C" PRIMARY KEY,
      algorithm   TEXT NOT NULL,
      private_jwk TEXT NOT NULL,
      public_jwk  TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      retired_at  BIGINT
    );`,
};
