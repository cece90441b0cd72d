// The connection pool and the two ways SQL runs: a single statement, or a transaction. Errors that
// mean "the database cannot be reached right now" become Elasticsearch's 503, so a request that
// needs the store while PostgreSQL is down gets an answer shaped like the cluster's, never a 500.
import pg from 'pg';
import { EsError } from '../../errors/es-error.js';

export type Params = ReadonlyArray<string | number | boolean | null | readonly string[]>;

/** What a repository needs: run one statement, on the pool or inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: Params): Promise<pg.QueryResult<R>>;
}

/** SQLSTATE classes and codes that say the server or the connection is gone, not that the SQL is wrong. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

function isUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  }
  const message = String((err as { message?: unknown }).message ?? '');
  // node-postgres reports a dropped socket and a pool wait past connectionTimeoutMillis without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection timeout|Query read timeout/i.test(message);
}

/** Elasticsearch's answer when the security index has no available primary (SecurityIndexManager). */
export function storeUnavailable(cause?: unknown): EsError {
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return new EsError(503, 'unavailable_shards_exception', 'at least one primary shard for the index [.security-7] is unavailable', {
    // Only the code goes to the log: node-postgres messages can name the host, never the password, but keep it minimal.
    cause: { code: typeof code === 'string' ? code : 'unavailable' },
  });
}

export function translate(err: unknown): unknown {
  return isUnavailable(err) ? storeUnavailable(err) : err;
}

export class PgDb implements Queryable {
  /** Statements sent so far (the fleet's background reads included): shows what the hot path costs. */
  statements = 0;

  constructor(readonly pool: pg.Pool) {}

  async query<R extends pg.QueryResultRow>(sql: string, params: Params = []): Promise<pg.QueryResult<R>> {
    this.statements++;
    try {
      return await this.pool.query<R>(sql, params as unknown[]);
    } catch (err) {
      throw translate(err);
    }
  }

  /** Runs `fn` in one transaction (READ COMMITTED); rolled back on any error, which is rethrown. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw translate(err);
    }
    const tx: Queryable = {
      query: async <R extends pg.QueryResultRow>(sql: string, params: Params = []) => {
        this.statements++;
        return client.query<R>(sql, params as unknown[]);
      },
    };
    let broken = false;
    // A backend killed while the client is checked out is reported as an event too, not only as the
    // failed query: without a listener it would crash the process.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken ||= isUnavailable(err);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw translate(err);
    } finally {
      client.off('error', onError);
      // A connection that failed mid-transaction is discarded rather than handed to the next caller.
      client.release(broken ? true : undefined);
    }
  }
}

/** The URL without its password, for logs, errors and the health answer. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
