// Every write that narrows access is seen by the other connections' externalVersion (SQLite: its
// data_version; PostgreSQL: the change feed), so their caches cannot keep serving what it revoked.
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import type { ContractContext } from './contract.js';
import { apiKeyRecord, tokenDigest, tokenRecord } from './fixtures.js';

export function revocationFeedContract(c: ContractContext): void {
  const token = (name: string) => tokenRecord(c.now(), name);
  const key = (id: string) => apiKeyRecord(c.now(), id);

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
      ['access token invalidated', (s) => s.tokens.invalidateAccess(tokenDigest('t-access'))],
      ['refresh token invalidated', (s) => s.tokens.invalidateRefresh(tokenDigest('t-refresh'))],
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
