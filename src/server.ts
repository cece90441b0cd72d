// serve: config → context → bootstrap → app → listen; graceful shutdown closes the store.
import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError } from './config/load.js';
import { watchTlsFiles } from './http/tls.js';
import { startMetricsListener } from './ops/metrics-hooks.js';
import type { Config } from './config/schema.js';
import { esgateVersion } from './runtime/version.js';
import { buildLogger, createContext, openStore, storeFile, type AppContext } from './context.js';
import { probeUpstream } from './ops/health.js';
import { publicUpstreamUrl } from './proxy/upstream-errors.js';
import { bootstrapSuperuser } from './ops/bootstrap.js';
import { usesFieldOrDocumentSecurity } from './services/role-descriptor.js';
import { startHousekeeping } from './ops/housekeeping.js';
import { CONSOLE_PATH, consoleEnabled } from './ops/console.js';

/** The address a browser on this machine can open (a wildcard listen address is not one). */
function consoleUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') return CONSOLE_PATH;
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${CONSOLE_PATH}`;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  /** SIGHUP: re-reads the TLS certificates (open connections keep theirs) and reopens the audit file. */
  reload(): void;
  /** Stops accepting, lets in-flight requests finish, closes the store. */
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  print: (text: string) => void,
  /** Where log lines go; stdout by default (tests capture them). */
  logDestination?: NodeJS.WritableStream,
): Promise<RunningServer> {
  const logger = buildLogger(config, logDestination);
  const ctx = createContext({ config, logger, store: await openStore(config, logger) });
  try {
    await bootstrapSuperuser(ctx.users, ctx.random, config.bootstrap.password, print);
    await warnAboutUnenforcedSecurity(ctx);
    if (config.upstream.url.startsWith('https:') && config.upstream.ssl.verification_mode === 'none') {
      ctx.logger.warn({ setting: 'upstream.ssl.verification_mode' }, "upstream.ssl.verification_mode is none: the cluster's certificate is not checked, and anyone on the path to it can read and change the traffic");
    }
    const app = await buildApp(ctx);
    await app.listen({ host: config.http.host, port: config.http.port });
    const metricsListener = config.metrics.port === 0 ? null : await startMetricsListener(ctx.metrics, config.metrics.host, config.metrics.port).catch(async (err: unknown) => {
      await app.close();
      throw new ConfigError([`metrics.port: cannot listen on ${config.metrics.host}:${config.metrics.port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
    });
    await logStartupSummary(ctx, app);
    const housekeeping = startHousekeeping(ctx);
    if (consoleEnabled(config)) print(`esgate: web console at ${consoleUrl(app)}\n`);
    const tls = config.http.ssl.enabled ? watchTlsFiles(app.server as unknown as TlsServer, config.http.ssl, ctx.logger) : null;
    let closing: Promise<void> | undefined;
    return {
      app,
      ctx,
      reload: () => {
        tls?.reload();
        ctx.audit?.reopen();
      },
      close: () => {
        tls?.stop();
        housekeeping.stop();
        closing ??= Promise.all([app.close(), metricsListener?.close()]).then(() => undefined).finally(() => {
          ctx.audit?.close();
          return ctx.store.close();
        });
        return closing;
      },
    };
  } catch (err) {
    await ctx.store.close();
    throw err;
  }
}

/** One line an operator reads to know what started: version, where, TLS, upstream, store, realms. */
async function logStartupSummary(ctx: AppContext, app: FastifyInstance): Promise<void> {
  const { config } = ctx;
  const address = app.server.address();
  const listen = address === null || typeof address === 'string' ? String(address) : `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const upstream = await probeUpstream(config);
  const realms = ['reserved', 'native', ...(config.authc.token.enabled ? ['token'] : []), ...(config.authc.api_key.enabled ? ['api_key'] : []), ...(config.authc.anonymous.roles.length > 0 ? ['anonymous'] : [])];
  ctx.logger.info(
    {
      version: esgateVersion(),
      listen,
      tls: config.http.ssl.enabled,
      ...(config.http.ssl.enabled ? { client_authentication: config.http.ssl.client_authentication } : {}),
      upstream: publicUpstreamUrl(config.upstream.url),
      upstream_reachable: upstream.reachable,
      ...(upstream.reachable ? {} : { upstream_error: upstream.error }),
      store: ctx.store.kind === 'sqlite' ? { type: 'sqlite', path: storeFile(config) } : { type: 'postgres', url: (ctx.store as { url?: string }).url ?? '' },
      realms,
      audit: ctx.audit === null ? false : ctx.audit.file,
    },
    'esgate started',
  );
}

/** Field- and document-level security are stored with roles but not enforced by esgate: say so loudly. */
async function warnAboutUnenforcedSecurity(ctx: AppContext): Promise<void> {
  const roles = (await ctx.roles.list()).filter(([, descriptor]) => usesFieldOrDocumentSecurity(descriptor)).map(([name]) => name);
  if (roles.length > 0) {
    ctx.logger.warn({ roles }, 'these roles use field_security or query: esgate does not enforce field- or document-level security; the upstream returns every field and document of the granted indices');
  }
}

const SHUTDOWN_GRACE_MS = 30_000;

/** Runs until SIGTERM or SIGINT, then shuts down gracefully; resolves with the exit code. */
export async function serveUntilSignalled(config: Config, print: (text: string) => void): Promise<number> {
  const server = await startServer(config, print);
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      server.ctx.logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        server.ctx.logger.error({ grace_ms: SHUTDOWN_GRACE_MS }, 'in-flight requests did not finish in time');
        resolve(1);
      }, SHUTDOWN_GRACE_MS);
      timer.unref();
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          server.ctx.logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGHUP', () => {
      server.ctx.logger.info({ signal: 'SIGHUP' }, 'reloading');
      server.reload();
    });
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
