import type { PgMigration } from './types.js';

// Service tokens, application privileges, user profiles and role mappings (the Kibana issue's
// entities), numbered as their SQLite steps 010–013 are.
export const kibanaEntitiesMigration: PgMigration = {
  version: 10,
  name: 'kibana-entities',
  sql: `
    CREATE TABLE service_tokens (
      account_id    TEXT COLLATE "C" NOT NULL,
      name          TEXT COLLATE "C" NOT NULL,
      digest        TEXT NOT NULL,
      created_at    BIGINT NOT NULL,
      creator       TEXT NOT NULL,
      creator_realm TEXT NOT NULL,
      PRIMARY KEY (account_id, name)
    );
    CREATE TABLE application_privileges (
      application TEXT COLLATE "C" NOT NULL,
      name        TEXT COLLATE "C" NOT NULL,
      actions     TEXT NOT NULL,
      metadata    TEXT NOT NULL,
      PRIMARY KEY (application, name)
    );
    CREATE TABLE profiles (
      uid               TEXT COLLATE "C" PRIMARY KEY,
      enabled           BOOLEAN NOT NULL,
      last_synchronized BIGINT NOT NULL,
      username          TEXT COLLATE "C" NOT NULL,
      realm_name        TEXT NOT NULL,
      realm_type        TEXT NOT NULL,
      roles             TEXT NOT NULL,
      full_name         TEXT,
      email             TEXT,
      labels            TEXT NOT NULL,
      data              TEXT NOT NULL,
      seq_no            BIGINT NOT NULL
    );
    CREATE INDEX profiles_by_username ON profiles (username);
    CREATE TABLE role_mappings (
      name    TEXT COLLATE "C" PRIMARY KEY,
      mapping TEXT NOT NULL
    );`,
};
