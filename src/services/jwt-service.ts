// The ECE login's JWTs: ES256, signed with a key pair kept in the store (rotated by `esgate keys
// rotate`, published as a JWKS). A JWT stands for one esgate access token, its `jti`, so it expires,
// is invalidated (token API, by token, user or realm) and is refused for a disabled or deleted user
// exactly like that token. It also carries a keyed digest of the user's password hash, so a
// password change revokes it.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Clock } from '../runtime/clock.js';
import type { SigningKeyRecord, Store } from '../store/types.js';
import type { Authentication } from './authentication.js';
import type { AccessTokenCheck, TokenService } from './token-service.js';
import type { UserService } from './user-service.js';

export const JWT_ALGORITHM = 'ES256';
export const JWT_ISSUER = 'esgate';
/** Retired keys are kept this long (tokens live at most an hour), then deleted at the next rotation. */
const RETIRED_KEY_RETENTION_MS = 24 * 3_600_000;
/** Three base64url parts, the first a JSON header: never one of esgate's opaque access tokens. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const INVALID: AccessTokenCheck = Object.freeze({ status: 'invalid' });
/** An unknown kid reloads the keys (another process rotated) at most this often: bogus kids stay cheap. */
const UNKNOWN_KID_RELOAD_MS = 1000;

export const looksLikeJwt = (token: string): boolean => token.length < 4096 && JWT_SHAPE.test(token);

type Key = Awaited<ReturnType<typeof importJWK>>;

interface LoadedKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly verifyKey: Key;
  readonly signKey: Key;
  /** Keyed digests of password hashes are made with this secret, derived from the private key. */
  readonly bindingSecret: Buffer;
  /**
   * Seals the access token into the `jti`: a JWT's payload is readable by anyone who sees it, and
   * the raw access token there would be a second credential that the password binding does not cover.
   */
  readonly sealKey: Buffer;
}

/** AES-256-GCM: 12-byte IV, ciphertext, 16-byte tag, base64url. */
function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function unseal(key: Buffer, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16 + 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

interface KeySet {
  readonly signing: LoadedKey;
  readonly byKid: ReadonlyMap<string, LoadedKey>;
  readonly version: number;
}

export interface JwtServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly tokens: Pick<TokenService, 'create' | 'authenticate'>;
  readonly users: Pick<UserService, 'get'>;
  readonly timeoutMs: number;
}

async function loadKey(record: SigningKeyRecord): Promise<LoadedKey> {
  const privateJwk = JSON.parse(record.privateJwk) as JWK;
  const publicJwk = JSON.parse(record.publicJwk) as JWK;
  return {
    kid: record.kid,
    publicJwk,
    verifyKey: await importJWK(publicJwk, record.algorithm),
    signKey: await importJWK(privateJwk, record.algorithm),
    bindingSecret: createHmac('sha256', 'esgate jwt password binding').update(privateJwk.d ?? '').digest(),
    sealKey: createHmac('sha256', 'esgate jwt access token seal').update(privateJwk.d ?? '').digest(),
  };
}

export async function newSigningKey(now: number): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateKeyPair(JWT_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, algorithm: JWT_ALGORITHM, privateJwk: JSON.stringify(await exportJWK(privateKey)), publicJwk: JSON.stringify(publicJwk), createdAt: now, retiredAt: null };
}

export class JwtService {
  private current: KeySet | null = null;
  private loading: Promise<KeySet> | null = null;
  private unknownKidReloadAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: JwtServiceDeps) {}

  /** A new signing key; the previous ones keep verifying the JWTs they signed. Returns its kid. */
  async rotate(): Promise<string> {
    const now = this.deps.clock.now();
    const next = await newSigningKey(now);
    await this.deps.store.signingKeys.rotate(next, now - RETIRED_KEY_RETENTION_MS);
    this.current = null;
    return next.kid;
  }

  /** The JWKS document of every key that may have signed a live JWT. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await this.keySet();
    return { keys: [...keys.byKid.values()].map((key) => ({ ...key.publicJwk, kid: key.kid, alg: JWT_ALGORITHM, use: 'sig' })) };
  }

  /** The ECE login: a JWT for a fresh access token of this (realm) authentication. */
  async issue(authentication: Authentication): Promise<string> {
    const { signing } = await this.keySet();
    const user = await this.deps.users.get(authentication.user.username);
    if (user === null) throw new Error('the user disappeared while signing in');
    const { accessToken } = await this.deps.tokens.create(authentication, authentication, false);
    const now = Math.floor(this.deps.clock.now() / 1000);
    return new SignJWT({ pwb: this.binding(signing, user.passwordHash), realm: authentication.lookupRealm.name })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: signing.kid, typ: 'JWT' })
      .setIssuer(JWT_ISSUER)
      .setSubject(authentication.user.username)
      .setJti(seal(signing.sealKey, accessToken))
      .setIssuedAt(now)
      .setExpirationTime(now + Math.floor(this.deps.timeoutMs / 1000))
      .sign(signing.signKey);
  }

  /** Bearer credentials that are one of esgate's JWTs: the access token's check, plus the password binding. */
  async authenticate(jwt: string): Promise<AccessTokenCheck> {
    const verified = await this.verify(jwt, false);
    if (verified === null) return INVALID;
    const check = await this.deps.tokens.authenticate(verified.jti);
    if (check.status !== 'valid') return check;
    const user = await this.deps.users.get(verified.subject);
    const expected = user === null ? null : Buffer.from(this.binding(verified.key, user.passwordHash));
    const given = Buffer.from(verified.binding);
    if (expected === null || expected.length !== given.length || !timingSafeEqual(expected, given)) return INVALID;
    return check;
  }

  /** The access token a JWT of ours stands for (expired ones too, for the invalidate API); else null. */
  async accessTokenOf(jwt: string): Promise<string | null> {
    return (await this.verify(jwt, true))?.jti ?? null;
  }

  private binding(key: LoadedKey, passwordHash: string): string {
    return createHmac('sha256', key.bindingSecret).update(passwordHash).digest('base64url');
  }

  private async verify(jwt: string, allowExpired: boolean): Promise<{ jti: string; subject: string; binding: string; key: LoadedKey } | null> {
    if (!looksLikeJwt(jwt)) return null;
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(jwt).kid;
    } catch {
      return null;
    }
    if (typeof kid !== 'string') return null;
    let keys = await this.keySet();
    const now = performance.now();
    if (!keys.byKid.has(kid) && now - this.unknownKidReloadAt >= UNKNOWN_KID_RELOAD_MS) {
      // Another process may have rotated since this one loaded the keys (and its commit not yet seen).
      this.unknownKidReloadAt = now;
      this.current = null;
      keys = await this.keySet();
    }
    const key = keys.byKid.get(kid);
    if (key === undefined) return null;
    try {
      const { payload } = await jwtVerify(jwt, key.verifyKey, {
        issuer: JWT_ISSUER,
        algorithms: [JWT_ALGORITHM],
        currentDate: new Date(allowExpired ? 0 : this.deps.clock.now()),
        requiredClaims: ['jti', 'sub', 'exp', 'pwb'],
      });
      if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string' || typeof payload['pwb'] !== 'string') return null;
      const accessToken = unseal(key.sealKey, payload.jti);
      if (accessToken === null) return null;
      return { jti: accessToken, subject: payload.sub, binding: payload['pwb'], key };
    } catch {
      return null;
    }
  }

  /** The keys, loaded once and again whenever another process committed to the store. */
  private async keySet(): Promise<KeySet> {
    const version = this.deps.store.externalVersion();
    if (this.current !== null && this.current.version === version) return this.current;
    this.loading ??= this.load(version)
      .then((set) => (this.current = set))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private async load(version: number): Promise<KeySet> {
    let records = await this.deps.store.signingKeys.list();
    if (records.length === 0) {
      await this.deps.store.signingKeys.rotate(await newSigningKey(this.deps.clock.now()), 0, true);
      records = await this.deps.store.signingKeys.list();
    }
    const loaded = await Promise.all(records.map(loadKey));
    const signingIndex = records.findIndex((record) => record.retiredAt === null);
    const signing = loaded[signingIndex === -1 ? 0 : signingIndex] as LoadedKey;
    return { signing, byKid: new Map(loaded.map((key) => [key.kid, key])), version };
  }
}
