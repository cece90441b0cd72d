import type { PgMigration } from './types.js';

// The fleet's shared bookkeeping: the change feed (one row per write that changes who may do what,
// written in that write's transaction), the instances' heartbeats with the feed position each has
// applied, and the last run of each housekeeping job. Times here are the database's own clock, so
// the instances' clocks need not agree.
export const fleetMigration: PgMigration = {
  version: 6,
  name: 'fleet',
  sql: `
    CREATE TABLE esgate_changes (
      seq         BIGSERIAL PRIMARY KEY,
      kind        TEXT NOT NULL,
      subject     TEXT NOT NULL,
      origin      TEXT NOT NULL,
      created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TABLE esgate_instances (
      id          TEXT PRIMARY KEY,
      host        TEXT NOT NULL,
      started_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
      last_seen   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
      applied_seq BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE esgate_jobs (
      name        TEXT PRIMARY KEY,
      ran_at      TIMESTAMPTZ NOT NULL,
      holder      TEXT NOT NULL
    );`,
};
