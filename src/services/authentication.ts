// The immutable result of authentication that every later step reads.
import type { RealmRef } from './reserved-users.js';
import type { RoleDescriptor } from './role-descriptor.js';

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
  readonly apiKey?: ApiKeyInfo;
  /** A service account token: the account's own role descriptor applies (no roles). */
  readonly serviceAccount?: ServiceAccountInfo;
  /** Run-as named a user that does not exist: authorization refuses it with a 403, as Elasticsearch does. */
  readonly runAsUnresolved?: true;
}

export interface ServiceAccountInfo {
  readonly principal: string;
  readonly tokenName: string;
  /** Where the token lives: esgate's store (Elasticsearch's `_service_account_index`). */
  readonly tokenSource: 'index';
}

export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string | null;
  /** The key's own role descriptors; empty: the key has the whole of `limitedBy`. */
  readonly roleDescriptors: readonly RoleDescriptor[];
  /** The owner's role descriptors snapshotted when the key was created or last updated. */
  readonly limitedBy: readonly RoleDescriptor[];
  /** The owner's realm (GET /_security/api_key shows it; _authenticate shows `_es_api_key`). */
  readonly ownerRealm: RealmRef;
}

/** The immutable user part of an Authentication, from a stored user. */
export function authenticatedUserOf(user: AuthenticatedUser): AuthenticatedUser {
  return Object.freeze({
    username: user.username,
    roles: Object.freeze([...user.roles]),
    fullName: user.fullName,
    email: user.email,
    metadata: user.metadata,
    enabled: user.enabled,
  });
}
