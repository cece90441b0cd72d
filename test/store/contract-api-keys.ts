// API key repository behaviour every store shares: storage, versioned updates, invalidation,
// retention, and the search the _query/api_key API runs (queries parsed as the API parses them).
import { expect, it } from 'vitest';
import { digestApiKeySecret, verifyApiKeySecret } from '../../src/services/api-key-crypto.js';
import { parseApiKeyQuery, parseApiKeySort } from '../../src/services/api-key-query.js';
import { systemRandom } from '../../src/runtime/random.js';
import type { ApiKeyRecord, ApiKeySearch } from '../../src/store/types.js';
import type { ContractContext } from './contract.js';
import { apiKeyRecord } from './fixtures.js';

const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;

export function apiKeyContract(c: ContractContext): void {
  const record = (id: string, overrides: Partial<ApiKeyRecord> = {}) => apiKeyRecord(c.now(), id, overrides);

  it('stores a salted digest of the secret, never the secret, and verifies it', async () => {
    const secret = 'AAAAAAAAAAAAAAAAAAAAAA';
    await c.store().apiKeys.insert(record('k1', { digest: digestApiKeySecret(secret, systemRandom) }));
    expect(JSON.stringify(await c.fixture().rawRows('api_keys'))).not.toContain(secret);
    const stored = await c.store().apiKeys.get('k1');
    expect(verifyApiKeySecret(secret, stored!.digest)).toBe(true);
    expect(verifyApiKeySecret('AAAAAAAAAAAAAAAAAAAAAB', stored!.digest)).toBe(false);
  });

  it('round-trips every field', async () => {
    const full = record('k2', {
      expiresAt: c.now() + DAY,
      fullName: 'Alice',
      email: 'a@example.com',
      userMetadata: { team: 'x' },
      metadata: { env: { level: 1 }, z: 1, a: 2 },
      roleDescriptors: [['b', { cluster: ['all'] }], ['a', { cluster: [] }]],
    });
    await c.store().apiKeys.insert(full);
    expect(await c.store().apiKeys.get('k2')).toEqual(full);
    // Key order of stored JSON is kept (responses render it as stored).
    expect(Object.keys((await c.store().apiKeys.get('k2'))!.metadata)).toEqual(['env', 'z', 'a']);
    expect(await c.store().apiKeys.get('nope')).toBeNull();
  });

  it('updates only when the stored version is the expected one and the key is not invalidated', async () => {
    const keys = c.store().apiKeys;
    await keys.insert(record('k3'));
    expect(await keys.update(record('k3', { metadata: { v: 2 }, version: 2 }), 1)).toBe(true);
    expect(await keys.update(record('k3', { metadata: { v: 3 }, version: 3 }), 1)).toBe(false);
    expect((await keys.get('k3'))!.metadata).toEqual({ v: 2 });
    await keys.invalidate(['k3'], c.now());
    expect(await keys.update(record('k3', { version: 4 }), 2)).toBe(false);
  });

  it('invalidates once and reports only the keys it changed', async () => {
    const keys = c.store().apiKeys;
    await keys.insert(record('a'));
    await keys.insert(record('b'));
    expect(await keys.invalidate(['a', 'b', 'missing'], c.now() + 5)).toEqual(['a', 'b']);
    expect(await keys.invalidate(['a'], c.now() + 6)).toEqual([]);
    expect(await keys.invalidate([], c.now())).toEqual([]);
    expect((await keys.get('a'))!).toMatchObject({ invalidated: true, invalidatedAt: c.now() + 5 });
  });

  it('deletes keys expired or invalidated before the cutoff, in bounded batches', async () => {
    const now = c.now();
    const keys = c.store().apiKeys;
    await keys.insert(record('expired-old', { expiresAt: now - 10 }));
    await keys.insert(record('expired-new', { expiresAt: now + 10 }));
    await keys.insert(record('invalidated-old', { invalidated: true, invalidatedAt: now - 10 }));
    await keys.insert(record('active'));
    expect(await keys.deleteRetiredBefore(now, 1)).toBe(1);
    expect(await keys.deleteRetiredBefore(now, 10)).toBe(1);
    expect(await keys.deleteRetiredBefore(now, 10)).toBe(0);
    expect(await keys.get('expired-new')).not.toBeNull();
    expect(await keys.get('active')).not.toBeNull();
  });

  const search = async (body: Record<string, unknown>, extra: Partial<ApiKeySearch> = {}): Promise<string[]> => {
    const result = await c.store().apiKeys.search({
      query: parseApiKeyQuery(body, c.now()),
      sort: parseApiKeySort(['name']),
      from: 0,
      size: 100,
      ...extra,
    });
    expect(result.hits.length).toBeLessThanOrEqual(result.total);
    return result.hits.map((hit) => hit.record.name);
  };

  const seed = async () => {
    const start = c.now();
    const keys = c.store().apiKeys;
    await keys.insert(record('1', { name: 'alpha', metadata: { env: 'prod', tags: ['x', 'y'], n: 5, ok: true, deep: { a: { b: 'leaf' } } } }));
    await keys.insert(record('2', { name: 'beta', createdAt: start + HOUR, expiresAt: start + DAY, invalidated: true, invalidatedAt: start + HOUR, metadata: { env: 'staging' } }));
    await keys.insert(record('3', { name: 'gamma', createdAt: start + 2 * HOUR, username: 'owner', metadata: { env: 'prod', 'a%b': 1 } }));
    await keys.insert(record('4', { name: "x' OR 1=1 --", createdAt: start + 3 * HOUR, username: 'owner', metadata: { note: '50%_off[x]' } }));
    return start;
  };

  it('searches by term, terms, prefix and wildcard (case-insensitive too), literal characters kept literal', async () => {
    await seed();
    expect(await search({ term: { name: 'alpha' } })).toEqual(['alpha']);
    expect(await search({ terms: { username: ['owner', 'nobody'] } })).toEqual(['gamma', "x' OR 1=1 --"]);
    expect(await search({ prefix: { name: 'ga' } })).toEqual(['gamma']);
    expect(await search({ prefix: { name: { value: 'GA', case_insensitive: true } } })).toEqual(['gamma']);
    expect(await search({ wildcard: { name: 'a*a' } })).toEqual(['alpha']);
    expect(await search({ wildcard: { name: '?eta' } })).toEqual(['beta']);
    expect(await search({ wildcard: { name: { value: 'B*', case_insensitive: true } } })).toEqual(['beta']);
    expect(await search({ wildcard: { 'metadata.note': '50%_off[x]' } })).toEqual(["x' OR 1=1 --"]);
    expect(await search({ wildcard: { 'metadata.note': '5_%' } })).toEqual([]);
    expect(await search({ term: { name: "x' OR '1'='1" } })).toEqual([]);
  });

  it('searches metadata leaves: scalars, array elements, numbers and booleans as keywords, nested paths and the whole field', async () => {
    await seed();
    expect(await search({ term: { 'metadata.env': 'prod' } })).toEqual(['alpha', 'gamma']);
    expect(await search({ term: { 'metadata.tags': 'y' } })).toEqual(['alpha']);
    expect(await search({ term: { 'metadata.n': '5' } })).toEqual(['alpha']);
    expect(await search({ term: { 'metadata.ok': 'true' } })).toEqual(['alpha']);
    expect(await search({ term: { 'metadata.deep.a.b': 'leaf' } })).toEqual(['alpha']);
    expect(await search({ term: { 'metadata.deep': 'leaf' } })).toEqual([]);
    expect(await search({ term: { metadata: 'leaf' } })).toEqual(['alpha']);
    expect(await search({ exists: { field: 'metadata.env' } })).toEqual(['alpha', 'beta', 'gamma']);
    expect(await search({ exists: { field: 'metadata.missing' } })).toEqual([]);
  });

  it('searches ranges and existence of dates, the invalidated flag and bool combinations', async () => {
    const start = await seed();
    expect(await search({ range: { creation: { gte: start + HOUR, lt: start + 3 * HOUR } } })).toEqual(['beta', 'gamma']);
    expect(await search({ exists: { field: 'expiration' } })).toEqual(['beta']);
    expect(await search({ term: { invalidated: true } })).toEqual(['beta']);
    expect(await search({ term: { invalidated: 'false' } })).toEqual(['alpha', 'gamma', "x' OR 1=1 --"]);
    expect(await search({ bool: { filter: [{ term: { 'metadata.env': 'prod' } }], must_not: [{ term: { username: 'owner' } }] } })).toEqual(['alpha']);
    expect(await search({ bool: { should: [{ prefix: { name: 'a' } }, { term: { 'metadata.env': 'prod' } }], minimum_should_match: 2 } })).toEqual(['alpha']);
    expect(await search({ bool: { must_not: [{ range: { expiration: { lt: start + 2 * DAY } } }] } })).toEqual(['alpha', 'gamma', "x' OR 1=1 --"]);
    expect(await search({ match_all: {} })).toHaveLength(4);
  });

  it('sorts (missing values last), pages with from/size and search_after, and returns sort values', async () => {
    const start = await seed();
    const sort = parseApiKeySort([{ creation: { order: 'desc' } }, 'name']);
    const page1 = await c.store().apiKeys.search({ query: parseApiKeyQuery({ match_all: {} }, c.now()), sort, from: 0, size: 2 });
    expect(page1.total).toBe(4);
    expect(page1.hits.map((h) => h.record.name)).toEqual(["x' OR 1=1 --", 'gamma']);
    expect(page1.hits[1]?.sort).toEqual([start + 2 * HOUR, 'gamma']);
    const page2 = await c.store().apiKeys.search({ query: parseApiKeyQuery({ match_all: {} }, c.now()), sort, from: 0, size: 2, searchAfter: page1.hits[1]?.sort });
    expect(page2.hits.map((h) => h.record.name)).toEqual(['beta', 'alpha']);
    expect(await search({ match_all: {} }, { from: 1, size: 2 })).toEqual(['beta', 'gamma']);
    expect((await search({ match_all: {} }, { sort: parseApiKeySort([{ expiration: 'desc' }, 'name']) }))[0]).toBe('beta');
    expect((await search({ match_all: {} }, { sort: parseApiKeySort([{ expiration: 'asc' }, 'name']) }))[0]).toBe('beta');
    const byDoc = await search({ match_all: {} }, { sort: parseApiKeySort(['_doc']) });
    expect(byDoc).toEqual(['alpha', 'beta', 'gamma', "x' OR 1=1 --"]);
  });
}
