// Runs the ordered authenticators over one set of credentials and makes the 401 decision,
// following Elasticsearch's AuthenticatorChain.
import {
  invalidBasicHeaderEncoding,
  invalidBasicHeaderValue,
  missingCredentials,
  unsuccessfulCredentials,
} from '../errors/authc.js';
import type { HeaderValues } from '../errors/es-error.js';
import type { Authentication } from '../services/authentication.js';
import { parseAuthorization } from './credentials.js';
import type { Authenticator } from './types.js';

export interface ChainOptions {
  /** false for es-secondary-authorization, which never falls back to anonymous. */
  readonly allowAnonymous: boolean;
}

const TOKEN_PREFIX = /^(bearer|apikey)( |$)/i;

export class AuthenticatorChain {
  readonly challenges: HeaderValues;

  constructor(
    private readonly authenticators: readonly Authenticator[],
    private readonly anonymous: Authentication | null,
    challenges: readonly string[],
  ) {
    this.challenges = Object.freeze({ 'WWW-Authenticate': Object.freeze([...challenges]) });
  }

  /** Resolves to the authentication, or throws the EsError Elasticsearch would answer with. */
  async authenticate(header: string | undefined, uri: string, options: ChainOptions, clientAddress = ''): Promise<Authentication> {
    const credentials = parseAuthorization(header);
    if (credentials.kind === 'basic-invalid') {
      throw credentials.problem === 'value'
        ? invalidBasicHeaderValue(this.challenges)
        : invalidBasicHeaderEncoding(credentials.detail, this.challenges);
    }
    const messages: string[] = [];
    let extracted = false;
    for (const authenticator of this.authenticators) {
      const token = authenticator.extract(credentials);
      if (token === null) continue;
      extracted = true;
      const result = await authenticator.authenticate(token, { uri, clientAddress });
      if (result.status === 'success') return result.authentication;
      if (result.status === 'terminate') throw result.error;
      if (result.message !== undefined) messages.push(`${authenticator.name}: ${result.message}`);
    }
    if (messages.length > 0) throw unsuccessfulCredentials(messages, this.challenges);
    // Elasticsearch never gives anonymous access to a request that tried a token or an API key,
    // even an empty one ("Bearer ").
    const tokenLike = credentials.kind === 'bearer' || credentials.kind === 'apikey' || TOKEN_PREFIX.test(header ?? '');
    if (!extracted && !tokenLike && options.allowAnonymous && this.anonymous !== null) return this.anonymous;
    throw missingCredentials(uri, this.challenges);
  }
}
