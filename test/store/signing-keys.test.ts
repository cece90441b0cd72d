import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import type { SigningKeyRecord } from '../../src/store/types.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const key = (kid: string, createdAt: number): SigningKeyRecord => ({ kid, algorithm: 'ES256', privateJwk: '{}', publicJwk: '{}', createdAt, retiredAt: null });

describe('signing keys (SQLite)', () => {
  let dir: TempDir;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore(`${dir.path}/esgate.db`);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('creates the first key only once when asked to create one only if none exists', async () => {
    expect(await store.signingKeys.rotate(key('a', 1000), 0, true)).toBe(true);
    expect(await store.signingKeys.rotate(key('b', 2000), 0, true)).toBe(false);
    expect((await store.signingKeys.list()).map((k) => k.kid)).toEqual(['a']);
  });

  it('retires the signing key at a rotation and drops keys retired before the cut-off', async () => {
    await store.signingKeys.rotate(key('a', 1000), 0);
    await store.signingKeys.rotate(key('b', 2000), 0);
    expect(await store.signingKeys.list()).toEqual([key('b', 2000), { ...key('a', 1000), retiredAt: 2000 }]);
    await store.signingKeys.rotate(key('c', 3000), 2500);
    expect((await store.signingKeys.list()).map((k) => [k.kid, k.retiredAt])).toEqual([
      ['c', null],
      ['b', 3000],
    ]);
  });
});
