import type { Migration } from './types.js';

// Role mappings: served by the role mapping API; applied once realms other than native exist.
export const roleMappingsMigration: Migration = {
  version: 13,
  name: 'role-mappings',
  up(db) {
    db.exec(`
      CREATE TABLE role_mappings (
        name    TEXT PRIMARY KEY NOT NULL,
        mapping TEXT NOT NULL
      ) STRICT;
    `);
  },
};
