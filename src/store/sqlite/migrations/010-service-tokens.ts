import type { Migration } from './types.js';

// Service account tokens: one row per account and token name, the secret as a salted digest only.
export const serviceTokensMigration: Migration = {
  version: 10,
  name: 'service-tokens',
  up(db) {
    db.exec(`
      CREATE TABLE service_tokens (
        account_id      TEXT NOT NULL,
        name            TEXT NOT NULL,
        digest          TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        creator         TEXT NOT NULL,
        creator_realm   TEXT NOT NULL,
        PRIMARY KEY (account_id, name)
      ) STRICT;
    `);
  },
};
