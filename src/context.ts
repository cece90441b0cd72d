// AppContext: everything a running esgate shares, built once at start-up.
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Authentication } from './services/authentication.js';
import type { AuthenticatorChain } from './authc/chain.js';
import { buildAuthenticatorChain } from './authc/index.js';
import { NativeRealm } from './authc/native-realm.js';
import { AuthenticationThrottle } from './authc/throttle.js';
import { RunAs } from './authc/run-as.js';
import { CredentialCache } from './cache/credential-cache.js';
import { keyedDigest } from './cache/keyed-digest.js';
import { ConfigError } from './config/load.js';
import type { Config } from './config/schema.js';
import { loggerOptions } from './http/logging.js';
import { textLogStream } from './http/log-text.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { systemRandom, type Random } from './runtime/random.js';
import { PasswordHasher } from './services/password-hasher.js';
import { TokenService } from './services/token-service.js';
import { ApiKeyService } from './services/api-key-service.js';
import { UserService } from './services/user-service.js';
import { JwtService } from './services/jwt-service.js';
import { ServiceTokenService } from './services/service-token-service.js';
import { ApplicationPrivilegeService } from './services/application-privilege-service.js';
import { ProfileService } from './services/profile-service.js';
import { RoleMappingService } from './services/role-mapping-service.js';
import { RoleService } from './services/role-service.js';
import { Authorizer } from './authz/authorizer.js';
import { ContinuationRegistry } from './authz/continuations.js';
import { AuditLog, auditFile, auditedEvents } from './ops/audit-log.js';
import { Metrics } from './ops/metrics.js';
import { instrumentStore } from './ops/metrics-hooks.js';
import { openPostgresStore } from './store/postgres/index.js';
import type { FleetLogger } from './store/postgres/fleet.js';
import { openSqliteStore, sqliteFile } from './store/sqlite/index.js';
import type { Store } from './store/types.js';

export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: FastifyBaseLogger;
  readonly hasher: PasswordHasher;
  readonly credentialCache: CredentialCache<Authentication>;
  readonly users: UserService;
  readonly realm: NativeRealm;
  readonly tokens: TokenService;
  readonly apiKeys: ApiKeyService;
  readonly serviceTokens: ServiceTokenService;
  readonly applicationPrivileges: ApplicationPrivilegeService;
  readonly profiles: ProfileService;
  readonly roleMappings: RoleMappingService;
  readonly roles: RoleService;
  /** The ECE login's JWTs (ops/ece-login.ts), accepted as Bearer credentials. */
  readonly jwt: JwtService;
  readonly authorizer: Authorizer;
  readonly continuations: ContinuationRegistry;
  readonly chain: AuthenticatorChain;
  readonly runAs: RunAs;
  /** The audit trail, when audit.enabled. */
  readonly audit: AuditLog | null;
  readonly metrics: Metrics;
}

export interface ContextOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logDestination?: NodeJS.WritableStream;
  readonly store?: Store;
  /** A logger already built (the one the store was opened with). */
  readonly logger?: FastifyBaseLogger;
}

/** Where the SQLite store of these settings lives (the CLI checks it exists before opening it). */
export function storeFile(config: Config): string {
  return sqliteFile(config.data_dir);
}

function openSqlite(config: Config, clock: Clock): Store {
  const file = storeFile(config);
  try {
    return openSqliteStore(file, clock.now());
  } catch (err) {
    // The operator fixes a setting, so the message names it (and the file), not a stack.
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError([`data_dir: cannot open the store [${file}] (${code})`]);
  }
}

/** The configured store; PostgreSQL is migrated and joins the fleet before this resolves. */
export async function openStore(config: Config, logger: FleetLogger, clock: Clock = systemClock): Promise<Store> {
  if (config.store.type === 'sqlite') return openSqlite(config, clock);
  const pgc = config.store.postgres;
  return openPostgresStore({
    url: pgc.url,
    caFile: pgc.ca_file,
    poolSize: pgc.pool_size,
    statementTimeoutMs: pgc.statement_timeout,
    connectTimeoutMs: pgc.connect_timeout,
    pollIntervalMs: pgc.poll_interval,
    propagationTimeoutMs: pgc.propagation_timeout,
    listen: pgc.listen,
    logger,
    now: clock.now(),
  });
}

/** pino's own fast stdout writer for JSON; text lines are for people at a terminal, where speed matters less. */
function logStream(config: Config, destination: NodeJS.WritableStream | undefined): pino.DestinationStream {
  if (config.logging.format === 'text') return textLogStream(destination ?? process.stdout);
  return (destination as pino.DestinationStream | undefined) ?? pino.destination(1);
}

export function buildLogger(config: Config, destination?: NodeJS.WritableStream): FastifyBaseLogger {
  return pino(loggerOptions(config.logging.level), logStream(config, destination));
}

function openAudit(config: Config, logger: FastifyBaseLogger): AuditLog {
  const file = auditFile(config);
  try {
    return new AuditLog(file, auditedEvents(config.audit.events), logger);
  } catch (err) {
    throw new ConfigError([`audit.path: cannot open the audit file [${file}] (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
}

export function createContext(options: ContextOptions): AppContext {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const logger = options.logger ?? buildLogger(config, options.logDestination);
  if (options.store === undefined && config.store.type !== 'sqlite') throw new Error('the postgres store is opened with openStore() before the context');
  const metrics = new Metrics();
  const store = instrumentStore(options.store ?? openSqlite(config, clock), metrics);
  const hasher = new PasswordHasher(config.authc.password_hashing, random);
  const credentialCache = new CredentialCache<Authentication>(
    clock,
    config.authc.cache.ttl,
    config.authc.cache.max_users,
    keyedDigest(random.bytes(32)),
    () => store.externalVersion(),
  );
  const users = new UserService({ store, clock, hasher, credentialCache });
  // The authorizer's permission cache is dropped by every role change.
  let authorizer: Authorizer | undefined;
  const roles = new RoleService({ store, clock, onChange: () => authorizer?.invalidate() });
  authorizer = new Authorizer(roles, () => store.externalVersion(), {
    anonymousAuthzException: config.authc.anonymous.authz_exception,
    challenges: () => chain.challenges,
  });
  const throttle = new AuthenticationThrottle(config.authc.throttle, clock, { throttled: (scope) => metrics.throttled.inc({ scope }) });
  const realm = new NativeRealm({ users, hasher, credentialCache, throttle });
  const tokens = new TokenService({ store, clock, random, users, timeoutMs: config.authc.token.timeout });
  const apiKeys = new ApiKeyService({
    store,
    clock,
    random,
    roles,
    retentionMs: config.authc.api_key.delete_retention_period,
    cacheTtlMs: config.authc.api_key.cache.ttl,
    cacheMaxKeys: config.authc.api_key.cache.max_keys,
  });
  // Its own cache, so a service token _clear_cache never drops users' credentials.
  const serviceTokenCache = new CredentialCache<Authentication>(
    clock,
    config.authc.service_token.cache.ttl,
    config.authc.service_token.cache.max_tokens,
    keyedDigest(random.bytes(32)),
    () => store.externalVersion(),
  );
  const serviceTokens = new ServiceTokenService({ store, clock, random, cache: serviceTokenCache });
  const jwt = new JwtService({ store, clock, tokens, users, timeoutMs: config.authc.token.timeout });
  const chain = buildAuthenticatorChain({ config, realm, tokens, apiKeys, serviceTokens, jwt });
  const audit = config.audit.enabled ? openAudit(config, logger) : null;
  const ctx: AppContext = {
    config, store, clock, random, logger, hasher, credentialCache, users, realm, tokens, apiKeys, serviceTokens,
    applicationPrivileges: new ApplicationPrivilegeService(store), profiles: new ProfileService({ store, clock }), roleMappings: new RoleMappingService(store),
    roles, jwt, authorizer, continuations: new ContinuationRegistry(clock, store.continuations, logger), chain, runAs: new RunAs(users, () => chain.challenges), audit, metrics,
  };
  metrics.observe(ctx);
  return ctx;
}
