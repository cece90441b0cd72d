// Token repository behaviour every store shares (moved here from the SQLite-only tests).
import { expect, it } from 'vitest';
import type { SealedTokens, TokenDigest, TokenRecord } from '../../src/store/types.js';
import type { ContractContext } from './contract.js';
import { tokenDigest, tokenRecord } from './fixtures.js';

const digest = tokenDigest;
const DAY = 24 * 3_600_000;

export function tokenContract(c: ContractContext): void {
  const record = (name: string, overrides: Partial<TokenRecord> = {}) => tokenRecord(c.now(), name, overrides);
  const notYetRefreshed = (current: TokenRecord) => current.refreshedAt === null;

  it('finds a record by either digest and returns it as stored', async () => {
    const stored = record('a', { client: { username: 'k', realmName: 'r', realmType: 't', apiKeyId: 'key-1' } });
    await c.store().tokens.insert(stored);
    expect(await c.store().tokens.getByAccessDigest(stored.accessDigest)).toEqual(stored);
    expect(await c.store().tokens.getByRefreshDigest(stored.refreshDigest as TokenDigest)).toEqual(stored);
    expect(await c.store().tokens.getByAccessDigest(digest('nothing'))).toBeNull();
    // An access digest is not a refresh digest.
    expect(await c.store().tokens.getByRefreshDigest(stored.accessDigest)).toBeNull();
  });

  it('refuses two records with the same access digest', async () => {
    await c.store().tokens.insert(record('a'));
    await expect(c.store().tokens.insert(record('a'))).rejects.toThrow();
  });

  it('supersedes a refresh token once: the successor is stored and the record marked in one step', async () => {
    const old = record('old');
    await c.store().tokens.insert(old);
    const at = c.now() + 5;
    const successor = { record: record('new', { createdAt: at }), superseding: 'v1.sealed' as SealedTokens, refreshedAt: at };
    const first = await c.store().tokens.refresh(old.refreshDigest as TokenDigest, successor, notYetRefreshed);
    expect(first.superseded).toBe(true);
    expect(first.current).toMatchObject({ refreshedAt: at, superseding: 'v1.sealed' });
    expect(await c.store().tokens.getByAccessDigest(successor.record.accessDigest)).toEqual(successor.record);

    const second = await c.store().tokens.refresh(old.refreshDigest as TokenDigest, { ...successor, record: record('other') }, notYetRefreshed);
    expect(second.superseded).toBe(false);
    expect(second.current?.refreshedAt).toBe(at);
    expect(await c.store().tokens.getByAccessDigest(digest('other-access'))).toBeNull();
    expect(await c.store().tokens.refresh(digest('unknown'), successor, notYetRefreshed)).toEqual({ current: null, superseded: false });
  });

  it('lets exactly one of many racing refreshes over two connections supersede the token', async () => {
    const old = record('race');
    await c.store().tokens.insert(old);
    const other = await c.peer();
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const successor = { record: record(`succ-${i}`), superseding: `v1.${i}` as SealedTokens, refreshedAt: c.now() };
      return (i % 2 === 0 ? c.store() : other).tokens.refresh(old.refreshDigest as TokenDigest, successor, notYetRefreshed);
    });
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o.superseded)).toHaveLength(1);
    const winner = outcomes.find((o) => o.superseded);
    // Every loser saw the winner's successor.
    for (const outcome of outcomes) expect(outcome.current?.superseding).toBe(winner?.current?.superseding);
  });

  it('writes nothing when the decision refuses the refresh', async () => {
    const old = record('old');
    await c.store().tokens.insert(old);
    const outcome = await c
      .store()
      .tokens.refresh(old.refreshDigest as TokenDigest, { record: record('new'), superseding: 'v1.x' as SealedTokens, refreshedAt: c.now() }, () => false);
    expect(outcome).toEqual({ current: old, superseded: false });
    expect(await c.store().tokens.getByAccessDigest(digest('new-access'))).toBeNull();
  });

  it('invalidates one token and reports a repeat as previously invalidated', async () => {
    const stored = record('a');
    const tokens = c.store().tokens;
    await tokens.insert(stored);
    expect(await tokens.invalidateAccess(stored.accessDigest)).toEqual({ invalidated: 1, previouslyInvalidated: 0 });
    expect(await tokens.invalidateAccess(stored.accessDigest)).toEqual({ invalidated: 0, previouslyInvalidated: 1 });
    expect((await tokens.getByAccessDigest(stored.accessDigest))?.refreshInvalidated).toBe(false);
    expect(await tokens.invalidateRefresh(stored.refreshDigest as TokenDigest)).toEqual({ invalidated: 1, previouslyInvalidated: 0 });
    expect(await tokens.invalidateAccess(digest('nothing'))).toBeNull();
    expect(await tokens.invalidateRefresh(digest('nothing'))).toBeNull();
  });

  it('invalidates only the active records of the selected user and realm, counting each token', async () => {
    const now = c.now();
    const tokens = c.store().tokens;
    await tokens.insert(record('live'));
    await tokens.insert(record('no-refresh', { refreshDigest: null }));
    // Access expired, refresh still usable: active.
    await tokens.insert(record('refreshable', { accessExpiresAt: now - 1 }));
    // Both unusable: not active, not counted.
    await tokens.insert(record('dead', { accessExpiresAt: now - 1, createdAt: now - DAY - 1 }));
    await tokens.insert(record('half', { accessInvalidated: true }));
    await tokens.insert(record('bob', { username: 'bob' }));
    await tokens.insert(record('file', { realmName: 'default_file', realmType: 'file' }));

    const result = await tokens.invalidateActive({ username: 'alice', realmName: 'default_native' }, now, now - DAY);
    // live 2 + no-refresh 1 + refreshable 2 + half (1 new, 1 previously).
    expect(result).toEqual({ invalidated: 6, previouslyInvalidated: 1 });
    expect((await tokens.getByAccessDigest(digest('bob-access')))?.accessInvalidated).toBe(false);
    expect((await tokens.getByAccessDigest(digest('file-access')))?.accessInvalidated).toBe(false);
    expect((await tokens.getByAccessDigest(digest('dead-access')))?.accessInvalidated).toBe(false);
    expect(await tokens.invalidateActive({ realmName: 'default_file' }, now, now - DAY)).toEqual({ invalidated: 2, previouslyInvalidated: 0 });
  });

  it('deletes records created before the cutoff, at most the given number per call', async () => {
    const now = c.now();
    const tokens = c.store().tokens;
    for (let i = 0; i < 5; i++) await tokens.insert(record(`old-${i}`, { createdAt: now - DAY - i }));
    await tokens.insert(record('young', { createdAt: now }));
    expect(await tokens.deleteCreatedBefore(now - DAY + 1, 3)).toBe(3);
    expect(await tokens.deleteCreatedBefore(now - DAY + 1, 3)).toBe(2);
    expect(await tokens.deleteCreatedBefore(now - DAY + 1, 3)).toBe(0);
    expect(await tokens.getByAccessDigest(digest('young-access'))).not.toBeNull();
  });

  it('lists records created since a time in digest order, page by page, and counts them all', async () => {
    const now = c.now();
    const tokens = c.store().tokens;
    for (let i = 0; i < 5; i++) await tokens.insert(record(`page-${i}`));
    await tokens.insert(record('ancient', { createdAt: now - DAY }));
    const first = await tokens.list(now - 1, null, 3);
    const rest = await tokens.list(now - 1, first[first.length - 1]?.accessDigest ?? null, 3);
    const digests = [...first, ...rest].map((r) => r.accessDigest);
    expect(digests).toHaveLength(5);
    expect(digests).toEqual([...digests].sort());
    expect(await tokens.count()).toBe(6);
  });

  it('keeps digests only: no token row holds the token it was made from', async () => {
    await c.store().tokens.insert(record('secret-token-value'));
    expect(JSON.stringify(await c.fixture().rawRows('tokens'))).not.toContain('secret-token-value');
  });
}
