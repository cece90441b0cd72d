// ApiKey credentials → the API key service (Elasticsearch's ApiKeyAuthenticator). Every failure is a
// "continue" with Elasticsearch's message, so the 401 lists it under additional_unsuccessful_credentials.
import type { ApiKeyService } from '../services/api-key-service.js';
import { decodeBase64Strict, type Credentials } from './credentials.js';
import { continueWith, success, type Authenticator } from './types.js';

export interface ApiKeyAuthcDeps {
  readonly apiKeys: Pick<ApiKeyService, 'authenticate'>;
}

const INVALID_VALUE = continueWith('invalid ApiKey value');

export function apiKeyAuthenticator(deps: ApiKeyAuthcDeps): Authenticator<string> {
  return {
    name: 'API key',
    challenge: 'ApiKey',
    extract: (credentials: Credentials) => (credentials.kind === 'apikey' ? credentials.value : null),
    async authenticate(value) {
      const decoded = decodeBase64Strict(value);
      // Java's decoder message, as Elasticsearch reports it ("Illegal base64 character 21").
      if (typeof decoded === 'string') return continueWith(decoded);
      const text = decoded.toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 1) return INVALID_VALUE;
      const check = await deps.apiKeys.authenticate(text.slice(0, colon), text.slice(colon + 1));
      return check.status === 'valid' ? success(check.authentication) : continueWith(check.message);
    },
  };
}
