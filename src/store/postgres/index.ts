// The shared store of a fleet: one PostgreSQL database, migrated at open under an advisory lock,
// with the change feed and heartbeats (fleet.ts) that keep every instance's caches honest.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Store } from '../types.js';
import { PgApiKeys } from './api-keys.js';
import { PgApplicationPrivileges, PgProfiles, PgRoleMappings, PgServiceTokens } from './kibana-entities.js';
import { PgSigningKeys } from './signing-keys.js';
import { PgContinuations } from './continuations.js';
import { PgDb, redactUrl, translate } from './db.js';
import { Fleet, type FleetLogger } from './fleet.js';
import { migratePostgres } from './migrations/index.js';
import { PgRoles } from './roles.js';
import { PgTokens } from './tokens.js';
import { PgUsers } from './users.js';

export interface PostgresStoreOptions {
  /** postgres://user[:password]@host:port/database[?sslmode=…]; the password may also come from PGPASSWORD. */
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly propagationTimeoutMs: number;
  /** false: no LISTEN/NOTIFY wake-up, polling only. */
  readonly listen: boolean;
  /** A CA certificate file for verify-ca/verify-full. */
  readonly caFile: string;
  readonly logger: FleetLogger;
  readonly now?: number;
  /** Identifies this instance in the heartbeat table; random by default. */
  readonly instanceId?: string;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly fleet: Fleet;
  /** The URL without its password. */
  readonly url: string;
  /** Statements this store has sent to PostgreSQL. */
  statements(): number;
}

/** BIGINT columns hold epoch milliseconds and sequence numbers, all within 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

function clientConfig(options: PostgresStoreOptions): pg.ClientConfig {
  const config: pg.ClientConfig = {
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // The lock waits of a write are bounded too, not only its statements.
    lock_timeout: options.statementTimeoutMs,
    // A connection that goes silent (no reset, no answer) must not hang a request: the client gives up too.
    query_timeout: options.statementTimeoutMs + 1000,
    keepAlive: true,
    application_name: 'esgate',
    types,
  };
  if (options.caFile !== '') {
    // The driver lets the URL's ssl parameters override `ssl`: drop them, so the CA is always used and verified.
    const url = new URL(options.url);
    for (const name of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) url.searchParams.delete(name);
    config.connectionString = url.toString();
    config.ssl = { ca: readFileSync(options.caFile, 'utf8'), rejectUnauthorized: true };
  }
  return config;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const base = clientConfig(options);
  const pool = new pg.Pool({ ...base, max: options.poolSize, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by the server must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  const db = new PgDb(pool);
  const fleet = new Fleet(db, base, {
    instanceId: options.instanceId ?? randomUUID(),
    host: hostname(),
    pollIntervalMs: options.pollIntervalMs,
    propagationTimeoutMs: options.propagationTimeoutMs,
    listen: options.listen,
    logger: options.logger,
  });
  try {
    await migratePostgres(pool, options.now ?? Date.now());
    await fleet.start();
  } catch (err) {
    await fleet.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    const cause = translate(err);
    // Never the password: only the redacted URL and the driver's message (which does not carry it).
    throw new Error(`cannot open the PostgreSQL store at ${redactUrl(options.url)}: ${(err as Error).message}`, { cause });
  }
  let closed = false;
  return {
    kind: 'postgres',
    url: redactUrl(options.url),
    fleet,
    statements: () => db.statements,
    users: new PgUsers(db, fleet),
    roles: new PgRoles(db, fleet),
    tokens: new PgTokens(db, fleet),
    apiKeys: new PgApiKeys(db, fleet),
    signingKeys: new PgSigningKeys(db),
    serviceTokens: new PgServiceTokens(db, fleet),
    applicationPrivileges: new PgApplicationPrivileges(db),
    profiles: new PgProfiles(db),
    roleMappings: new PgRoleMappings(db),
    continuations: new PgContinuations(db),
    claimJob: (name, intervalMs) => fleet.claimJob(name, intervalMs),
    // PostgreSQL is backed up with its own tools (pg_dump, base backups), as the README says.
    async backup() {
      throw new Error('esgate store backup copies a SQLite store; back up PostgreSQL with pg_dump or your base backups');
    },
    trimChanges: (olderThanMs, limit) => fleet.trim(olderThanMs, limit),
    // In memory, moved by the feed: a cached credential is served without a round trip.
    externalVersion: () => fleet.externalVersion(),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await fleet.stop();
      await pool.end();
    },
  };
}
