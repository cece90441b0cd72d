// Store contract: service account tokens (part of runStoreContract, run against every store).
import { describe, expect, it } from 'vitest';
import type { ApiKeyDigest, ServiceTokenRecord, Store } from '../../src/store/types.js';

export function serviceTokenContract(store: () => Store, now: () => number): void {
  const token = (accountId: string, name: string, digest = `salt$${name}`): ServiceTokenRecord => ({
    accountId,
    name,
    digest: digest as ApiKeyDigest,
    createdAt: now(),
    creator: { principal: 'elastic', realm: 'reserved' },
  });

  describe('service tokens', () => {
    it('inserts once per account and name, and reads the record back', async () => {
      expect(await store().serviceTokens.insert(token('elastic/kibana', 'kibana-1'))).toBe(true);
      expect(await store().serviceTokens.insert(token('elastic/kibana', 'kibana-1', 'other$digest'))).toBe(false);
      expect(await store().serviceTokens.get('elastic/kibana', 'kibana-1')).toEqual(token('elastic/kibana', 'kibana-1'));
      expect(await store().serviceTokens.get('elastic/fleet-server', 'kibana-1')).toBeNull();
    });

    it('lists one account’s tokens by name', async () => {
      for (const name of ['b', 'a', 'c']) await store().serviceTokens.insert(token('elastic/fleet-server', name));
      await store().serviceTokens.insert(token('elastic/kibana', 'z'));
      expect((await store().serviceTokens.list('elastic/fleet-server')).map((t) => t.name)).toEqual(['a', 'b', 'c']);
      expect(await store().serviceTokens.list('elastic/enterprise-search-server')).toEqual([]);
    });

    it('deletes a token once', async () => {
      await store().serviceTokens.insert(token('elastic/kibana', 'gone'));
      expect(await store().serviceTokens.delete('elastic/kibana', 'gone')).toBe(true);
      expect(await store().serviceTokens.delete('elastic/kibana', 'gone')).toBe(false);
      expect(await store().serviceTokens.get('elastic/kibana', 'gone')).toBeNull();
    });
  });
}
