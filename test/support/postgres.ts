// A throw-away PostgreSQL database per test file: created on first use, dropped at the end.
// The server is the machine's (127.0.0.1:5432, trust auth) or ESGATE_TEST_POSTGRES_URL. Without one,
// the PostgreSQL tests skip with one line; with CI=true they fail instead.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/index.js';

const ADMIN_URL = process.env['ESGATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is required in CI and cannot be reached at ${ADMIN_URL}: ${(err as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the PostgreSQL tests run here (checked once per file). */
export const postgresAvailable: boolean = await reachable();
if (!postgresAvailable) console.warn(`PostgreSQL tests skipped: no server at ${ADMIN_URL} (set ESGATE_TEST_POSTGRES_URL, or CI=true to make this fail)`);

export interface TestDatabase {
  readonly url: string;
  /** Empties every esgate table (the schema stays), so the next store starts empty. */
  truncate(): Promise<void>;
  /** Runs SQL as the superuser on this database (tests kill connections, read raw rows). */
  admin<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `esgate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    async truncate() {
      const tables = await pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'");
      if (tables.rows.length === 0) return;
      await pool.query(`TRUNCATE ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY`);
    },
    admin: (sql, params) => pool.query(sql, params),
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

const quiet = { warn: () => undefined };

/** A store on the test database with short timeouts, as a test instance of the fleet. */
export function openTestPgStore(url: string, overrides: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
  return openPostgresStore({
    url,
    caFile: '',
    poolSize: 4,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    pollIntervalMs: 200,
    propagationTimeoutMs: 2000,
    listen: true,
    logger: quiet,
    ...overrides,
  });
}
