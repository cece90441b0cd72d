// Username/password verification against the store's users: credential cache first, argon2id only
// on a miss, and the same work for unknown users. Used by Basic credentials and by the password
// grants of the token and API key services.
import type { CredentialCache } from '../cache/credential-cache.js';
import type { AuthenticationThrottle } from './throttle.js';
import { authenticatedUserOf, type Authentication } from '../services/authentication.js';
import type { PasswordHasher } from '../services/password-hasher.js';
import { hasPassword, realmOf } from '../services/reserved-users.js';
import type { UserService } from '../services/user-service.js';

export interface NativeRealmDeps {
  readonly users: UserService;
  readonly hasher: PasswordHasher;
  readonly credentialCache: CredentialCache<Authentication>;
  readonly throttle: AuthenticationThrottle;
}

export class NativeRealm {
  constructor(private readonly deps: NativeRealmDeps) {}

  /**
   * The realm authentication for these credentials, or null (wrong password, unknown or disabled
   * user). Throws the 429 of a throttled source (`address`: the client's) before any other work.
   */
  async authenticate(username: string, password: string, address: string): Promise<Authentication | null> {
    const { credentialCache, hasher, users, throttle } = this.deps;
    await throttle.check(username, address);
    const key = credentialCache.keyFor(username, password);
    const cached = credentialCache.get(key);
    if (cached !== undefined) return cached;

    const user = await users.get(username);
    // Unknown users cost a verification too, so latency does not tell which usernames exist.
    // A reserved user whose password was never set cannot authenticate (Elasticsearch 8's ReservedRealm).
    const verified = user && hasPassword(user) ? await hasher.verify(user.passwordHash, password) : await hasher.verifyNothing(password);
    if (!user || !verified) {
      throttle.recordFailure(username, address);
      return null;
    }
    throttle.recordSuccess(username, address);
    if (!user.enabled) return null;
    const realm = realmOf(user.username);
    const authentication: Authentication = Object.freeze({
      user: authenticatedUserOf(user),
      authenticationRealm: realm,
      lookupRealm: realm,
      type: 'realm',
      scheme: 'basic',
    });
    credentialCache.set(key, user.username, authentication);
    return authentication;
  }
}
