// Class 2: `Content-Encoding: deflate` is zlib-wrapped deflate to Node and "zlib when the header
// looks like one Netty accepts, else raw deflate" to Elasticsearch, so one compressed body could
// decompress to two documents. Now a body esgate reads goes upstream decompressed, as esgate read
// it: no Content-Encoding reaches the cluster on those routes, whatever the encoding.
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../authz-http/support.js';
import { forwardingApp, lastBody, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

const DOC = '{"docs":[{"_index":"logs-1","_id":"1"}]}';

describe('compressed bodies on routes whose targets are in the body', () => {
  it.each([
    ['gzip', gzipSync(DOC)],
    ['x-gzip', gzipSync(DOC)],
    ['deflate', deflateSync(DOC)],
    ['deflate', deflateRawSync(DOC)],
  ] as const)('%s goes upstream decompressed, without Content-Encoding', async (encoding, bytes) => {
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_mget', body: bytes, headers: { 'content-encoding': encoding } });
    expect(sent.status, sent.text).toBe(200);
    const arrived = f.t.upstream.requests.at(-1);
    expect(arrived?.headers['content-encoding']).toBeUndefined();
    expect(lastBody(f.t)).toBe(DOC);
  });

  it('a raw deflate stream whose first bytes also read as a zlib header is forwarded as esgate decompressed it', async () => {
    // Whatever a second decompressor would make of these bytes, the cluster only sees esgate's reading.
    const hidden = deflateRawSync('{"docs":[{"_index":"secret","_id":"1"}]}');
    const before = f.t.upstream.requests.length;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_mget', body: hidden, headers: { 'content-encoding': 'deflate' } });
    expect(sent.status, sent.text).toBe(403);
    expect(f.t.upstream.requests.length).toBe(before);
  });

  it.each(['br', 'zstd', 'gzip, deflate', 'compress'])('refuses Content-Encoding [%s], which esgate does not read', async (encoding) => {
    const before = f.t.upstream.requests.length;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_mget', body: gzipSync(DOC), headers: { 'content-encoding': encoding } });
    expect(sent.status, sent.text).toBe(400);
    expect(sent.json.error.type).toBe('illegal_argument_exception');
    expect(f.t.upstream.requests.length).toBe(before);
  });

  it('answers 413 for a decompression bomb past http.max_content_length, without forwarding', async () => {
    const small = await (await import('../support/test-app.js')).buildTestApp({ settings: { http: { max_content_length: '64kb' } } });
    try {
      const base = await small.listen();
      const bomb = gzipSync(`{"docs":[{"_index":"logs-1","_id":"${'a'.repeat(200_000)}"}]}`);
      const sent = await send(base, small.basic(), { method: 'POST', path: '/_mget', body: bomb, headers: { 'content-encoding': 'gzip' } });
      expect(sent.status, sent.text).toBe(413);
      expect(small.upstream.requests.length).toBe(0);
    } finally {
      await small.close();
    }
  });
});
