// buildTestApp(): a real esgate over a temp-dir SQLite store, a fixed clock and a fake upstream.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { buildLogger, createContext, openStore, type AppContext } from '../../src/context.js';
import { bootstrapSuperuser } from '../../src/ops/bootstrap.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { fixedClock, type FixedClock } from './fixed-clock.js';
import { logSink, type LogSink } from './log-sink.js';
import { KNOWN_SECRETS } from './secrets.js';
import { tempDir, type TempDir } from './temp-dir.js';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  readonly config: Config;
  readonly upstream: FakeUpstream;
  readonly clock: FixedClock;
  readonly logs: LogSink;
  readonly dir: TempDir;
  /** The `elastic` superuser's password. */
  readonly password: string;
  /** `Basic …` header value for a username and password. */
  basic(username?: string, password?: string): string;
  /** Starts listening on 127.0.0.1:0 and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Settings merged over the defaults (after the test's own data_dir and upstream). */
  readonly settings?: Record<string, unknown>;
  /** Reuse a data directory (restart tests). */
  readonly dir?: TempDir;
  readonly upstream?: FakeUpstream;
  /** Run on this PostgreSQL database (test/support/postgres.ts) instead of a temp-dir SQLite store. */
  readonly postgresUrl?: string;
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObject(current) && isObject(value) ? merge(current, value) : value;
  }
  return out;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const upstream = options.upstream ?? (await startFakeUpstream());
  let config: Config;
  try {
    config = loadConfig({
      env: {},
      cwd: dir.path,
      overrides: merge(
        {
          data_dir: dir.path,
          upstream: { url: upstream.url, timeout: '2s', connect_timeout: '1s' },
          logging: { level: 'info' },
          ...(options.postgresUrl === undefined
            ? {}
            : { store: { type: 'postgres', postgres: { url: options.postgresUrl, poll_interval: '200ms', connect_timeout: '1s', statement_timeout: '2s' } } }),
        },
        options.settings ?? {},
      ),
    });
  } catch (err) {
    // Tests of invalid settings must not leave the upstream or the temp dir behind.
    if (!options.upstream) await upstream.close();
    if (!options.dir) dir.remove();
    throw err;
  }
  const clock = fixedClock();
  const logs = logSink();
  const logger = buildLogger(config, logs);
  const store = config.store.type === 'postgres' ? await openStore(config, logger, clock) : undefined;
  const ctx = createContext(store === undefined ? { config, clock, logger } : { config, clock, logger, store });
  const password = KNOWN_SECRETS.bootstrapPassword;
  await bootstrapSuperuser(ctx.users, ctx.random, password, () => undefined);
  const app = await buildApp(ctx);
  return {
    app,
    ctx,
    config,
    upstream,
    clock,
    logs,
    dir,
    password,
    basic: (username = 'elastic', pw = password) => basicHeader(username, pw),
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      ctx.audit?.close();
      await ctx.store.close();
      if (!options.upstream) await upstream.close();
      if (!options.dir) dir.remove();
    },
  };
}
