// Bearer credentials → the token service (Elasticsearch's OAuth2TokenAuthenticator). A JWT of the
// ECE login stands for an access token and is checked through it (services/jwt-service.ts).
import { tokenExpired } from '../errors/authc.js';
import { looksLikeJwt, type JwtService } from '../services/jwt-service.js';
import type { TokenService } from '../services/token-service.js';
import type { Credentials } from './credentials.js';
import { continueWith, success, terminate, type Authenticator } from './types.js';

export interface BearerTokenDeps {
  readonly tokens: Pick<TokenService, 'authenticate'>;
  readonly jwt: Pick<JwtService, 'authenticate'>;
}

const INVALID_TOKEN = continueWith('invalid token');

export function bearerTokenAuthenticator(deps: BearerTokenDeps): Authenticator<string> {
  return {
    name: 'oauth2 token',
    challenge: 'Bearer realm="security"',
    extract: (credentials: Credentials) => (credentials.kind === 'bearer' ? credentials.token : null),
    async authenticate(token) {
      const check = looksLikeJwt(token) ? await deps.jwt.authenticate(token) : await deps.tokens.authenticate(token);
      if (check.status === 'valid') return success(check.authentication);
      // Expired or invalidated: stop with the RFC 6750 challenge alone, as Elasticsearch does.
      if (check.status === 'expired') return terminate(tokenExpired());
      return INVALID_TOKEN;
    },
  };
}
