import type { Migration } from './types.js';

export const usersMigration: Migration = {
  version: 1,
  name: 'users',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        username      TEXT PRIMARY KEY NOT NULL,
        password_hash TEXT NOT NULL,
        roles         TEXT NOT NULL DEFAULT '[]',
        full_name     TEXT,
        email         TEXT,
        metadata      TEXT NOT NULL DEFAULT '{}',
        enabled       INTEGER NOT NULL DEFAULT 1,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
