// A throw-away PostgreSQL database for one bench run (the machine's server, or ESGATE_BENCH_POSTGRES_URL).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.ESGATE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a database; resolves to {url, drop()}. */
export async function createBenchDatabase() {
  const name = `esgate_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The ESGATE_* settings of an esgate on that database. */
export function postgresSettings(url, extra = {}) {
  return { ESGATE_STORE_TYPE: 'postgres', ESGATE_STORE_POSTGRES_URL: url, ...extra };
}
