// The one suite every Store implementation passes (SQLite and PostgreSQL): users and the lifecycle
// here; roles, tokens, API keys and continuation bindings in their own files, run from here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PasswordHash, Store, UserRecord } from '../../src/store/types.js';
import { apiKeyContract } from './contract-api-keys.js';
import { revocationFeedContract } from './contract-feed.js';
import { continuationContract, roleContract } from './contract-roles-continuations.js';
import { tokenContract } from './contract-tokens.js';
import { serviceTokenContract } from './contract-service-tokens.js';
import { applicationPrivilegeContract } from './contract-application-privileges.js';
import { profileContract } from './contract-profiles.js';
import { roleMappingContract } from './contract-role-mappings.js';

export interface StoreFixture {
  /** A fresh, empty store. */
  readonly store: Store;
  /** Another connection to the same data, as a second process (the CLI, another instance) would hold. */
  openPeer(): Promise<Store>;
  /** Closes whatever the fixture opened and removes its data. */
  cleanup(): Promise<void>;
  /** Every row of a table as stored (to check that no secret is). */
  rawRows(table: string): Promise<unknown[]>;
  /** Returns once `store` has seen what other connections committed (its externalVersion is current). */
  settle(store: Store): Promise<void>;
}

/** What the per-entity suites use: the current store, a peer, and the clock. */
export interface ContractContext {
  store(): Store;
  fixture(): StoreFixture;
  peer(): Promise<Store>;
  now(): number;
  advance(ms: number): number;
}

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA' as PasswordHash;
const OTHER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXI$b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNo' as PasswordHash;

/**
 * @param makeStore   opens a fresh store for one test
 * @param advanceClock moves the test clock forward and returns the new time (epoch ms)
 */
export function runStoreContract(makeStore: () => Promise<StoreFixture>, advanceClock: (ms: number) => number): void {
  let fixture: StoreFixture;
  let store: Store;
  const peers: Store[] = [];

  const user = (username: string, extra: Partial<UserRecord> = {}): UserRecord => {
    const now = advanceClock(0);
    return {
      username,
      passwordHash: HASH,
      roles: ['viewer'],
      fullName: null,
      email: null,
      metadata: {},
      enabled: true,
      createdAt: now,
      updatedAt: now,
      ...extra,
    };
  };

  const peer = async (): Promise<Store> => {
    const opened = await fixture.openPeer();
    peers.push(opened);
    return opened;
  };

  beforeEach(async () => {
    fixture = await makeStore();
    store = fixture.store;
  });
  afterEach(async () => {
    for (const opened of peers.splice(0)) await opened.close();
    await fixture.cleanup();
  });

  describe('users', () => {
    it('starts empty', async () => {
      expect(await store.users.count()).toBe(0);
      expect(await store.users.list()).toEqual([]);
      expect(await store.users.get('elastic')).toBeNull();
    });

    it('puts a new user, reporting it as created, and gets it back field for field', async () => {
      const record = user('rdeniro', {
        roles: ['admin', 'other_role1'],
        fullName: 'Robert De Niro',
        email: 'rdeniro@example.com',
        metadata: { intelligence: 7 },
        enabled: false,
      });
      expect(await store.users.put(record)).toEqual({ created: true });
      expect(await store.users.get('rdeniro')).toEqual(record);
    });

    it('overwrites an existing user on put, reporting created false and keeping created_at', async () => {
      const first = user('jacknich', { roles: ['a'] });
      await store.users.put(first);
      const later = advanceClock(60_000);
      const second = user('jacknich', { passwordHash: OTHER_HASH, roles: ['b', 'c'], fullName: 'Jack Nicholson', createdAt: later, updatedAt: later });
      expect(await store.users.put(second)).toEqual({ created: false });
      const stored = await store.users.get('jacknich');
      expect(stored).toEqual({ ...second, createdAt: first.createdAt });
      expect(stored?.updatedAt).toBe(later);
      expect(await store.users.count()).toBe(1);
    });

    it('inserts a new user and refuses to insert over an existing one, leaving it unchanged', async () => {
      const original = user('taken', { roles: ['original'] });
      expect(await store.users.insert(original)).toBe(true);
      expect(await store.users.insert(user('taken', { passwordHash: OTHER_HASH, roles: ['intruder'] }))).toBe(false);
      expect(await store.users.get('taken')).toEqual(original);
    });

    it('updates an existing user in place, keeping created_at, and answers true', async () => {
      const first = user('updated', { roles: ['a'], metadata: { v: 1 } });
      await store.users.insert(first);
      const later = advanceClock(5_000);
      const changed = user('updated', { passwordHash: OTHER_HASH, roles: ['b'], fullName: 'U', enabled: false, metadata: { v: 2 }, createdAt: later, updatedAt: later });
      expect(await store.users.update(changed)).toBe(true);
      expect(await store.users.get('updated')).toEqual({ ...changed, createdAt: first.createdAt });
    });

    it('never creates a user on update: false for an unknown one (e.g. deleted by another process)', async () => {
      await store.users.put(user('doomed'));
      const other = await peer();
      await other.users.delete('doomed');
      expect(await store.users.update(user('doomed', { roles: ['revived'] }))).toBe(false);
      expect(await store.users.get('doomed')).toBeNull();
      expect(await store.users.count()).toBe(0);
    });

    it('lets exactly one of two connections insert the same username', async () => {
      const other = await peer();
      const results = await Promise.all([store.users.insert(user('race', { roles: ['mine'] })), other.users.insert(user('race', { roles: ['theirs'] }))]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.users.count()).toBe(1);
    });

    it('lists every user ordered by username, and counts them', async () => {
      for (const name of ['zed', 'alice', 'Bob', 'mallory']) await store.users.put(user(name));
      expect((await store.users.list()).map((u) => u.username)).toEqual(['Bob', 'alice', 'mallory', 'zed']);
      expect(await store.users.count()).toBe(4);
    });

    it('treats usernames as exact, case-sensitive keys, spaces and punctuation included', async () => {
      await store.users.put(user('Jane Doe!'));
      expect(await store.users.get('Jane Doe!')).not.toBeNull();
      expect(await store.users.get('jane doe!')).toBeNull();
      expect(await store.users.get('Jane Doe')).toBeNull();
    });

    it('deletes a user, answering whether one was deleted', async () => {
      await store.users.put(user('gone'));
      await store.users.put(user('stays'));
      expect(await store.users.delete('gone')).toBe(true);
      expect(await store.users.delete('gone')).toBe(false);
      expect(await store.users.delete('never-existed')).toBe(false);
      expect(await store.users.get('gone')).toBeNull();
      expect((await store.users.list()).map((u) => u.username)).toEqual(['stays']);
    });

    it('round-trips metadata as JSON: nesting, arrays, unicode, numbers, booleans and null', async () => {
      const metadata = {
        nested: { deeper: { list: [1, 'two', { three: 3 }], empty: {} } },
        unicode: 'Zoë — 東京 🚀',
        quote: 'it\'s "quoted" \\ back\nslash',
        float: 1.5,
        negative: -42,
        flag: false,
        nothing: null,
      };
      await store.users.put(user('meta', { metadata }));
      expect((await store.users.get('meta'))?.metadata).toEqual(metadata);
      expect((await store.users.list())[0]?.metadata).toEqual(metadata);
    });

    it('keeps roles in the order given, and an empty role list', async () => {
      await store.users.put(user('ordered', { roles: ['zeta', 'alpha', 'mid'] }));
      await store.users.put(user('none', { roles: [] }));
      expect((await store.users.get('ordered'))?.roles).toEqual(['zeta', 'alpha', 'mid']);
      expect((await store.users.get('none'))?.roles).toEqual([]);
    });

    it('stores SQL-looking values as plain data', async () => {
      const name = "x'); DROP TABLE users; --";
      await store.users.put(user(name, { fullName: "O'Brien", roles: ["r'1"] }));
      expect(await store.users.get(name)).toMatchObject({ username: name, fullName: "O'Brien", roles: ["r'1"] });
      expect(await store.users.count()).toBe(1);
    });

    it('shows one connection\'s committed writes to another', async () => {
      const other = await peer();
      await store.users.put(user('shared', { roles: ['first'] }));
      expect((await other.users.get('shared'))?.roles).toEqual(['first']);
      await other.users.put(user('shared', { roles: ['second'] }));
      expect((await store.users.get('shared'))?.roles).toEqual(['second']);
      await other.users.delete('shared');
      expect(await store.users.get('shared')).toBeNull();
    });
  });

  describe('externalVersion', () => {
    it('stays the same for the connection\'s own writes and reads', async () => {
      const before = store.externalVersion();
      await store.users.put(user('mine'));
      await store.users.insert(user('mine2'));
      await store.users.delete('mine');
      await store.users.list();
      expect(store.externalVersion()).toBe(before);
    });

    it('changes when another connection commits a put, an insert or a delete', async () => {
      const other = await peer();
      let seen = store.externalVersion();
      // The store may reuse one check for up to a millisecond (one check per request, not per cache).
      const expectChanged = async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await fixture.settle(store);
        const now = store.externalVersion();
        expect(now).not.toBe(seen);
        seen = now;
      };
      await other.users.put(user('theirs'));
      await expectChanged();
      await other.users.insert(user('theirs2'));
      await expectChanged();
      await other.users.delete('theirs');
      await expectChanged();
    });

    it('does not change when another connection only reads, or writes nothing', async () => {
      await store.users.put(user('present'));
      const other = await peer();
      const before = store.externalVersion();
      await other.users.get('present');
      await other.users.list();
      await other.users.count();
      await other.users.delete('absent');
      expect(await other.users.insert(user('present'))).toBe(false);
      await fixture.settle(store);
      expect(store.externalVersion()).toBe(before);
    });
  });

  const context: ContractContext = {
    store: () => store,
    fixture: () => fixture,
    peer,
    now: () => advanceClock(0),
    advance: advanceClock,
  };
  describe('roles', () => roleContract(context));
  describe('tokens', () => tokenContract(context));
  describe('API keys', () => apiKeyContract(context));
  describe('continuation bindings', () => continuationContract(context));
  describe('revocations seen by other connections', () => revocationFeedContract(context));
  serviceTokenContract(() => store, () => advanceClock(0));
  applicationPrivilegeContract(() => store);
  profileContract(() => store, () => advanceClock(0));
  roleMappingContract(() => store);

  describe('lifecycle', () => {
    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('keeps its data across a close and a reopen', async () => {
      await store.users.put(user('durable', { metadata: { kept: true } }));
      const other = await peer();
      await store.close();
      expect(await other.users.get('durable')).toMatchObject({ username: 'durable', metadata: { kept: true } });
    });

    it('can be closed twice', async () => {
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
