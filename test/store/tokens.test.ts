import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import type { SealedTokens, TokenDigest, TokenRecord } from '../../src/store/types.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const digest = (name: string) => createHash('sha256').update(name).digest('base64url') as TokenDigest;
const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 24 * 3_600_000;

function record(name: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    accessDigest: digest(`${name}-access`),
    refreshDigest: digest(`${name}-refresh`),
    username: 'alice',
    realmName: 'default_native',
    realmType: 'native',
    authentication: { user: { username: 'alice' } },
    client: { username: 'kibana', realmName: 'default_native', realmType: 'native', apiKeyId: null },
    createdAt: NOW,
    accessExpiresAt: NOW + 1_200_000,
    accessInvalidated: false,
    refreshInvalidated: false,
    refreshedAt: null,
    superseding: null,
    ...overrides,
  };
}

describe('SQLite token repository', () => {
  let dir: TempDir;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore(path.join(dir.path, 'esgate.db'), NOW);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('finds a record by either digest and returns it as stored', async () => {
    const stored = record('a');
    await store.tokens.insert(stored);
    expect(await store.tokens.getByAccessDigest(stored.accessDigest)).toEqual(stored);
    expect(await store.tokens.getByRefreshDigest(stored.refreshDigest as TokenDigest)).toEqual(stored);
    expect(await store.tokens.getByAccessDigest(digest('nothing'))).toBeNull();
    // An access digest is not a refresh digest.
    expect(await store.tokens.getByRefreshDigest(stored.accessDigest)).toBeNull();
  });

  it('refuses two records with the same access digest', async () => {
    await store.tokens.insert(record('a'));
    await expect(store.tokens.insert(record('a'))).rejects.toThrow();
  });

  it('supersedes a refresh token once: the successor is stored and the record marked in one step', async () => {
    const old = record('old');
    await store.tokens.insert(old);
    const successor = { record: record('new', { createdAt: NOW + 5 }), superseding: 'v1.sealed' as SealedTokens, refreshedAt: NOW + 5 };
    const notYetRefreshed = (current: TokenRecord) => current.refreshedAt === null;
    const first = await store.tokens.refresh(old.refreshDigest as TokenDigest, successor, notYetRefreshed);
    expect(first.superseded).toBe(true);
    expect(first.current).toMatchObject({ refreshedAt: NOW + 5, superseding: 'v1.sealed' });
    expect(await store.tokens.getByAccessDigest(successor.record.accessDigest)).toEqual(successor.record);

    const second = await store.tokens.refresh(old.refreshDigest as TokenDigest, { ...successor, record: record('other') }, notYetRefreshed);
    expect(second.superseded).toBe(false);
    expect(second.current?.refreshedAt).toBe(NOW + 5);
    expect(await store.tokens.getByAccessDigest(digest('other-access'))).toBeNull();

    const missing = await store.tokens.refresh(digest('unknown'), successor, notYetRefreshed);
    expect(missing).toEqual({ current: null, superseded: false });
  });

  it('writes nothing when the decision refuses the refresh', async () => {
    const old = record('old');
    await store.tokens.insert(old);
    const outcome = await store.tokens.refresh(
      old.refreshDigest as TokenDigest,
      { record: record('new'), superseding: 'v1.x' as SealedTokens, refreshedAt: NOW },
      () => false,
    );
    expect(outcome).toEqual({ current: old, superseded: false });
    expect(await store.tokens.getByAccessDigest(digest('new-access'))).toBeNull();
  });

  it('invalidates one token and reports a repeat as previously invalidated', async () => {
    const stored = record('a');
    await store.tokens.insert(stored);
    expect(await store.tokens.invalidateAccess(stored.accessDigest)).toEqual({ invalidated: 1, previouslyInvalidated: 0 });
    expect(await store.tokens.invalidateAccess(stored.accessDigest)).toEqual({ invalidated: 0, previouslyInvalidated: 1 });
    expect((await store.tokens.getByAccessDigest(stored.accessDigest))?.refreshInvalidated).toBe(false);
    expect(await store.tokens.invalidateRefresh(stored.refreshDigest as TokenDigest)).toEqual({ invalidated: 1, previouslyInvalidated: 0 });
    expect(await store.tokens.invalidateAccess(digest('nothing'))).toBeNull();
    expect(await store.tokens.invalidateRefresh(digest('nothing'))).toBeNull();
  });

  it('invalidates only the active records of the selected user and realm, counting each token', async () => {
    await store.tokens.insert(record('live'));
    await store.tokens.insert(record('no-refresh', { refreshDigest: null }));
    // Access expired, refresh still usable: active.
    await store.tokens.insert(record('refreshable', { accessExpiresAt: NOW - 1 }));
    // Both unusable: not active, not counted.
    await store.tokens.insert(record('dead', { accessExpiresAt: NOW - 1, createdAt: NOW - DAY - 1 }));
    await store.tokens.insert(record('half', { accessInvalidated: true }));
    await store.tokens.insert(record('bob', { username: 'bob' }));
    await store.tokens.insert(record('file', { realmName: 'default_file', realmType: 'file' }));

    const result = await store.tokens.invalidateActive({ username: 'alice', realmName: 'default_native' }, NOW, NOW - DAY);
    // live 2 + no-refresh 1 + refreshable 2 + half (1 new, 1 previously).
    expect(result).toEqual({ invalidated: 6, previouslyInvalidated: 1 });
    expect((await store.tokens.getByAccessDigest(digest('bob-access')))?.accessInvalidated).toBe(false);
    expect((await store.tokens.getByAccessDigest(digest('file-access')))?.accessInvalidated).toBe(false);
    expect((await store.tokens.getByAccessDigest(digest('dead-access')))?.accessInvalidated).toBe(false);
    expect(await store.tokens.invalidateActive({ realmName: 'default_file' }, NOW, NOW - DAY)).toEqual({ invalidated: 2, previouslyInvalidated: 0 });
  });

  it('deletes records created before the cutoff, at most the given number per call', async () => {
    for (let i = 0; i < 5; i++) await store.tokens.insert(record(`old-${i}`, { createdAt: NOW - DAY - i }));
    await store.tokens.insert(record('young', { createdAt: NOW }));
    expect(await store.tokens.deleteCreatedBefore(NOW - DAY + 1, 3)).toBe(3);
    expect(await store.tokens.deleteCreatedBefore(NOW - DAY + 1, 3)).toBe(2);
    expect(await store.tokens.deleteCreatedBefore(NOW - DAY + 1, 3)).toBe(0);
    expect(await store.tokens.getByAccessDigest(digest('young-access'))).not.toBeNull();
  });
});
