import type { PgMigration } from './types.js';

export const rolesMigration: PgMigration = {
  version: 2,
  name: 'roles',
  sql: `
    CREATE TABLE roles (
      name        TEXT COLLATE "C" PRIMARY KEY,
      descriptor  TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      updated_at  BIGINT NOT NULL
    );`,
};
