// Bodies stream through esgate both ways over real sockets: nothing is buffered whole, bytes arrive
// unchanged, and the upstream's status, headers and content-encoding reach the client untouched.
import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const MiB = 1024 * 1024;

/** A distinct 1 MiB slice of NDJSON bulk lines, so reordering or loss changes the digest. */
function bulkChunk(index: number): Buffer {
  const head = `{"index":{"_index":"logs","_id":"${index}"}}\n`;
  const line = `{"chunk":${index},"message":"${'x'.repeat(100)}"}\n`;
  const chunk = Buffer.alloc(MiB, ' ');
  let at = chunk.write(head);
  while (at + line.length < MiB - 1) at += chunk.write(line, at);
  chunk[MiB - 1] = 0x0a;
  return chunk;
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function write(req: http.ClientRequest, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (req.write(chunk)) resolve();
    else req.once('drain', resolve);
  });
}

describe('streaming through esgate', () => {
  let t: TestApp;
  let base: URL;
  beforeAll(async () => {
    t = await buildTestApp();
    base = new URL(await t.listen());
  });
  beforeEach(() => {
    t.upstream.respond = null;
  });
  afterAll(() => t.close());

  it('streams a 100 MB _bulk body to the upstream unchanged, and the upstream reads it while the client is still sending', async () => {
    const CHUNKS = 100;
    const hash = createHash('sha256');
    const receivedBefore = t.upstream.bytesReceived;
    const req = http.request({
      host: base.hostname,
      port: base.port,
      method: 'POST',
      path: '/_bulk',
      headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson', 'content-length': CHUNKS * MiB },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });

    for (let i = 0; i < CHUNKS; i++) {
      const chunk = bulkChunk(i);
      hash.update(chunk);
      await write(req, chunk);
      if (i === CHUNKS / 2 - 1) {
        // Half sent and the request not finished: a buffering proxy would have forwarded nothing yet.
        await until(() => t.upstream.bytesReceived - receivedBefore >= 25 * MiB, 'the upstream received a quarter of the body');
      }
    }
    req.end();

    const res = await response;
    const body = JSON.parse((await readAll(res)).toString('utf8')) as { errors: boolean };
    expect(res.statusCode).toBe(200);
    expect(body.errors).toBe(false);
    const recorded = t.upstream.requests.at(-1);
    expect(recorded?.url).toBe('/_bulk');
    expect(recorded?.bodyBytes).toBe(CHUNKS * MiB);
    expect(recorded?.bodySha256).toBe(hash.digest('hex'));
    expect(recorded?.headers['content-length']).toBe(String(CHUNKS * MiB));
  });

  it('streams a chunked request body of unknown length unchanged', async () => {
    const hash = createHash('sha256');
    const req = http.request({
      host: base.hostname,
      port: base.port,
      method: 'POST',
      path: '/logs/_bulk?refresh=false',
      headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson' },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    for (let i = 0; i < 5; i++) {
      const chunk = bulkChunk(i);
      hash.update(chunk);
      await write(req, chunk);
    }
    req.end();
    const res = await response;
    await readAll(res);
    expect(res.statusCode).toBe(200);
    const recorded = t.upstream.requests.at(-1);
    expect(recorded?.url).toBe('/logs/_bulk?refresh=false');
    expect(recorded?.bodyBytes).toBe(5 * MiB);
    expect(recorded?.bodySha256).toBe(hash.digest('hex'));
  });

  it('streams the response: the client reads the first part before the upstream has finished answering', async () => {
    let finish: (() => void) | undefined;
    t.upstream.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.write('{"hits":[');
      finish = () => res.end('{"_id":"1"}]}');
    };
    const res = await fetch(new URL('/logs/_search?scroll=1m', base), { headers: { authorization: t.basic() } });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"hits":[');
    expect(finish).toBeTypeOf('function');
    finish?.();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
    expect(rest).toBe('{"_id":"1"}]}');
  });

  it('passes a gzip-encoded upstream response through byte for byte, without decoding it', async () => {
    const plain = JSON.stringify({ took: 1, hits: { hits: Array.from({ length: 200 }, (_, i) => ({ _id: String(i) })) } });
    const gzipped = gzipSync(plain);
    t.upstream.respond = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': gzipped.length,
        'x-elastic-product': 'Elasticsearch',
      });
      res.end(gzipped);
    };
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      http
        .get({ host: base.hostname, port: base.port, path: '/logs/_search', headers: { authorization: t.basic(), 'accept-encoding': 'gzip' } }, resolve)
        .on('error', reject);
    });
    const body = await readAll(res);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(body.equals(gzipped)).toBe(true);
    expect(t.upstream.requests.at(-1)?.headers['accept-encoding']).toBe('gzip');
  });

  it('passes a gzip-encoded request body through unchanged with its content-encoding', async () => {
    const gzipped = gzipSync('{"index":{}}\n{"a":1}\n');
    const res = await fetch(new URL('/_bulk', base), {
      method: 'POST',
      headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body: gzipped,
    });
    await res.arrayBuffer();
    const recorded = t.upstream.requests.at(-1);
    expect(recorded?.headers['content-encoding']).toBe('gzip');
    expect(recorded?.body.equals(gzipped)).toBe(true);
  });

  it.each([
    [201, { _index: 'logs', _id: '1', result: 'created' }],
    [404, { error: { root_cause: [{ type: 'index_not_found_exception', reason: 'no such index [nope]' }], type: 'index_not_found_exception', reason: 'no such index [nope]' }, status: 404 }],
    [409, { error: { type: 'version_conflict_engine_exception', reason: '[1]: version conflict' }, status: 409 }],
    [503, { error: { type: 'cluster_block_exception', reason: 'blocked' }, status: 503 }],
  ])('passes the upstream status %i, its body and its headers through', async (status, payload) => {
    t.upstream.respond = (_req, res) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=UTF-8',
        'x-elastic-product': 'Elasticsearch',
        warning: '299 Elasticsearch-8.17.0 "deprecated"',
        'x-upstream-only': 'yes',
      });
      res.end(JSON.stringify(payload));
    };
    const res = await fetch(new URL('/logs/_doc/1', base), { method: 'PUT', headers: { authorization: t.basic(), 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(status);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(res.headers.get('warning')).toBe('299 Elasticsearch-8.17.0 "deprecated"');
    expect(res.headers.get('x-upstream-only')).toBe('yes');
    expect(await res.json()).toEqual(payload);
  });

  it('forwards HEAD and answers with the upstream status and headers and no body', async () => {
    const root = await fetch(new URL('/', base), { method: 'HEAD', headers: { authorization: t.basic() } });
    expect(root.status).toBe(200);
    expect(root.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(await root.text()).toBe('');
    expect(t.upstream.requests.at(-1)).toMatchObject({ method: 'HEAD', url: '/' });

    t.upstream.respond = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'content-length': '42' });
      res.end();
    };
    const missing = await fetch(new URL('/nope', base), { method: 'HEAD', headers: { authorization: t.basic() } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-length')).toBe('42');
    expect(t.upstream.requests.at(-1)).toMatchObject({ method: 'HEAD', url: '/nope' });
  });

  it('answers an unauthenticated HEAD with 401 and the challenge, without forwarding it', async () => {
    const before = t.upstream.requests.length;
    const res = await fetch(new URL('/logs', base), { method: 'HEAD' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic realm="security"');
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(t.upstream.requests.length).toBe(before);
  });

  it('reuses one keep-alive connection to the upstream for sequential requests', async () => {
    const before = t.upstream.requests.length;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(new URL('/_cluster/health', base), { headers: { authorization: t.basic() } });
      expect(res.status).toBe(200);
      await res.json();
    }
    const ports = new Set(t.upstream.requests.slice(before).map((r) => r.remotePort));
    expect(ports.size).toBe(1);
  });

  it('survives a client that disconnects halfway through an upload, and the upstream sees the request aborted', async () => {
    const receivedBefore = t.upstream.bytesReceived;
    const req = http.request({
      host: base.hostname,
      port: base.port,
      method: 'POST',
      path: '/_bulk',
      headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson', 'content-length': 20 * MiB },
    });
    req.on('error', () => undefined);
    for (let i = 0; i < 4; i++) await write(req, bulkChunk(i));
    await until(() => t.upstream.bytesReceived - receivedBefore > 0, 'the upstream started receiving');
    const requestsBefore = t.upstream.requests.length;
    req.destroy();
    const me = await fetch(new URL('/_security/_authenticate', base), { headers: { authorization: t.basic() } });
    expect(me.status).toBe(200);
    await me.json();
    // The cut upload never completed upstream: no request was recorded as ended.
    expect(t.upstream.requests.length).toBe(requestsBefore);
    const proxied = await fetch(new URL('/_cluster/health', base), { headers: { authorization: t.basic() } });
    expect(proxied.status).toBe(200);
  });

  it('survives a client that disconnects halfway through a streamed response', async () => {
    let upstreamClosed = false;
    t.upstream.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.write('{"hits":[');
      res.on('close', () => {
        upstreamClosed = true;
      });
    };
    const controller = new AbortController();
    const res = await fetch(new URL('/logs/_search', base), { headers: { authorization: t.basic() }, signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    // esgate gives up the upstream response too instead of holding the connection open.
    await until(() => upstreamClosed, 'the upstream response was closed');
    t.upstream.respond = null;
    const me = await fetch(new URL('/_security/_authenticate', base), { headers: { authorization: t.basic() } });
    expect(me.status).toBe(200);
  });
});
