import type { Migration } from './types.js';

// Application privileges (Kibana registers hundreds at start-up): actions and metadata as JSON.
export const applicationPrivilegesMigration: Migration = {
  version: 11,
  name: 'application-privileges',
  up(db) {
    db.exec(`
      CREATE TABLE application_privileges (
        application TEXT NOT NULL,
        name        TEXT NOT NULL,
        actions     TEXT NOT NULL,
        metadata    TEXT NOT NULL,
        PRIMARY KEY (application, name)
      ) STRICT;
    `);
  },
};
