// Found by the review of the merged auth surfaces: work on esgate's own APIs that grew without
// bound. `filter_path` with many `**` took 35 s on an unauthenticated 401 (a 500-byte URL); deep
// bodies (role or profile metadata, a _query/api_key bool) and wide bools gave 500s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** Built as text: JSON.stringify itself could not write 20,000 levels. */
const deep = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('filter_path', () => {
  it('with 160 `**` is answered at once, even without credentials', async () => {
    const started = performance.now();
    const res = await t.app.inject({ url: `/_security/_authenticate?filter_path=${'**.'.repeat(160)}zz` });
    expect(res.statusCode).toBe(401);
    // Was 35 s; now linear in the document and the pattern.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('still selects through `**` and `*`, and excludes with `-`', async () => {
    const res = await t.app.inject({ url: '/_security/_authenticate?filter_path=**.name,-authentication_realm.*', headers: { authorization: t.basic() } });
    expect(res.json()).toEqual({ lookup_realm: { name: 'reserved' } });
    const deeper = await t.app.inject({ url: '/_security/_authenticate?filter_path=**.**.**.type', headers: { authorization: t.basic() } });
    expect(deeper.json()).toEqual({ authentication_realm: { type: 'reserved' }, lookup_realm: { type: 'reserved' } });
  });
});

describe('bodies of the security APIs', () => {
  it.each([
    ['a role', 'PUT', '/_security/role/deep', `{"cluster":[],"metadata":${deep(20_000)}}`],
    ['a user', 'PUT', '/_security/user/deep', `{"password":"deep-password","roles":[],"metadata":${deep(200)}}`],
    ['an API key', 'POST', '/_security/api_key', `{"name":"deep","metadata":${deep(5_000)}}`],
    ['an API key query', 'POST', '/_security/_query/api_key', `{"query":${'{"bool":{"must":'.repeat(5_000)}{"match_all":{}}${'}}'.repeat(5_000)}}`],
  ])('nested too deep (%s) is a 400, not a 500', async (_what, method, url, payload) => {
    const res = await t.app.inject({ method: method as 'PUT' | 'POST', url, headers: { authorization: t.basic(), 'content-type': 'application/json' }, payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.type).toBe('x_content_parse_exception');
  });

  it('an API key query with too many clauses is too_many_nested_clauses, not a 500', async () => {
    const should = Array.from({ length: 40_000 }, (_, i) => ({ term: { name: `k${i}` } }));
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: { authorization: t.basic() }, payload: { query: { bool: { should } } } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.type).toBe('too_many_nested_clauses');
    const fine = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: { authorization: t.basic() }, payload: { query: { bool: { should: should.slice(0, 100) } } } });
    expect(fine.statusCode, fine.body).toBe(200);
  });
});
