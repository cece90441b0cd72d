// Rows of the later entities (signing keys, service tokens, application privileges, profiles, role
// mappings) as both stores read them, and their records (see rows.ts for the first ones).
import type { ApiKeyDigest, ApplicationPrivilegeRecord, ProfileRecord, RoleMappingRecord, ServiceTokenRecord, SigningKeyRecord } from './types.js';

type Flag = number | boolean;
/** PostgreSQL's BIGINT may arrive as text; SQLite's INTEGER is a number. */
type Int = number | string;

export interface SigningKeyRow {
  kid: string;
  algorithm: string;
  private_jwk: string;
  public_jwk: string;
  created_at: Int;
  retired_at: Int | null;
}

export const signingKeyFromRow = (row: SigningKeyRow): SigningKeyRecord => ({
  kid: row.kid,
  algorithm: row.algorithm,
  privateJwk: row.private_jwk,
  publicJwk: row.public_jwk,
  createdAt: Number(row.created_at),
  retiredAt: row.retired_at === null ? null : Number(row.retired_at),
});

export interface ServiceTokenRow {
  account_id: string;
  name: string;
  digest: string;
  created_at: Int;
  creator: string;
  creator_realm: string;
}

export const SERVICE_TOKEN_COLUMNS = 'account_id, name, digest, created_at, creator, creator_realm';

export const serviceTokenFromRow = (row: ServiceTokenRow): ServiceTokenRecord => ({
  accountId: row.account_id,
  name: row.name,
  digest: row.digest as ApiKeyDigest,
  createdAt: Number(row.created_at),
  creator: { principal: row.creator, realm: row.creator_realm },
});

export interface PrivilegeRow {
  application: string;
  name: string;
  actions: string;
  metadata: string;
}

export const privilegeFromRow = (row: PrivilegeRow): ApplicationPrivilegeRecord => ({
  application: row.application,
  name: row.name,
  actions: JSON.parse(row.actions) as string[],
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
});

export interface ProfileRow {
  uid: string;
  enabled: Flag;
  last_synchronized: Int;
  username: string;
  realm_name: string;
  realm_type: string;
  roles: string;
  full_name: string | null;
  email: string | null;
  labels: string;
  data: string;
  seq_no: Int;
}

export const PROFILE_COLUMNS = 'uid, enabled, last_synchronized, username, realm_name, realm_type, roles, full_name, email, labels, data, seq_no';

export const profileFromRow = (row: ProfileRow): ProfileRecord => ({
  uid: row.uid,
  enabled: row.enabled === true || row.enabled === 1,
  lastSynchronized: Number(row.last_synchronized),
  user: {
    username: row.username,
    realmName: row.realm_name,
    realmType: row.realm_type,
    roles: JSON.parse(row.roles) as string[],
    fullName: row.full_name,
    email: row.email,
  },
  labels: JSON.parse(row.labels) as Record<string, unknown>,
  data: JSON.parse(row.data) as Record<string, unknown>,
  seqNo: Number(row.seq_no),
});

export interface RoleMappingRow {
  name: string;
  mapping: string;
}

export const roleMappingFromRow = (row: RoleMappingRow): RoleMappingRecord => ({ name: row.name, mapping: JSON.parse(row.mapping) as Record<string, unknown> });
