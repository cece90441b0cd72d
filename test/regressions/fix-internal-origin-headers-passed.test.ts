// Class 5 (headers): Elasticsearch trusts `X-elastic-product-origin` (its own products: wider
// system-index access) and `X-elastic-internal-origin`. A client's copy never reaches the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../authz-http/support.js';
import { forwardingApp, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

describe('headers Elasticsearch trusts for its internal callers', () => {
  it.each(['X-elastic-product-origin', 'X-Elastic-Internal-Origin'])('%s from a client is removed', async (name) => {
    const sent = await send(f.base, f.reader, { method: 'GET', path: '/logs-1/_search', headers: { [name]: 'kibana', 'x-opaque-id': 'kept' } });
    expect(sent.status, sent.text).toBe(200);
    const arrived = f.t.upstream.requests.at(-1);
    expect(arrived?.headers[name.toLowerCase()]).toBeUndefined();
    // An ordinary header still passes.
    expect(arrived?.headers['x-opaque-id']).toBe('kept');
  });
});
