// Store contract: role mappings (part of runStoreContract, run against every store).
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';

export function roleMappingContract(store: () => Store): void {
  const mapping = (roles: string[]) => ({ enabled: true, roles, rules: { field: { username: '*' } }, metadata: { version: 1 } });

  describe('role mappings', () => {
    it('creates, replaces, lists by name and deletes', async () => {
      expect(await store().roleMappings.put({ name: 'b', mapping: mapping(['viewer']) })).toEqual({ created: true });
      expect(await store().roleMappings.put({ name: 'b', mapping: mapping(['editor']) })).toEqual({ created: false });
      await store().roleMappings.put({ name: 'a', mapping: mapping(['viewer']) });
      expect(await store().roleMappings.get('b')).toEqual({ name: 'b', mapping: mapping(['editor']) });
      expect((await store().roleMappings.list()).map((m) => m.name)).toEqual(['a', 'b']);
      expect(await store().roleMappings.delete('a')).toBe(true);
      expect(await store().roleMappings.delete('a')).toBe(false);
      expect(await store().roleMappings.get('a')).toBeNull();
    });
  });
}
