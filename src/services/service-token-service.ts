// Service account tokens (Elasticsearch's ServiceAccountService + IndexServiceAccountTokenStore):
// created per built-in account, the secret returned once and stored as a salted digest, verified
// through a credential cache that every delete and _clear_cache empties.
import type { CredentialCache } from '../cache/credential-cache.js';
import { EsError } from '../errors/es-error.js';
import { illegalArgument, validationFailed } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/random.js';
import type { Store } from '../store/types.js';
import { digestApiKeySecret, verifyApiKeySecret } from './api-key-crypto.js';
import type { Authentication } from './authentication.js';
import { SERVICE_ACCOUNTS, serviceAccountAuthentication, type ServiceAccount } from './service-accounts.js';

/** MAGIC_BYTE, TOKEN_TYPE, RESERVED_BYTE, FORMAT_VERSION of Elasticsearch's ServiceAccountToken. */
const PREFIX = Buffer.from([0, 1, 0, 1]);
const TOKEN_NAME = /^[a-zA-Z0-9-][a-zA-Z0-9_-]{0,255}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A bearer value longer than this is no service token esgate issued (bounded work per request). */
const MAX_BEARER = 2048;

export interface ServiceTokenDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly cache: CredentialCache<Authentication>;
}

/** A bearer value decoded as a service account token. */
export interface ParsedServiceToken {
  readonly accountId: string;
  readonly name: string;
  readonly secret: string;
}

export type ServiceTokenCheck = { readonly status: 'valid'; readonly authentication: Authentication } | { readonly status: 'invalid'; readonly error: EsError };

export function invalidTokenNameMessage(name: string): string {
  return `invalid service token name [${name}]. service account token name must have at least 1 character and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_). It must not begin with an underscore (_).`;
}

export function isValidTokenName(name: string): boolean {
  return TOKEN_NAME.test(name);
}

/** null: not a service account token (the OAuth2 token authenticator may try it). */
export function parseServiceToken(bearer: string): ParsedServiceToken | null {
  if (bearer.length > MAX_BEARER || !BASE64.test(bearer)) return null;
  const bytes = Buffer.from(bearer, 'base64');
  if (bytes.length < PREFIX.length || !bytes.subarray(0, PREFIX.length).equals(PREFIX)) return null;
  const content = bytes.subarray(PREFIX.length).toString('utf8');
  const colon = content.indexOf(':');
  if (colon < 0) return null;
  const parts = content.slice(0, colon).split('/');
  if (parts.length !== 3) return null;
  const [namespace, service, name] = parts as [string, string, string];
  return { accountId: `${namespace}/${service}`, name, secret: content.slice(colon + 1) };
}

export function encodeServiceToken(accountId: string, name: string, secret: string): string {
  return Buffer.concat([PREFIX, Buffer.from(`${accountId}/${name}:${secret}`, 'utf8')]).toString('base64').replace(/=+$/, '');
}

function authenticationFailed(token: ParsedServiceToken): EsError {
  return new EsError(401, 'security_exception', `failed to authenticate service account [${token.accountId}] with token name [${token.name}]`);
}

export class ServiceTokenService {
  constructor(private readonly deps: ServiceTokenDeps) {}

  account(accountId: string): ServiceAccount | undefined {
    return SERVICE_ACCOUNTS.get(accountId);
  }

  private requireAccount(accountId: string): ServiceAccount {
    const account = this.account(accountId);
    if (account === undefined) throw illegalArgument(`service account [${accountId}] does not exist`);
    return account;
  }

  /** Creates a token; the value (with the secret) is returned here and never again. */
  async create(accountId: string, name: string | undefined, creator: { principal: string; realm: string }): Promise<{ name: string; value: string }> {
    const tokenName = name ?? `token_${this.deps.random.bytes(15).toString('base64url')}`;
    if (!isValidTokenName(tokenName)) throw validationFailed([invalidTokenNameMessage(tokenName)]);
    this.requireAccount(accountId);
    const secret = this.deps.random.bytes(16).toString('base64url');
    const inserted = await this.deps.store.serviceTokens.insert({
      accountId,
      name: tokenName,
      digest: digestApiKeySecret(secret, this.deps.random),
      createdAt: this.deps.clock.now(),
      creator,
    });
    if (!inserted) {
      throw new EsError(409, 'version_conflict_engine_exception', `[service_account_token-${accountId}/${tokenName}]: version conflict, document already exists (current version [1])`);
    }
    return { name: tokenName, value: encodeServiceToken(accountId, tokenName, secret) };
  }

  async tokenNames(accountId: string): Promise<string[]> {
    this.requireAccount(accountId);
    return (await this.deps.store.serviceTokens.list(accountId)).map((token) => token.name);
  }

  async delete(accountId: string, name: string): Promise<boolean> {
    if (!isValidTokenName(name)) throw validationFailed([invalidTokenNameMessage(name)]);
    const found = this.account(accountId) !== undefined && (await this.deps.store.serviceTokens.delete(accountId, name));
    this.deps.cache.invalidateUser(`${accountId}/${name}`);
    return found;
  }

  /** Drops cached verifications: of the named tokens, or (`names` empty) of every token of the account. */
  clearCache(accountId: string, names: readonly string[]): void {
    for (const name of names) if (!isValidTokenName(name)) throw illegalArgument(invalidTokenNameMessage(name));
    if (names.length === 0) {
      this.deps.cache.clear();
      return;
    }
    for (const name of names) this.deps.cache.invalidateUser(`${accountId}/${name}`);
  }

  async authenticate(token: ParsedServiceToken): Promise<ServiceTokenCheck> {
    const account = this.account(token.accountId);
    if (account === undefined || !isValidTokenName(token.name)) return { status: 'invalid', error: authenticationFailed(token) };
    const { cache } = this.deps;
    const qualified = `${token.accountId}/${token.name}`;
    const key = cache.keyFor(qualified, token.secret);
    const cached = cache.get(key);
    if (cached !== undefined) return { status: 'valid', authentication: cached };
    const record = await this.deps.store.serviceTokens.get(token.accountId, token.name);
    if (record === null || !verifyApiKeySecret(token.secret, record.digest)) return { status: 'invalid', error: authenticationFailed(token) };
    const authentication = serviceAccountAuthentication(account, token.name);
    cache.set(key, qualified, authentication);
    return { status: 'valid', authentication };
  }
}
