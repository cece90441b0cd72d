// Native users over Basic credentials: credential cache first, argon2id only on a miss.
import type { CredentialCache } from '../cache/credential-cache.js';
import { unableToAuthenticate } from '../errors/authc.js';
import type { HeaderValues } from '../errors/es-error.js';
import type { PasswordHasher } from '../services/password-hasher.js';
import { realmOf } from '../services/reserved-users.js';
import type { UserService } from '../services/user-service.js';
import type { Authentication } from './authentication.js';
import type { Credentials } from './credentials.js';
import { success, terminate, type Authenticator } from './types.js';

interface BasicToken {
  readonly username: string;
  readonly password: string;
}

export interface BasicDeps {
  readonly users: UserService;
  readonly hasher: PasswordHasher;
  readonly credentialCache: CredentialCache<Authentication>;
  /** Filled in by the chain once every authenticator is known. */
  readonly challenges: () => HeaderValues;
}

export function basicAuthenticator(deps: BasicDeps): Authenticator<BasicToken> {
  return {
    name: 'realms',
    challenge: 'Basic realm="security", charset="UTF-8"',
    extract: (credentials: Credentials) => (credentials.kind === 'basic' ? credentials : null),
    async authenticate(token, request) {
      const key = deps.credentialCache.keyFor(token.username, token.password);
      const cached = deps.credentialCache.get(key);
      if (cached !== undefined) return success(cached);

      const user = await deps.users.get(token.username);
      // Unknown users cost a verification too, so latency does not tell which usernames exist.
      const verified = user ? await deps.hasher.verify(user.passwordHash, token.password) : await deps.hasher.verifyNothing(token.password);
      if (!user || !verified || !user.enabled) {
        return terminate(unableToAuthenticate(token.username, request.uri, deps.challenges()));
      }
      const realm = realmOf(user.username);
      const authentication: Authentication = Object.freeze({
        user: Object.freeze({
          username: user.username,
          roles: Object.freeze([...user.roles]),
          fullName: user.fullName,
          email: user.email,
          metadata: user.metadata,
          enabled: user.enabled,
        }),
        authenticationRealm: realm,
        lookupRealm: realm,
        type: 'realm',
        scheme: 'basic',
      });
      deps.credentialCache.set(key, user.username, authentication);
      return success(authentication);
    },
  };
}
