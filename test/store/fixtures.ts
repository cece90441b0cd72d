// Records the store contract writes: valid, minimal, with overrides.
import { createHash } from 'node:crypto';
import { digestApiKeySecret } from '../../src/services/api-key-crypto.js';
import { systemRandom } from '../../src/runtime/random.js';
import type { ApiKeyRecord, TokenDigest, TokenRecord } from '../../src/store/types.js';

export const tokenDigest = (name: string) => createHash('sha256').update(name).digest('base64url') as TokenDigest;

export function tokenRecord(now: number, name: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    accessDigest: tokenDigest(`${name}-access`),
    refreshDigest: tokenDigest(`${name}-refresh`),
    username: 'alice',
    realmName: 'default_native',
    realmType: 'native',
    authentication: { user: { username: 'alice' } },
    client: { username: 'kibana', realmName: 'default_native', realmType: 'native', apiKeyId: null },
    createdAt: now,
    accessExpiresAt: now + 1_200_000,
    accessInvalidated: false,
    refreshInvalidated: false,
    refreshedAt: null,
    superseding: null,
    ...overrides,
  };
}

export function apiKeyRecord(now: number, id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    name: `key-${id}`,
    digest: digestApiKeySecret(`secret-${id}`, systemRandom),
    type: 'rest',
    createdAt: now,
    expiresAt: null,
    invalidated: false,
    invalidatedAt: null,
    username: 'alice',
    realmName: 'default_native',
    realmType: 'native',
    fullName: null,
    email: null,
    userMetadata: {},
    metadata: {},
    roleDescriptors: [],
    limitedBy: [['r', { cluster: ['monitor'] }]],
    version: 1,
    ...overrides,
  };
}
