// _query/api_key aggregations: the request Kibana 8.14+'s API keys page sends
// (x-pack/plugins/security/server/routes/api_keys/query_aggs.ts), answered as Elasticsearch does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { KIBANA_API_KEY_AGGS as KIBANA_AGGS } from '../support/kibana-requests.js';
import { basicAs, createKey, userWithRole } from './api-key-helpers.js';


describe('POST /_security/_query/api_key with aggregations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await userWithRole(t, 'owner', 'own_keys', { cluster: ['manage_own_api_key'] });
    await createKey(t, basicAs(t), { name: 'Alerting: rule 1', metadata: { managed: true } });
    await createKey(t, basicAs(t), { name: 'short', expiration: '1h' });
    await createKey(t, basicAs(t, 'owner'), { name: 'mine' });
    const gone = await createKey(t, basicAs(t), { name: 'gone' });
    await t.app.inject({ method: 'DELETE', url: '/_security/api_key', headers: basicAs(t), payload: { ids: [gone.id] } });
    t.clock.advance(2 * 3_600_000);
  });
  afterAll(() => t.close());

  it("answers Kibana's API keys page aggregations over every matching key", async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: basicAs(t), payload: KIBANA_AGGS });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 3, count: 0, api_keys: [] });
    expect(body.aggregations).toEqual({
      usernames: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'elastic', doc_count: 2 }, { key: 'owner', doc_count: 1 }] },
      types: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'rest', doc_count: 3 }] },
      invalidated: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 0, key_as_string: 'false', doc_count: 3 }] },
      expired: { doc_count: 1 },
      alertingKeys: { doc_count: 1 },
      managedMetadata: { doc_count: 1 },
    });
  });

  it('aggregates only the keys manage_own_api_key may see', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: basicAs(t, 'owner'), payload: { size: 0, aggs: { usernames: { terms: { field: 'username' } } } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().aggregations.usernames.buckets).toEqual([{ key: 'owner', doc_count: 1 }]);
  });

  it('honours terms size and reports the keys left out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: basicAs(t), payload: { size: 0, aggregations: { u: { terms: { field: 'username', size: 1 } } } } });
    expect(res.json().aggregations.u).toEqual({ doc_count_error_upper_bound: 0, sum_other_doc_count: 1, buckets: [{ key: 'elastic', doc_count: 3 }] });
  });

  it.each([
    [{ aggs: { a: { avg: { field: 'creation' } } } }, /Unsupported API Key aggregation type \[avg\]/],
    [{ aggs: { a: { terms: { field: 'api_key_hash' } } } }, /field \[api_key_hash\] is not allowed/],
    [{ aggs: { a: { terms: { field: 'name' } } }, aggregations: {} }, /Found two aggregation definitions/],
  ])('refuses %j with a 400', async (payload, reason) => {
    const res = await t.app.inject({ method: 'POST', url: '/_security/_query/api_key', headers: basicAs(t), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.reason).toMatch(reason);
  });
});
