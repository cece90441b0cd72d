import type { Migration } from './types.js';

// User profiles: the user part is kept in columns (suggest searches them), labels and data as JSON.
export const profilesMigration: Migration = {
  version: 12,
  name: 'profiles',
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        uid               TEXT PRIMARY KEY NOT NULL,
        enabled           INTEGER NOT NULL,
        last_synchronized INTEGER NOT NULL,
        username          TEXT NOT NULL,
        realm_name        TEXT NOT NULL,
        realm_type        TEXT NOT NULL,
        roles             TEXT NOT NULL,
        full_name         TEXT,
        email             TEXT,
        labels            TEXT NOT NULL,
        data              TEXT NOT NULL,
        seq_no            INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX profiles_by_username ON profiles (username);
    `);
  },
};
