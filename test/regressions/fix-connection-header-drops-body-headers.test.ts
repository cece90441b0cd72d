// Class 3: a client's `Connection: content-encoding` made the proxy drop Content-Encoding after esgate
// had decided on the decompressed body, so the cluster read the compressed bytes as something else.
// Hop-by-hop headers are esgate's: the body headers upstream are the ones esgate decided on.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../authz-http/support.js';
import { forwardingApp, lastBody, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

const BULK = '{"index":{"_index":"logs-1","_id":"1"}}\n{"a":1}\n';

describe('a client Connection header naming end-to-end headers', () => {
  it('cannot separate a read body from its decoding: the canonical body goes without Content-Encoding', async () => {
    const sent = await send(f.base, f.reader, {
      method: 'POST',
      path: '/_mget',
      body: gzipSync('{"docs":[{"_index":"logs-1","_id":"1"}]}'),
      headers: { 'content-encoding': 'gzip', connection: 'keep-alive, content-encoding, content-type, content-length' },
    });
    expect(sent.status, sent.text).toBe(200);
    const arrived = f.t.upstream.requests.at(-1);
    expect(arrived?.headers['content-encoding']).toBeUndefined();
    expect(arrived?.headers['content-type']).toBe('application/json');
    expect(arrived?.headers['content-length']).toBe(String(arrived?.bodyBytes));
    expect(lastBody(f.t)).toBe('{"docs":[{"_index":"logs-1","_id":"1"}]}');
    expect(arrived?.headers['connection']).not.toMatch(/content/);
  });

  it('cannot strip the body headers of a streamed body either', async () => {
    const body = gzipSync(BULK);
    const sent = await send(f.base, f.elastic, {
      method: 'POST',
      path: '/_bulk',
      body,
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', connection: 'content-encoding, content-type' },
    });
    // The superuser's _bulk streams untouched: the upstream gets the gzip bytes and says so.
    expect(sent.status).toBeGreaterThanOrEqual(200);
    const arrived = f.t.upstream.requests.at(-1);
    expect(arrived?.headers['content-encoding']).toBe('gzip');
    expect(arrived?.headers['content-type']).toBe('application/x-ndjson');
    expect(arrived?.body.equals(body)).toBe(true);
  });

  it('cannot remove the credentials esgate sets upstream', async () => {
    const withAuth = await (await import('../support/test-app.js')).buildTestApp({ settings: { upstream: { auth: { type: 'basic', username: 'gate', password: 'gate-secret' }, identity_header: 'X-Forwarded-User' } } });
    try {
      const base = await withAuth.listen();
      const sent = await send(base, withAuth.basic(), { method: 'GET', path: '/_cluster/health', headers: { connection: 'authorization, x-forwarded-user, x-forwarded-for' } });
      expect(sent.status, sent.text).toBe(200);
      const arrived = withAuth.upstream.requests.at(-1);
      expect(arrived?.headers['authorization']).toBe(`Basic ${Buffer.from('gate:gate-secret').toString('base64')}`);
      expect(arrived?.headers['x-forwarded-user']).toBe('elastic');
      expect(arrived?.headers['x-forwarded-for']).toBe('127.0.0.1');
    } finally {
      await withAuth.close();
    }
  });
});
