// Store contract: user profiles (part of runStoreContract, run against every store).
import { describe, expect, it } from 'vitest';
import type { ProfileRecord, Store } from '../../src/store/types.js';

export function profileContract(store: () => Store, now: () => number): void {
  const profile = (username: string, extra: Partial<ProfileRecord> = {}): ProfileRecord => ({
    uid: `u_${username}_0`,
    enabled: true,
    lastSynchronized: now(),
    user: { username, realmName: 'default_native', realmType: 'native', roles: ['viewer'], fullName: `${username} Smith`, email: `${username}@example.com` },
    labels: {},
    data: {},
    seqNo: 1,
    ...extra,
  });

  describe('profiles', () => {
    it('puts, replaces and reads a profile back', async () => {
      await store().profiles.put(profile('ann', { data: { kibana: { theme: 'dark' } } }));
      await store().profiles.put(profile('ann', { labels: { kibana: { spaces: ['a'] } }, seqNo: 2 }));
      expect(await store().profiles.get('u_ann_0')).toEqual(profile('ann', { labels: { kibana: { spaces: ['a'] } }, seqNo: 2 }));
      expect(await store().profiles.get('u_nobody_0')).toBeNull();
    });

    it('suggests enabled profiles by a case-insensitive prefix of username, full name or email', async () => {
      for (const name of ['bob', 'bobby', 'carl', 'dora']) await store().profiles.put(profile(name));
      await store().profiles.put(profile('boris', { enabled: false }));
      const byName = await store().profiles.suggest('BO', 10);
      expect(byName.total).toBe(2);
      expect(byName.profiles.map((p) => p.user.username)).toEqual(['bob', 'bobby']);
      expect((await store().profiles.suggest('carl@', 10)).profiles.map((p) => p.user.username)).toEqual(['carl']);
      const limited = await store().profiles.suggest('', 2);
      expect(limited).toMatchObject({ total: 4 });
      expect(limited.profiles).toHaveLength(2);
      expect((await store().profiles.suggest('%', 10)).total).toBe(0);
    });
  });
}
