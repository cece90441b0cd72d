// Found by the review of the merged auth surfaces: `_query/user` and `_query/role` wildcards ran as
// backtracking JavaScript regexes, so `*a*a*…*b` against a long stored name took exponential time.
// They run on RE2 now, linear in the input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await t.ctx.users.create({ username: 'a'.repeat(200), password: 'long-password', roles: [] });
});
afterAll(() => t.close());

describe('_query/user wildcard', () => {
  it('a pattern that backtracks in a regex engine is answered at once', async () => {
    const started = performance.now();
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/user', headers: { authorization: t.basic() }, payload: { query: { wildcard: { username: `${'*a'.repeat(25)}*b` } } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total).toBe(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('still matches what it should, case-insensitively when asked', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/user', headers: { authorization: t.basic() }, payload: { query: { wildcard: { username: { value: 'A?a*', case_insensitive: true } } } } });
    expect(res.json().users.map((u: { username: string }) => u.username)).toEqual(['a'.repeat(200)]);
  });
});
