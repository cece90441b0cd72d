// The ordered list of authenticators, as in Elasticsearch: service token → token → API key → realms.
// A new authenticator is one file and one line here.
import type { Config } from '../config/schema.js';
import { anonymousAuthentication } from './anonymous.js';
import { apiKeyAuthenticator, type ApiKeyAuthcDeps } from './api-key.js';
import { basicAuthenticator } from './basic.js';
import { bearerTokenAuthenticator, type BearerTokenDeps } from './bearer-token.js';
import { AuthenticatorChain } from './chain.js';
import type { NativeRealm } from './native-realm.js';
import { serviceTokenAuthenticator, type ServiceTokenAuthcDeps } from './service-token.js';
import type { Authenticator } from './types.js';

const CHALLENGE_ORDER = ['Basic', 'Bearer', 'ApiKey'];
const challengeRank = (challenge: string) => CHALLENGE_ORDER.indexOf(challenge.split(' ')[0] ?? '');

export interface AuthcDeps {
  readonly config: Config;
  readonly realm: NativeRealm;
  readonly tokens: BearerTokenDeps['tokens'];
  readonly apiKeys: ApiKeyAuthcDeps['apiKeys'];
  readonly jwt: BearerTokenDeps['jwt'];
  readonly serviceTokens: ServiceTokenAuthcDeps['serviceTokens'];
}

export function buildAuthenticatorChain(deps: AuthcDeps): AuthenticatorChain {
  // The challenges depend on the whole list, which is built below; authenticators read them lazily.
  let chain: AuthenticatorChain | undefined;
  const challenges = () => chain?.challenges ?? {};
  const authenticators: Authenticator[] = [
    serviceTokenAuthenticator({ serviceTokens: deps.serviceTokens, challenges }),
    ...(deps.config.authc.token.enabled ? [bearerTokenAuthenticator({ tokens: deps.tokens, jwt: deps.jwt })] : []),
    ...(deps.config.authc.api_key.enabled ? [apiKeyAuthenticator({ apiKeys: deps.apiKeys })] : []),
    basicAuthenticator({ realm: deps.realm, challenges }),
  ] as Authenticator[];
  const schemes = authenticators.map((a) => a.challenge).filter((challenge) => challenge !== '').sort((a, b) => challengeRank(a) - challengeRank(b));
  chain = new AuthenticatorChain(authenticators, anonymousAuthentication(deps.config.authc.anonymous), schemes);
  return chain;
}
