// The authenticator interface: extract → authenticate → a result value (exceptions are for faults).
import type { EsError } from '../errors/es-error.js';
import type { Authentication } from '../services/authentication.js';
import type { Credentials } from './credentials.js';

export type AuthcResult =
  | { readonly status: 'success'; readonly authentication: Authentication }
  /** Not mine after all, or mine and failed in a way that lets the next one try; the message goes into the 401. */
  | { readonly status: 'continue'; readonly message?: string }
  | { readonly status: 'terminate'; readonly error: EsError };

export interface AuthcRequest {
  /** The request URI as received, query string included (Elasticsearch quotes it in 401 reasons). */
  readonly uri: string;
  /** The client's address (through trusted proxies), for the brute-force throttle. */
  readonly clientAddress: string;
}

export interface Authenticator<Token = unknown> {
  /** Elasticsearch's name for it in `additional_unsuccessful_credentials` ("oauth2 token", "API key", "realms"). */
  readonly name: string;
  /** Its WWW-Authenticate challenge ('' for none); the 401 lists them in Elasticsearch's order (Basic, Bearer, ApiKey). */
  readonly challenge: string;
  /** null: not mine. */
  extract(credentials: Credentials): Token | null;
  authenticate(token: Token, request: AuthcRequest): Promise<AuthcResult>;
}

export const success = (authentication: Authentication): AuthcResult => ({ status: 'success', authentication });
export const continueWith = (message?: string): AuthcResult => (message === undefined ? { status: 'continue' } : { status: 'continue', message });
export const terminate = (error: EsError): AuthcResult => ({ status: 'terminate', error });
