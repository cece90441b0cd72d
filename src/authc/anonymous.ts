// The anonymous user of requests without credentials, when configured (Elasticsearch handleNullToken).
import type { Authentication } from '../services/authentication.js';

export interface AnonymousSettings {
  readonly username: string;
  readonly roles: readonly string[];
}

const ANONYMOUS_REALM = Object.freeze({ name: '__anonymous', type: '__anonymous' });

/** null when anonymous access is off (no roles configured). */
export function anonymousAuthentication(settings: AnonymousSettings): Authentication | null {
  if (settings.roles.length === 0) return null;
  return Object.freeze({
    user: Object.freeze({
      username: settings.username,
      roles: Object.freeze([...settings.roles]),
      fullName: null,
      email: null,
      metadata: Object.freeze({}),
      enabled: true,
    }),
    authenticationRealm: ANONYMOUS_REALM,
    lookupRealm: ANONYMOUS_REALM,
    type: 'anonymous',
    scheme: 'anonymous',
  });
}
