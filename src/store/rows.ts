// Rows as both stores read them, and their records: JSON columns are text on both, flags are 0/1 on
// SQLite and booleans on PostgreSQL. Writing stays with each store (its parameters differ).
import type { ApiKeyDigest, ApiKeyRecord, PasswordHash, RoleRecord, SealedTokens, TokenDigest, TokenRecord, UserRecord } from './types.js';

type Flag = number | boolean;
const flag = (value: Flag): boolean => value === true || value === 1;

export interface UserRow {
  username: string;
  password_hash: string;
  roles: string;
  full_name: string | null;
  email: string | null;
  metadata: string;
  enabled: Flag;
  created_at: number;
  updated_at: number;
}

export const userFromRow = (row: UserRow): UserRecord => ({
  username: row.username,
  passwordHash: row.password_hash as PasswordHash,
  roles: JSON.parse(row.roles) as string[],
  fullName: row.full_name,
  email: row.email,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  enabled: flag(row.enabled),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface RoleRow {
  name: string;
  descriptor: string;
  created_at: number;
  updated_at: number;
}

export const roleFromRow = (row: RoleRow): RoleRecord => ({
  name: row.name,
  descriptor: JSON.parse(row.descriptor) as Record<string, unknown>,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface TokenRow {
  access_digest: string;
  refresh_digest: string | null;
  username: string;
  realm_name: string;
  realm_type: string;
  authentication: string;
  client_username: string;
  client_realm_name: string;
  client_realm_type: string;
  client_api_key_id: string | null;
  created_at: number;
  access_expires_at: number;
  access_invalidated: Flag;
  refresh_invalidated: Flag;
  refreshed_at: number | null;
  superseding: string | null;
}

export const TOKEN_COLUMNS =
  'access_digest, refresh_digest, username, realm_name, realm_type, authentication, client_username, client_realm_name, ' +
  'client_realm_type, client_api_key_id, created_at, access_expires_at, access_invalidated, refresh_invalidated, refreshed_at, superseding';

export const tokenFromRow = (row: TokenRow): TokenRecord => ({
  accessDigest: row.access_digest as TokenDigest,
  refreshDigest: row.refresh_digest as TokenDigest | null,
  username: row.username,
  realmName: row.realm_name,
  realmType: row.realm_type,
  authentication: JSON.parse(row.authentication) as Record<string, unknown>,
  client: { username: row.client_username, realmName: row.client_realm_name, realmType: row.client_realm_type, apiKeyId: row.client_api_key_id },
  createdAt: row.created_at,
  accessExpiresAt: row.access_expires_at,
  accessInvalidated: flag(row.access_invalidated),
  refreshInvalidated: flag(row.refresh_invalidated),
  refreshedAt: row.refreshed_at,
  superseding: row.superseding as SealedTokens | null,
});

export interface ApiKeyRow {
  id: string;
  name: string;
  digest: string;
  type: string;
  created_at: number;
  expires_at: number | null;
  invalidated: Flag;
  invalidated_at: number | null;
  username: string;
  realm_name: string;
  realm_type: string;
  full_name: string | null;
  email: string | null;
  user_metadata: string;
  metadata: string;
  role_descriptors: string;
  limited_by: string;
  version: number;
}

export const API_KEY_COLUMNS =
  'id, name, digest, type, created_at, expires_at, invalidated, invalidated_at, username, realm_name, realm_type, full_name, email, ' +
  'user_metadata, metadata, role_descriptors, limited_by, version';

type Named = Array<readonly [string, Record<string, unknown>]>;

export const apiKeyFromRow = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  digest: row.digest as ApiKeyDigest,
  type: 'rest',
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  invalidated: flag(row.invalidated),
  invalidatedAt: row.invalidated_at,
  username: row.username,
  realmName: row.realm_name,
  realmType: row.realm_type,
  fullName: row.full_name,
  email: row.email,
  userMetadata: JSON.parse(row.user_metadata) as Record<string, unknown>,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  roleDescriptors: JSON.parse(row.role_descriptors) as Named,
  limitedBy: JSON.parse(row.limited_by) as Named,
  version: row.version,
});

/** Sort values of a hit, by the row's columns (`_doc` is the store's insertion order). */
export function apiKeySortValue(row: ApiKeyRow, doc: number, field: string): string | number | boolean | null {
  switch (field) {
    case '_doc':
      return doc;
    case 'creation':
      return row.created_at;
    case 'expiration':
      return row.expires_at;
    case 'invalidation':
      return row.invalidated_at;
    case 'invalidated':
      return flag(row.invalidated);
    default:
      return (row as unknown as Record<string, string | undefined>)[field] ?? null;
  }
}
