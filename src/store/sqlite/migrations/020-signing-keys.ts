import type { Migration } from './types.js';

// The key pairs that sign the ECE login's JWTs. Several instances share them through the store;
// a rotated key stays (retired_at set) while JWTs it signed can still be valid.
export const signingKeysMigration: Migration = {
  version: 20,
  name: 'signing-keys',
  up(db) {
    db.exec(`
      CREATE TABLE signing_keys (
        kid         TEXT PRIMARY KEY NOT NULL,
        algorithm   TEXT NOT NULL,
        private_jwk TEXT NOT NULL,
        public_jwk  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        retired_at  INTEGER
      ) STRICT;
    `);
  },
};
