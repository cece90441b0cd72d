// Basic credentials → the native realm.
import { unableToAuthenticate } from '../errors/authc.js';
import type { HeaderValues } from '../errors/es-error.js';
import type { Credentials } from './credentials.js';
import type { NativeRealm } from './native-realm.js';
import { success, terminate, type Authenticator } from './types.js';

interface BasicToken {
  readonly username: string;
  readonly password: string;
}

export interface BasicDeps {
  readonly realm: NativeRealm;
  /** Filled in by the chain once every authenticator is known. */
  readonly challenges: () => HeaderValues;
}

export function basicAuthenticator(deps: BasicDeps): Authenticator<BasicToken> {
  return {
    name: 'realms',
    challenge: 'Basic realm="security", charset="UTF-8"',
    extract: (credentials: Credentials) => (credentials.kind === 'basic' ? credentials : null),
    async authenticate(token, request) {
      const authentication = await deps.realm.authenticate(token.username, token.password, request.clientAddress);
      if (authentication === null) return terminate(unableToAuthenticate(token.username, request.uri, deps.challenges()));
      return success(authentication);
    },
  };
}
