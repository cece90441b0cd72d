import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Housekeeping, housekeepingJobs } from '../../src/ops/housekeeping.js';
import { digestApiKeySecret, verifyApiKeySecret } from '../../src/services/api-key-crypto.js';
import { systemRandom } from '../../src/runtime/random.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import { wildcardToGlob } from '../../src/store/sqlite/api-key-query.js';
import type { ApiKeyRecord } from '../../src/store/types.js';
import { buildTestApp } from '../support/test-app.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { apiKeyAs, basicAs, createKey } from '../security/api-key-helpers.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 24 * 3_600_000;

function record(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    name: `key-${id}`,
    digest: digestApiKeySecret(`secret-${id}`, systemRandom),
    type: 'rest',
    createdAt: NOW,
    expiresAt: null,
    invalidated: false,
    invalidatedAt: null,
    username: 'alice',
    realmName: 'default_native',
    realmType: 'native',
    fullName: null,
    email: null,
    userMetadata: {},
    metadata: {},
    roleDescriptors: [],
    limitedBy: [['r', { cluster: ['monitor'] }]],
    version: 1,
    ...overrides,
  };
}

describe('SQLite API key repository', () => {
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

  it('stores a salted digest of the secret, never the secret, and verifies it in constant time', async () => {
    const secret = 'AAAAAAAAAAAAAAAAAAAAAA';
    await store.apiKeys.insert(record('k1', { digest: digestApiKeySecret(secret, systemRandom) }));
    const raw = new Database(store.file, { readonly: true });
    const rows = JSON.stringify(raw.prepare('SELECT * FROM api_keys').all());
    raw.close();
    expect(rows).not.toContain(secret);
    const stored = await store.apiKeys.get('k1');
    expect(verifyApiKeySecret(secret, stored!.digest)).toBe(true);
    expect(verifyApiKeySecret('AAAAAAAAAAAAAAAAAAAAAB', stored!.digest)).toBe(false);
    // Two digests of the same secret differ (random salt).
    expect(digestApiKeySecret(secret, systemRandom)).not.toBe(digestApiKeySecret(secret, systemRandom));
  });

  it('round-trips every field', async () => {
    const full = record('k2', {
      expiresAt: NOW + DAY,
      fullName: 'Alice',
      email: 'a@example.com',
      userMetadata: { team: 'x' },
      metadata: { env: { level: 1 } },
      roleDescriptors: [['a', { cluster: [] }], ['b', { cluster: ['all'] }]],
    });
    await store.apiKeys.insert(full);
    expect(await store.apiKeys.get('k2')).toEqual(full);
    expect(await store.apiKeys.get('nope')).toBeNull();
  });

  it('updates only when the stored version is the expected one and the key is not invalidated', async () => {
    await store.apiKeys.insert(record('k3'));
    expect(await store.apiKeys.update(record('k3', { metadata: { v: 2 }, version: 2 }), 1)).toBe(true);
    expect(await store.apiKeys.update(record('k3', { metadata: { v: 3 }, version: 3 }), 1)).toBe(false);
    expect((await store.apiKeys.get('k3'))!.metadata).toEqual({ v: 2 });
    await store.apiKeys.invalidate(['k3'], NOW);
    expect(await store.apiKeys.update(record('k3', { version: 4 }), 2)).toBe(false);
  });

  it('invalidates once and reports only the keys it changed', async () => {
    await store.apiKeys.insert(record('a'));
    await store.apiKeys.insert(record('b'));
    expect(await store.apiKeys.invalidate(['a', 'b', 'missing'], NOW + 5)).toEqual(['a', 'b']);
    expect(await store.apiKeys.invalidate(['a'], NOW + 6)).toEqual([]);
    expect((await store.apiKeys.get('a'))!).toMatchObject({ invalidated: true, invalidatedAt: NOW + 5 });
  });

  it('deletes keys expired or invalidated before the cutoff, in bounded batches', async () => {
    await store.apiKeys.insert(record('expired-old', { expiresAt: NOW - 10 }));
    await store.apiKeys.insert(record('expired-new', { expiresAt: NOW + 10 }));
    await store.apiKeys.insert(record('invalidated-old', { invalidated: true, invalidatedAt: NOW - 10 }));
    await store.apiKeys.insert(record('active'));
    expect(await store.apiKeys.deleteRetiredBefore(NOW, 1)).toBe(1);
    expect(await store.apiKeys.deleteRetiredBefore(NOW, 10)).toBe(1);
    expect(await store.apiKeys.deleteRetiredBefore(NOW, 10)).toBe(0);
    expect(await store.apiKeys.get('expired-new')).not.toBeNull();
    expect(await store.apiKeys.get('active')).not.toBeNull();
  });

  it('keeps the table intact and matches nothing for injection-shaped search values', async () => {
    await store.apiKeys.insert(record('k4'));
    const result = await store.apiKeys.search({
      query: { kind: 'terms', field: 'name', values: ["'; DROP TABLE api_keys; --", "x' OR '1'='1"] },
      sort: [],
      from: 0,
      size: 10,
    });
    expect(result.total).toBe(0);
    expect(await store.apiKeys.get('k4')).not.toBeNull();
  });

  it('turns Elasticsearch wildcards into GLOB patterns with brackets made literal', () => {
    expect(wildcardToGlob('a*b?c')).toBe('a*b?c');
    expect(wildcardToGlob('[x]')).toBe('[[]x[]]');
    expect(wildcardToGlob('a\\*b')).toBe('a[*]b');
  });
});

describe('API keys across a restart and retention', () => {
  it('keeps keys working after esgate restarts on the same data directory', async () => {
    const dir = tempDir();
    const first = await buildTestApp({ dir });
    const key = await createKey(first, basicAs(first), { name: 'durable', expiration: '1d', metadata: { a: 1 } });
    await first.close();
    const second = await buildTestApp({ dir });
    try {
      const me = await second.app.inject({ url: '/_security/_authenticate', headers: apiKeyAs(key.encoded) });
      expect(me.statusCode).toBe(200);
      expect(me.json().api_key).toEqual({ id: key.id, name: 'durable' });
      const get = await second.app.inject({ url: `/_security/api_key?id=${key.id}`, headers: basicAs(second) });
      expect(get.json().api_keys[0]).toMatchObject({ name: 'durable', metadata: { a: 1 }, expiration: key.expiration });
    } finally {
      await second.close();
      dir.remove();
    }
  });

  it('keeps expired and invalidated keys readable for the retention period, then the housekeeping job deletes them', async () => {
    const t = await buildTestApp({ settings: { authc: { api_key: { delete_retention_period: '7d', delete_interval: '1h' } } } });
    try {
      const expiring = await createKey(t, basicAs(t), { name: 'expiring', expiration: '1d' });
      const revoked = await createKey(t, basicAs(t), { name: 'revoked' });
      const active = await createKey(t, basicAs(t), { name: 'active' });
      await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [revoked.id] } });
      const housekeeping = new Housekeeping({ clock: t.clock, logger: t.ctx.logger }, housekeepingJobs(t.ctx));
      const idsNow = async () =>
        ((await t.app.inject({ url: '/_security/api_key', headers: basicAs(t) })).json().api_keys as Array<{ id: string }>).map((k) => k.id).sort();

      t.clock.advance(7 * DAY);
      await housekeeping.runDue();
      expect(await idsNow()).toEqual([expiring.id, revoked.id, active.id].sort());

      t.clock.advance(DAY + 3_600_000);
      await housekeeping.runDue();
      expect(await idsNow()).toEqual([active.id]);
      expect(t.logs.lines.some((line) => line['job'] === 'retired-api-keys' && line['removed'] === 2)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
