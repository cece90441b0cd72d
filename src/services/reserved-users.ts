// Elasticsearch's built-in users (ReservedRealm). They always exist, keep their reserved roles and
// metadata, and cannot authenticate until a password is set; esgate creates `elastic` at bootstrap.
import type { PasswordHash, UserRecord } from '../store/types.js';

interface ReservedUser {
  readonly roles: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

const RESERVED_METADATA = Object.freeze({ _reserved: true });

/** In Elasticsearch's listing order. */
const RESERVED_USERS: ReadonlyMap<string, ReservedUser> = new Map<string, ReservedUser>([
  ['elastic', { roles: ['superuser'], metadata: RESERVED_METADATA }],
  [
    'kibana',
    {
      roles: ['kibana_system'],
      metadata: Object.freeze({ _reserved: true, _deprecated: true, _deprecated_reason: 'Please use the [kibana_system] user instead.' }),
    },
  ],
  ['kibana_system', { roles: ['kibana_system'], metadata: RESERVED_METADATA }],
  ['logstash_system', { roles: ['logstash_system'], metadata: RESERVED_METADATA }],
  ['beats_system', { roles: ['beats_system'], metadata: RESERVED_METADATA }],
  ['apm_system', { roles: ['apm_system'], metadata: RESERVED_METADATA }],
  ['remote_monitoring_user', { roles: ['remote_monitoring_collector', 'remote_monitoring_agent'], metadata: RESERVED_METADATA }],
]);

export const RESERVED_USERNAMES: ReadonlySet<string> = new Set(RESERVED_USERS.keys());

/** The hash of a reserved user whose password was never set: nothing verifies against it. */
export const NO_PASSWORD = '' as PasswordHash;

export function hasPassword(user: UserRecord): boolean {
  return user.passwordHash !== NO_PASSWORD;
}

/**
 * A reserved user as Elasticsearch shows it: its stored state (password, enabled) with the reserved
 * roles and metadata, or, when nothing is stored, enabled and without a password.
 */
export function reservedUser(username: string, stored: UserRecord | null, now: number): UserRecord | null {
  const reserved = RESERVED_USERS.get(username);
  if (reserved === undefined) return stored;
  return {
    username,
    passwordHash: stored?.passwordHash ?? NO_PASSWORD,
    roles: reserved.roles,
    fullName: null,
    email: null,
    metadata: reserved.metadata,
    enabled: stored?.enabled ?? true,
    createdAt: stored?.createdAt ?? now,
    updatedAt: stored?.updatedAt ?? now,
  };
}

export interface RealmRef {
  readonly name: string;
  readonly type: string;
}

export const RESERVED_REALM: RealmRef = Object.freeze({ name: 'reserved', type: 'reserved' });
export const NATIVE_REALM: RealmRef = Object.freeze({ name: 'default_native', type: 'native' });

/** The realm Elasticsearch reports for a user of the security index. */
export function realmOf(username: string): RealmRef {
  return RESERVED_USERNAMES.has(username) ? RESERVED_REALM : NATIVE_REALM;
}
