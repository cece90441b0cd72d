import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/cache/cache.js';
import { CredentialCache } from '../../src/cache/credential-cache.js';
import { keyedDigest } from '../../src/cache/keyed-digest.js';
import { fixedClock } from '../support/fixed-clock.js';

describe('TtlCache', () => {
  it('returns an entry until its TTL has passed, then forgets it', () => {
    const clock = fixedClock();
    const cache = new TtlCache<string>(clock, 1000, 10);
    cache.set('k', 'tag', 'v');
    clock.advance(999);
    expect(cache.get('k')).toBe('v');
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry when full', () => {
    const cache = new TtlCache<number>(fixedClock(), 60_000, 2);
    cache.set('a', 't', 1);
    cache.set('b', 't', 2);
    cache.set('c', 't', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    expect(cache.size).toBe(2);
  });

  it('drops every entry of a tag and only those', () => {
    const cache = new TtlCache<number>(fixedClock(), 60_000, 10);
    cache.set('a1', 'alice', 1);
    cache.set('a2', 'alice', 2);
    cache.set('b1', 'bob', 3);
    cache.invalidate('alice');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')]).toEqual([undefined, undefined, 3]);
  });

  it('moves a re-set key to its new tag', () => {
    const cache = new TtlCache<number>(fixedClock(), 60_000, 10);
    cache.set('k', 'alice', 1);
    cache.set('k', 'bob', 2);
    cache.invalidate('alice');
    expect(cache.get('k')).toBe(2);
    cache.invalidate('bob');
    expect(cache.get('k')).toBeUndefined();
  });

  it('stores nothing when the TTL or the size is 0 (cache disabled)', () => {
    const noTtl = new TtlCache<number>(fixedClock(), 0, 10);
    noTtl.set('k', 't', 1);
    expect(noTtl.get('k')).toBeUndefined();
    const noRoom = new TtlCache<number>(fixedClock(), 1000, 0);
    noRoom.set('k', 't', 1);
    expect(noRoom.size).toBe(0);
  });
});

describe('keyedDigest', () => {
  it('depends on the key and keeps part boundaries apart', () => {
    const a = keyedDigest(Buffer.alloc(32, 1));
    const b = keyedDigest(Buffer.alloc(32, 2));
    expect(a('user', 'pw')).toBe(a('user', 'pw'));
    expect(a('user', 'pw')).not.toBe(b('user', 'pw'));
    expect(a('ab', 'c')).not.toBe(a('a', 'bc'));
    expect(a('user', 'pw-Secret')).not.toContain('pw-Secret');
  });
});

describe('CredentialCache', () => {
  function setup() {
    const clock = fixedClock();
    let version = 1;
    const cache = new CredentialCache<string>(clock, 60_000, 100, keyedDigest(Buffer.alloc(32, 7)), () => version);
    return { clock, cache, bumpVersion: () => (version += 1) };
  }

  /** What the native realm does: look up, verify (the caller's gap), then store. */
  function fill(cache: CredentialCache<string>, username: string, password: string): string {
    const key = cache.keyFor(username, password);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, username, `auth:${username}`);
    return key;
  }

  it('caches a verified credential under a keyed digest, never the password', () => {
    const { cache } = setup();
    const key = fill(cache, 'alice', 'alice-Secret-1');
    expect(key).not.toContain('alice-Secret-1');
    expect(cache.get(key)).toBe('auth:alice');
    expect(cache.get(cache.keyFor('alice', 'other-password'))).toBeUndefined();
  });

  it('drops one user\'s entries on invalidateUser', () => {
    const { cache } = setup();
    const alice = fill(cache, 'alice', 'pw-a');
    const bob = fill(cache, 'bob', 'pw-b');
    cache.invalidateUser('alice');
    expect(cache.get(alice)).toBeUndefined();
    expect(cache.get(bob)).toBe('auth:bob');
  });

  it('drops everything when another process changed the store (external version)', () => {
    const { cache, bumpVersion } = setup();
    const alice = fill(cache, 'alice', 'pw-a');
    bumpVersion();
    expect(cache.get(alice)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not cache a verification that an invalidation of the user overtook', () => {
    const { cache } = setup();
    const key = cache.keyFor('alice', 'old-password');
    expect(cache.get(key)).toBeUndefined();
    // …argon2 runs; meanwhile the password changes…
    cache.invalidateUser('alice');
    cache.set(key, 'alice', 'stale');
    expect(cache.get(key)).toBeUndefined();
  });

  it('does not cache a verification that another process\'s commit overtook', () => {
    const { cache, bumpVersion } = setup();
    const key = cache.keyFor('alice', 'old-password');
    expect(cache.get(key)).toBeUndefined();
    bumpVersion();
    cache.set(key, 'alice', 'stale');
    expect(cache.get(key)).toBeUndefined();
  });

  it('does not cache a result that no miss asked for', () => {
    const { cache } = setup();
    const key = cache.keyFor('alice', 'pw');
    cache.set(key, 'alice', 'unasked');
    expect(cache.size).toBe(0);
  });

  it('expires an entry after the TTL', () => {
    const { cache, clock } = setup();
    const key = fill(cache, 'alice', 'pw');
    clock.advance(59_999);
    expect(cache.get(key)).toBe('auth:alice');
    clock.advance(1);
    expect(cache.get(key)).toBeUndefined();
  });

  it('keeps a bounded number of pending misses under a flood of wrong passwords', () => {
    const { cache } = setup();
    for (let i = 0; i < 10_000; i++) cache.get(cache.keyFor('alice', `wrong-${i}`));
    const key = fill(cache, 'alice', 'right');
    expect(cache.get(key)).toBe('auth:alice');
    expect((cache as unknown as { pending: Map<string, number> }).pending.size).toBeLessThanOrEqual(4096);
  });
});
