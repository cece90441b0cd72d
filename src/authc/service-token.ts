// Bearer credentials that decode as a service account token → the service token service
// (Elasticsearch's ServiceAccountAuthenticator, first in the chain). Other bearer values are not
// its own and go on to the OAuth2 token authenticator; a failed service token ends the chain (401).
import type { HeaderValues } from '../errors/es-error.js';
import { EsError } from '../errors/es-error.js';
import { parseServiceToken, type ParsedServiceToken, type ServiceTokenService } from '../services/service-token-service.js';
import type { Credentials } from './credentials.js';
import { success, terminate, type Authenticator } from './types.js';

export interface ServiceTokenAuthcDeps {
  readonly serviceTokens: Pick<ServiceTokenService, 'authenticate'>;
  readonly challenges: () => HeaderValues;
}

export function serviceTokenAuthenticator(deps: ServiceTokenAuthcDeps): Authenticator<ParsedServiceToken> {
  return {
    name: 'service account token',
    // No challenge of its own: Elasticsearch's 401 offers Bearer only for the token service.
    challenge: '',
    extract: (credentials: Credentials) => (credentials.kind === 'bearer' ? parseServiceToken(credentials.token) : null),
    async authenticate(token) {
      const check = await deps.serviceTokens.authenticate(token);
      if (check.status === 'valid') return success(check.authentication);
      return terminate(new EsError(401, check.error.type, check.error.reason, { headers: deps.challenges() }));
    },
  };
}
