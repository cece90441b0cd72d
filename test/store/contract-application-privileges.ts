// Store contract: application privileges (part of runStoreContract, run against every store).
import { describe, expect, it } from 'vitest';
import type { ApplicationPrivilegeRecord, Store } from '../../src/store/types.js';

export function applicationPrivilegeContract(store: () => Store): void {
  const privilege = (application: string, name: string, actions: string[] = [`${name}:*`]): ApplicationPrivilegeRecord => ({
    application,
    name,
    actions,
    metadata: { description: name },
  });

  describe('application privileges', () => {
    it('creates, then replaces, keeping actions and metadata as given', async () => {
      expect(await store().applicationPrivileges.put(privilege('myapp', 'read', ['data:read/*', 'login:']))).toEqual({ created: true });
      expect(await store().applicationPrivileges.put(privilege('myapp', 'read', ['data:read/*']))).toEqual({ created: false });
      expect(await store().applicationPrivileges.list(['myapp'])).toEqual([privilege('myapp', 'read', ['data:read/*'])]);
    });

    it('lists all applications, or only the named ones, by application then name', async () => {
      for (const [app, name] of [['zed', 'a'], ['app1', 'write'], ['app1', 'admin'], ['app2', 'read']] as const) {
        await store().applicationPrivileges.put(privilege(app, name));
      }
      expect((await store().applicationPrivileges.list()).map((p) => `${p.application}/${p.name}`)).toEqual(['app1/admin', 'app1/write', 'app2/read', 'zed/a']);
      expect((await store().applicationPrivileges.list(['app2', 'app1', 'app2'])).map((p) => `${p.application}/${p.name}`)).toEqual(['app1/admin', 'app1/write', 'app2/read']);
      expect(await store().applicationPrivileges.list(['nothing'])).toEqual([]);
    });

    it('deletes one privilege once', async () => {
      await store().applicationPrivileges.put(privilege('myapp', 'gone'));
      expect(await store().applicationPrivileges.delete('myapp', 'gone')).toBe(true);
      expect(await store().applicationPrivileges.delete('myapp', 'gone')).toBe(false);
      expect(await store().applicationPrivileges.list(['myapp'])).toEqual([]);
    });
  });
}
