import type { Migration } from './types.js';

// Scroll, PIT and async-search ids bound to the identity that received them; the id is kept as a
// digest only, so the table cannot be used to resume someone else's search.
export const continuationsMigration: Migration = {
  version: 5,
  name: 'continuations',
  up(db) {
    db.exec(`
      CREATE TABLE continuations (
        kind        TEXT NOT NULL,
        digest      TEXT NOT NULL,
        owner       TEXT NOT NULL,
        expires_at  INTEGER NOT NULL,
        PRIMARY KEY (kind, digest)
      ) STRICT;
      CREATE INDEX continuations_by_expires_at ON continuations (expires_at);
    `);
  },
};
