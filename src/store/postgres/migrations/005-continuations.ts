import type { PgMigration } from './types.js';

export const continuationsMigration: PgMigration = {
  version: 5,
  name: 'continuations',
  sql: `
    CREATE TABLE continuations (
      kind        TEXT COLLATE "C" NOT NULL,
      digest      TEXT COLLATE "C" NOT NULL,
      owner       TEXT COLLATE "C" NOT NULL,
      expires_at  BIGINT NOT NULL,
      PRIMARY KEY (kind, digest)
    );
    CREATE INDEX continuations_by_expires_at ON continuations (expires_at);`,
};
