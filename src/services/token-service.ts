// The rules of OAuth2 tokens, as Elasticsearch's TokenService applies them: lifetimes, single-use
// refresh with a 30-second reuse window, "only the creating client may refresh", invalidation.
import { illegalArgument } from '../errors/request.js';
import { OAuth2Error } from '../errors/oauth2.js';
import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/random.js';
import type { Store, TokenClientRef, TokenInvalidationCount, TokenRecord, UserRecord } from '../store/types.js';
import { authenticatedUserOf, type Authentication } from './authentication.js';
import type { RealmRef } from './reserved-users.js';
import { SERVICE_ACCOUNTS, SERVICE_ACCOUNT_REALM, serviceAccountAuthentication } from './service-accounts.js';
import type { UserService } from './user-service.js';
import { newToken, openPair, sealPair, tokenDigest, type TokenPair } from './token-crypto.js';

const HOUR_MS = 3_600_000;
/** A refresh token is usable within 24 hours of its pair's creation (Elasticsearch). */
export const REFRESH_LIFETIME_MS = 24 * HOUR_MS;
/** Records are deleted this long after creation (Elasticsearch's ExpiredTokenRemover). */
export const TOKEN_RETENTION_MS = 24 * HOUR_MS;
/** A repeated refresh within this window (either direction) gets the same new pair. */
export const REFRESH_REUSE_WINDOW_MS = 30_000;

export interface TokenServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  /** The user behind a token is looked up on every use: deleted or disabled users' tokens stop working. */
  readonly users: Pick<UserService, 'get'>;
  /** Access token lifetime (authc.token.timeout). */
  readonly timeoutMs: number;
}

export type AccessTokenCheck =
  | { readonly status: 'valid'; readonly authentication: Authentication }
  /** Expired or invalidated: Elasticsearch's `token expired` 401. */
  | { readonly status: 'expired' }
  /** Unknown, malformed, or its user is gone or disabled. */
  | { readonly status: 'invalid' };

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
}

export interface RefreshedTokens extends TokenPair {
  /** The identity the tokens stand for (authentication_type token). */
  readonly authentication: Authentication;
}

export type InvalidateSelector =
  | { readonly kind: 'access_token' | 'refresh_token'; readonly token: string }
  | { readonly kind: 'owner'; readonly username?: string; readonly realmName?: string };

export interface InvalidationResult extends TokenInvalidationCount {
  /** false when a single token was named and is unknown (Elasticsearch answers 404). */
  readonly found: boolean;
}

const EXPIRED: AccessTokenCheck = Object.freeze({ status: 'expired' });
const INVALID: AccessTokenCheck = Object.freeze({ status: 'invalid' });

const invalidGrant = (description: string) => new OAuth2Error('invalid_grant', description);
const couldNotRefresh = () => invalidGrant('could not refresh the requested token');

/** The client's effective subject, as Elasticsearch's canAccessResourcesOf compares it (run-as: the target). */
function clientRefOf(client: Authentication): TokenClientRef {
  return {
    username: client.user.username,
    realmName: client.lookupRealm.name,
    realmType: client.lookupRealm.type,
    apiKeyId: client.apiKey?.id ?? null,
  };
}

function sameClient(a: TokenClientRef, b: TokenClientRef): boolean {
  if (a.apiKeyId !== null || b.apiKeyId !== null) return a.apiKeyId === b.apiKeyId;
  return a.username === b.username && a.realmName === b.realmName && a.realmType === b.realmType;
}

/**
 * What the token remembers of the authentication it was created from; no secret is part of it.
 * Under run-as the token stands for the effective user alone, in that user's realm (esgate keeps no
 * run-as inside tokens).
 */
function snapshotOf(subject: Authentication): Record<string, unknown> {
  const { user } = subject;
  return {
    user: { username: user.username, roles: [...user.roles], full_name: user.fullName, email: user.email, metadata: user.metadata },
    authentication_realm: subject.authenticatingUser === undefined ? subject.authenticationRealm : subject.lookupRealm,
    lookup_realm: subject.lookupRealm,
    authentication_type: subject.type,
    ...(subject.serviceAccount === undefined ? {} : { service_account_token: subject.serviceAccount.tokenName }),
  };
}

function realmFrom(value: unknown, fallback: RealmRef): RealmRef {
  if (typeof value !== 'object' || value === null) return fallback;
  const { name, type } = value as { name?: unknown; type?: unknown };
  return typeof name === 'string' && typeof type === 'string' ? Object.freeze({ name, type }) : fallback;
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  /** `expires_in` of a token response. */
  get expiresInSeconds(): number {
    return Math.floor(this.deps.timeoutMs / 1000);
  }

  /** A token for `subject`, obtained by `client` (the caller of the token API). */
  async create(subject: Authentication, client: Authentication, withRefreshToken: boolean): Promise<IssuedTokens> {
    // An API key's or anonymous identity cannot be rebuilt from the user store, so a token could not
    // carry its limits; esgate refuses rather than mint a broader identity.
    if (subject.type === 'api_key' || subject.type === 'anonymous') {
      throw illegalArgument(`OAuth2 tokens cannot be created for ${subject.type === 'api_key' ? 'API key' : 'anonymous'} authentication`);
    }
    const { random, clock, timeoutMs, store } = this.deps;
    const now = clock.now();
    const accessToken = newToken(random);
    const refreshToken = withRefreshToken ? newToken(random) : null;
    await store.tokens.insert({
      accessDigest: tokenDigest(accessToken)!,
      refreshDigest: refreshToken === null ? null : tokenDigest(refreshToken)!,
      username: subject.user.username,
      realmName: subject.lookupRealm.name,
      realmType: subject.lookupRealm.type,
      authentication: snapshotOf(subject),
      client: clientRefOf(client),
      createdAt: now,
      accessExpiresAt: now + timeoutMs,
      accessInvalidated: false,
      refreshInvalidated: false,
      refreshedAt: null,
      superseding: null,
    });
    return { accessToken, refreshToken };
  }

  /** One indexed lookup by digest, then the user's current state. */
  async authenticate(accessToken: string): Promise<AccessTokenCheck> {
    const digest = tokenDigest(accessToken);
    if (digest === null) return INVALID;
    const record = await this.deps.store.tokens.getByAccessDigest(digest);
    if (record === null) return INVALID;
    if (record.accessInvalidated || this.deps.clock.now() > record.accessExpiresAt) return EXPIRED;
    if (record.realmType === SERVICE_ACCOUNT_REALM.type) return this.serviceAccountToken(record);
    const user = await this.deps.users.get(record.username);
    if (user === null || !user.enabled) return INVALID;
    return { status: 'valid', authentication: this.authenticationOf(record, user) };
  }

  /**
   * Spends a refresh token for a new pair. Atomic in the store: of racing refreshes one stores the
   * successor and the others, within 30 seconds, decrypt and return that same pair.
   */
  async refresh(refreshToken: string, client: Authentication): Promise<RefreshedTokens> {
    const { store, clock, random, timeoutMs } = this.deps;
    const digest = tokenDigest(refreshToken);
    if (digest === null) throw couldNotRefresh();
    const existing = await store.tokens.getByRefreshDigest(digest);
    if (existing === null) throw couldNotRefresh();
    const now = clock.now();
    const clientRef = clientRefOf(client);
    const refusal = this.refusal(existing, now, clientRef);
    if (refusal !== null) throw refusal;
    const user = await this.deps.users.get(existing.username);
    if (user === null || !user.enabled) throw couldNotRefresh();
    const authentication = this.authenticationOf(existing, user);
    if (existing.refreshedAt !== null) return { ...this.reuse(existing, refreshToken, now), authentication };

    const pair: TokenPair = { accessToken: newToken(random), refreshToken: newToken(random) };
    const successor: TokenRecord = {
      ...existing,
      accessDigest: tokenDigest(pair.accessToken)!,
      refreshDigest: tokenDigest(pair.refreshToken)!,
      client: clientRef,
      createdAt: now,
      accessExpiresAt: now + timeoutMs,
      accessInvalidated: false,
      refreshInvalidated: false,
      refreshedAt: null,
      superseding: null,
    };
    const superseding = sealPair(pair, refreshToken, existing.accessDigest, random);
    const outcome = await store.tokens.refresh(digest, { record: successor, superseding, refreshedAt: now }, (current) => {
      return current.refreshedAt === null && this.refusal(current, now, clientRef) === null;
    });
    if (outcome.current === null) throw couldNotRefresh();
    if (outcome.superseded) return { ...pair, authentication };
    // Another refresh won the race (or the token was invalidated meanwhile).
    const lateRefusal = this.refusal(outcome.current, now, clientRef);
    if (lateRefusal !== null) throw lateRefusal;
    return { ...this.reuse(outcome.current, refreshToken, now), authentication };
  }

  async invalidate(selector: InvalidateSelector): Promise<InvalidationResult> {
    const { tokens } = this.deps.store;
    if (selector.kind === 'owner') {
      if (!selector.username && !selector.realmName) return { found: true, invalidated: 0, previouslyInvalidated: 0 };
      const now = this.deps.clock.now();
      const owner = {
        ...(selector.username ? { username: selector.username } : {}),
        ...(selector.realmName ? { realmName: selector.realmName } : {}),
      };
      return { found: true, ...(await tokens.invalidateActive(owner, now, now - REFRESH_LIFETIME_MS)) };
    }
    const digest = tokenDigest(selector.token);
    const count =
      digest === null ? null : selector.kind === 'access_token' ? await tokens.invalidateAccess(digest) : await tokens.invalidateRefresh(digest);
    return count === null ? { found: false, invalidated: 0, previouslyInvalidated: 0 } : { found: true, ...count };
  }

  /** Deletes up to `limit` records older than the retention period; returns how many. */
  purgeExpired(limit: number): Promise<number> {
    return this.deps.store.tokens.deleteCreatedBefore(this.deps.clock.now() - TOKEN_RETENTION_MS, limit);
  }

  /** Elasticsearch's checkTokenDocumentForRefresh, in its order. */
  private refusal(record: TokenRecord, now: number, client: TokenClientRef): OAuth2Error | null {
    if (now > record.createdAt + REFRESH_LIFETIME_MS) return invalidGrant('token document has expired');
    if (record.refreshInvalidated) return invalidGrant('token has been invalidated');
    if (!sameClient(record.client, client)) return invalidGrant('tokens must be refreshed by the creating client');
    return null;
  }

  /** Elasticsearch's checkMultipleRefreshes, then the sealed successor pair. */
  private reuse(record: TokenRecord, refreshToken: string, now: number): TokenPair {
    const refreshedAt = record.refreshedAt ?? now;
    if (now > refreshedAt + REFRESH_REUSE_WINDOW_MS) throw invalidGrant('token has already been refreshed more than 30 seconds in the past');
    if (now < refreshedAt - REFRESH_REUSE_WINDOW_MS) {
      throw invalidGrant('token has been refreshed more than 30 seconds in the future, clock skew too great');
    }
    const pair = record.superseding === null ? null : openPair(record.superseding, refreshToken, record.accessDigest);
    if (pair === null) throw couldNotRefresh();
    return pair;
  }

  /** A client_credentials token of a service account: the account itself, with its fixed descriptor. */
  private serviceAccountToken(record: TokenRecord): AccessTokenCheck {
    const account = SERVICE_ACCOUNTS.get(record.username);
    const tokenName = record.authentication['service_account_token'];
    if (account === undefined || typeof tokenName !== 'string') return INVALID;
    return { status: 'valid', authentication: serviceAccountAuthentication(account, tokenName) };
  }

  /** The token's identity: the user as stored now (roles, enabled), the realm it was authenticated by. */
  private authenticationOf(record: TokenRecord, user: UserRecord): Authentication {
    const tokenRealm = Object.freeze({ name: record.realmName, type: record.realmType });
    return Object.freeze({
      user: authenticatedUserOf(user),
      authenticationRealm: realmFrom(record.authentication['authentication_realm'], tokenRealm),
      lookupRealm: realmFrom(record.authentication['lookup_realm'], tokenRealm),
      type: 'token',
      scheme: 'bearer',
    });
  }
}
