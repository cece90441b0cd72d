import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { basicAs, createKey, userWithRole, type Created } from './api-key-helpers.js';

const HOUR = 3_600_000;

describe('GET|POST /_security/_query/api_key', () => {
  let t: TestApp;
  const keys: Record<string, Created> = {};
  let start: number;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'] });
    start = t.clock.now();
    keys['alpha'] = await createKey(t, basicAs(t), { name: 'alpha', metadata: { env: 'prod', tier: { level: 1 }, tags: ['dev', 'staging'], trusted: true } });
    t.clock.advance(HOUR);
    keys['beta'] = await createKey(t, basicAs(t), { name: 'beta', expiration: '1d', metadata: { env: 'dev' } });
    t.clock.advance(HOUR);
    keys['gamma'] = await createKey(t, basicAs(t, 'owner'), { name: 'gamma', metadata: { env: 'prod' } });
    t.clock.advance(HOUR);
    keys['x'] = await createKey(t, basicAs(t, 'owner'), { name: "x' OR 1=1 --" });
    await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [keys['beta']!.id] } });
  });
  afterAll(() => t.close());

  const query = (payload: Record<string, unknown> | undefined, headers = basicAs(t), url = '/_security/_query/api_key') =>
    t.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });
  const names = (res: { json(): { api_keys: Array<{ name: string }> } }) => res.json().api_keys.map((k) => k.name);

  it('answers every key for an empty body (GET or POST), with total and count and no _sort', async () => {
    const res = await t.app.inject({ url: '/_security/_query/api_key', headers: basicAs(t) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(4);
    expect(body.count).toBe(4);
    expect(body.api_keys[0]).not.toHaveProperty('_sort');
    expect(Object.keys(body)).toEqual(['total', 'count', 'api_keys']);
    expect((await query(undefined)).json().total).toBe(4);
  });

  it('matches nothing for a value that would be an SQL injection if concatenated, and only the literal name when it exists', async () => {
    for (const q of [
      { term: { name: "nope' OR 1=1 --" } },
      { terms: { username: ["x' OR '1'='1"] } },
      { prefix: { name: "' OR 1=1; DROP TABLE api_keys; --" } },
      { wildcard: { name: "*' OR name GLOB '*" } },
      { term: { "metadata.env') OR 1=1 --": 'prod' } },
    ]) {
      const res = await query({ query: q });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(0);
    }
    expect(names(await query({ query: { term: { name: "x' OR 1=1 --" } } }))).toEqual(["x' OR 1=1 --"]);
    expect((await query(undefined)).json().total).toBe(4);
  });

  it('reads the query from a GET body too, as Elasticsearch does', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/_security/_query/api_key', headers: basicAs(t), payload: { query: { term: { name: 'alpha' } } } });
    expect(res.statusCode).toBe(200);
    expect(names(res)).toEqual(['alpha']);
    const bad = await t.app.inject({ method: 'GET', url: '/_security/_query/api_key', headers: basicAs(t), payload: '{"query":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.type).toBe('x_content_parse_exception');
  });

  it('supports term, terms, match, prefix and wildcard on keyword fields, case-sensitively', async () => {
    expect(names(await query({ query: { term: { name: 'alpha' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { name: { value: 'ALPHA' } } } }))).toEqual([]);
    expect(names(await query({ query: { terms: { name: ['alpha', 'gamma'] } } }))).toEqual(['alpha', 'gamma']);
    expect(names(await query({ query: { match: { username: 'owner' } } }))).toEqual(['gamma', "x' OR 1=1 --"]);
    expect(names(await query({ query: { prefix: { name: 'al' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { wildcard: { name: '?et*' } } }))).toEqual(['beta']);
    expect(names(await query({ query: { wildcard: { name: { value: '*a' } } } }))).toEqual(['alpha', 'beta', 'gamma']);
    expect(names(await query({ query: { term: { name: { value: 'ALPHA', case_insensitive: true } } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { prefix: { name: { value: 'GA', case_insensitive: true } } } }))).toEqual(['gamma']);
    expect(names(await query({ query: { wildcard: { 'metadata.env': { value: 'PR*', case_insensitive: true } } } }))).toEqual(['alpha', 'gamma']);
    expect((await query({ query: { term: { name: { value: 'alpha', fuzziness: 2 } } } })).statusCode).toBe(400);
  });

  it('queries realm_name, type and invalidated', async () => {
    expect(names(await query({ query: { term: { realm_name: 'default_native' } } }))).toEqual(['gamma', "x' OR 1=1 --"]);
    expect((await query({ query: { term: { type: 'rest' } } })).json().total).toBe(4);
    expect(names(await query({ query: { term: { invalidated: true } } }))).toEqual(['beta']);
  });

  it('queries flattened metadata: nested keys, array elements, numbers and booleans as keywords', async () => {
    expect(names(await query({ query: { term: { 'metadata.env': 'prod' } } }))).toEqual(['alpha', 'gamma']);
    expect(names(await query({ query: { term: { 'metadata.tier.level': 1 } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { 'metadata.tier.level': '1' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { 'metadata.tags': 'staging' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { 'metadata.trusted': 'true' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { exists: { field: 'metadata.tier.level' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { 'metadata.tier': '1' } } }))).toEqual([]);
    // The flattened root field matches a leaf at any depth.
    expect(names(await query({ query: { term: { metadata: 'staging' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { term: { metadata: 'prod' } } }))).toEqual(['alpha', 'gamma']);
  });

  it('supports range over dates (epoch ms, ISO strings and now-based date math) and exists', async () => {
    expect(names(await query({ query: { range: { creation: { gte: start + HOUR } } } }))).toEqual(['beta', 'gamma', "x' OR 1=1 --"]);
    expect(names(await query({ query: { range: { creation: { lt: new Date(start + HOUR).toISOString() } } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { range: { creation: { gt: 'now-90m' } } } }))).toEqual(['gamma', "x' OR 1=1 --"]);
    expect(names(await query({ query: { exists: { field: 'expiration' } } }))).toEqual(['beta']);
    expect(names(await query({ query: { exists: { field: 'invalidation' } } }))).toEqual(['beta']);
  });

  it('supports ids, bool (must, filter, should, must_not, minimum_should_match) and match_all', async () => {
    expect(names(await query({ query: { ids: { values: [keys['alpha']!.id, keys['gamma']!.id] } } }))).toEqual(['alpha', 'gamma']);
    const bool = await query({
      query: { bool: { filter: [{ term: { 'metadata.env': 'prod' } }], must_not: [{ term: { username: 'owner' } }] } },
    });
    expect(names(bool)).toEqual(['alpha']);
    const should = await query({ query: { bool: { should: [{ term: { name: 'alpha' } }, { term: { name: 'beta' } }, { term: { name: 'nope' } }] } } });
    expect(names(should)).toEqual(['alpha', 'beta']);
    const two = await query({ query: { bool: { should: [{ prefix: { name: 'a' } }, { term: { 'metadata.env': 'prod' } }], minimum_should_match: 2 } } });
    expect(names(two)).toEqual(['alpha']);
    const notExpiring = await query({ query: { bool: { must_not: [{ range: { expiration: { lt: 'now' } } }] } } });
    expect(notExpiring.json().total).toBe(4);
    expect((await query({ query: { match_all: {} } })).json().total).toBe(4);
  });

  it('supports simple_query_string over the keyword fields with prefixes and +/- operators', async () => {
    expect(names(await query({ query: { simple_query_string: { query: 'alpha gam*' } } }))).toEqual(['alpha', 'gamma']);
    expect(names(await query({ query: { simple_query_string: { query: 'owner -gamma', fields: ['username', 'name'] } } }))).toEqual(["x' OR 1=1 --"]);
    // No fields: every queryable field, metadata included, leniently.
    expect(names(await query({ query: { simple_query_string: { query: 'staging' } } }))).toEqual(['alpha']);
    expect(names(await query({ query: { simple_query_string: { query: 'alp*', fields: ['na*'] } } }))).toEqual(['alpha']);
    expect((await query({ query: { simple_query_string: { query: 'word', fields: ['creation', 'invalidated'] } } })).json().total).toBe(0);
    // Only fields that cannot be queried: nothing, never everything.
    expect((await query({ query: { simple_query_string: { query: 'alpha', fields: ['role_descriptors'] } } })).json().total).toBe(0);
  });

  it('sorts, pages with from/size and search_after, and shows _sort values', async () => {
    const page1 = await query({ sort: [{ creation: { order: 'desc' } }, 'name'], size: 2 });
    expect(page1.json().total).toBe(4);
    expect(page1.json().count).toBe(2);
    expect(names(page1)).toEqual(["x' OR 1=1 --", 'gamma']);
    expect(page1.json().api_keys[1]._sort).toEqual([start + 2 * HOUR, 'gamma']);
    const page2 = await query({ sort: [{ creation: { order: 'desc' } }, 'name'], size: 2, search_after: page1.json().api_keys[1]._sort });
    expect(names(page2)).toEqual(['beta', 'alpha']);
    expect(page2.json().total).toBe(4);
    const offset = await query({ sort: [{ name: 'asc' }], from: 1, size: 2 });
    expect(names(offset)).toEqual(['beta', 'gamma']);
    const none = await query({ size: 0 });
    expect(none.json()).toEqual({ total: 4, count: 0, api_keys: [] });
  });

  it('sorts missing expirations last in both directions', async () => {
    expect(names(await query({ sort: [{ expiration: 'asc' }, 'name'] }))[0]).toBe('beta');
    expect(names(await query({ sort: [{ expiration: 'desc' }, 'name'] }))[0]).toBe('beta');
  });

  it('restricts manage_own_api_key silently to its own keys', async () => {
    const res = await query({ query: { match_all: {} } }, basicAs(t, 'owner'));
    expect(res.statusCode).toBe(200);
    expect(names(res).sort()).toEqual(['gamma', "x' OR 1=1 --"]);
  });

  it('adds limited_by with with_limited_by=true', async () => {
    const res = await query({ query: { term: { name: 'alpha' } } }, basicAs(t), '/_security/_query/api_key?with_limited_by=true');
    expect(Object.keys(res.json().api_keys[0].limited_by[0])).toEqual(['superuser']);
  });

  it.each([
    ['an unsupported query type', { query: { fuzzy: { name: 'x' } } }, 'illegal_argument_exception', 'Query type [fuzzy] is not currently supported in this context'],
    ['a field that is not queryable', { query: { term: { role_descriptors: 'x' } } }, 'illegal_argument_exception', 'Field [role_descriptors] is not allowed for querying or aggregation'],
    ['a term on id', { query: { term: { id: 'x' } } }, 'illegal_argument_exception', 'Field [id] is not allowed for querying or aggregation'],
    ['realm instead of realm_name', { query: { term: { realm: 'x' } } }, 'illegal_argument_exception', 'Field [realm] is not allowed for querying or aggregation'],
    ['a field name pattern', { query: { term: { 'meta*': 'x' } } }, 'illegal_argument_exception', 'Field name pattern [meta*] is not allowed for querying or aggregation'],
    ['a range with relation', { query: { range: { creation: { gte: 0, relation: 'within' } } } }, 'illegal_argument_exception', 'range query with relation is not currently supported in this context'],
    ['sorting on metadata', { sort: ['metadata'] }, 'illegal_argument_exception', 'sorting on field [metadata] is not supported by esgate'],
    ['sorting on id', { sort: ['id'] }, 'illegal_argument_exception', 'Field [id] is not allowed for querying or aggregation'],
    ['a negative from', { from: -1 }, 'illegal_argument_exception', '[from] parameter cannot be negative, found [-1]'],
    ['a window beyond 10000', { from: 9999, size: 2 }, 'illegal_argument_exception', expect.stringMatching(/^Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[10001\]/)],
    ['an unknown body field', { colour: 'red' }, 'x_content_parse_exception', '[query_api_key_request_payload] unknown field [colour]'],
    ['an unparseable date', { query: { range: { creation: { gte: 'yesterday' } } } }, 'parse_exception', 'failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]'],
  ])('answers 400 for %s', async (_label, payload, type, reason) => {
    const res = await query(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type, reason });
  });

  it('answers 403 to a user without any API key privilege', async () => {
    await userWithRole(t, 'nobody', 'monitor_only', { cluster: ['monitor'] });
    const res = await query(undefined, basicAs(t, 'nobody'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.reason).toMatch(/^action \[cluster:admin\/xpack\/security\/api_key\/query\] is unauthorized for user \[nobody\]/);
  });
});
