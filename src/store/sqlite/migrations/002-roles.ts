import type { Migration } from './types.js';

export const rolesMigration: Migration = {
  version: 2,
  name: 'roles',
  up(db) {
    db.exec(`
      CREATE TABLE roles (
        name        TEXT PRIMARY KEY NOT NULL,
        descriptor  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
