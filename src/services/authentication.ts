// The immutable result of authentication that every later step reads.
import type { RealmRef } from './reserved-users.js';

export interface AuthenticatedUser {
  readonly username: string;
  readonly roles: readonly string[];
  readonly fullName: string | null;
  readonly email: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
}

export type AuthenticationType = 'realm' | 'api_key' | 'token' | 'anonymous';
export type Scheme = 'basic' | 'bearer' | 'apikey' | 'anonymous';

export interface Authentication {
  /** The effective user (the run-as target when there is one). */
  readonly user: AuthenticatedUser;
  /** The user whose credentials were presented, when it differs from `user` (run-as). */
  readonly authenticatingUser?: AuthenticatedUser;
  readonly authenticationRealm: RealmRef;
  readonly lookupRealm: RealmRef;
  readonly type: AuthenticationType;
  /** Which credentials were presented; for logs. */
  readonly scheme: Scheme;
  readonly apiKey?: { readonly id: string; readonly name: string | null };
}
