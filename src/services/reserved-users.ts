// Elasticsearch's built-in users; esgate creates `elastic` at bootstrap, the others are reserved names.
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'elastic',
  'kibana',
  'kibana_system',
  'logstash_system',
  'beats_system',
  'apm_system',
  'remote_monitoring_user',
]);

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
