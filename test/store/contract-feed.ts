// Every write that narrows access is seen by the other connections' externalVersion (SQLite: its
// data_version; PostgreSQL: the change feed), so their caches cannot keep serving what it revoked.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { digestApiKeySecret } from '../../src/services/api-key-crypto.js';
import { systemRandom } from '../../src/runtime/random.js';
import type { ApiKeyRecord, Store, TokenDigest, TokenRecord } from '../../src/store/types.js';
import type { ContractContext } from './contract.js';

const digest = (name: string) => createHash('sha256').update(name).digest('base64url') as TokenDigest;

export function revocationFeedContract(c: ContractContext): void {
  const token = (name: string): TokenRecord => ({
    accessDigest: digest(`${name}-a`),
    refreshDigest: digest(`${name}-r`),
    username: 'alice',
    realmName: 'default_native',
    realmType: 'native',
    authentication: {},
    client: { username: 'alice', realmName: 'default_native', realmType: 'native', apiKeyId: null },
    createdAt: c.now(),
    accessExpiresAt: c.now() + 60_000,
    accessInvalidated: false,
    refreshInvalidated: false,
    refreshedAt: null,
    superseding: null,
  });
  const key = (id: string): ApiKeyRecord => ({
    id,
    name: id,
    digest: digestApiKeySecret(`s-${id}`, systemRandom),
    type: 'rest',
    createdAt: c.now(),
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
    limitedBy: [],
    version: 1,
  });

  it('moves when another connection changes or deletes a role, invalidates a token or an API key, or updates a key', async () => {
    const store = c.store();
    const other = await c.peer();
    await other.roles.put({ name: 'r', descriptor: {}, createdAt: c.now(), updatedAt: c.now() });
    await other.tokens.insert(token('t'));
    await other.tokens.insert(token('u'));
    await other.apiKeys.insert(key('k1'));
    await other.apiKeys.insert(key('k2'));
    const steps: Array<[string, (s: Store) => Promise<unknown>]> = [
      ['role changed', (s) => s.roles.put({ name: 'r', descriptor: { cluster: [] }, createdAt: c.now(), updatedAt: c.now() })],
      ['role deleted', (s) => s.roles.delete('r')],
      ['access token invalidated', (s) => s.tokens.invalidateAccess(digest('t-a'))],
      ['refresh token invalidated', (s) => s.tokens.invalidateRefresh(digest('t-r'))],
      ['tokens of a user invalidated', (s) => s.tokens.invalidateActive({ username: 'alice' }, c.now(), 0)],
      ['API key updated', (s) => s.apiKeys.update({ ...key('k1'), metadata: { v: 2 }, version: 2 }, 1)],
      ['API key invalidated', (s) => s.apiKeys.invalidate(['k2'], c.now())],
    ];
    for (const [label, step] of steps) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await c.fixture().settle(store);
      const before = store.externalVersion();
      await step(other);
      await new Promise((resolve) => setTimeout(resolve, 2));
      await c.fixture().settle(store);
      expect(store.externalVersion(), label).not.toBe(before);
    }
  });
}
