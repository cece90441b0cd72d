// logging.format text, and what the request line carries: client address (through trusted
// proxies), user, realm, credential kind, upstream status; health probes at debug.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { textLine, textLogStream } from '../../src/http/log-text.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('request line', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('carries the client address, user, realm, scheme and upstream status', async () => {
    t = await buildTestApp();
    const from = t.logs.lines.length;
    const res = await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic() }, remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(200);
    const line = t.logs.lines.slice(from).find((entry) => entry['msg'] === 'request');
    expect(line).toMatchObject({ client: '10.1.2.3', user: 'elastic', realm: 'reserved', scheme: 'basic', status: 200, upstream_status: 200 });
  });

  it('takes the client address from X-Forwarded-For only through a trusted proxy', async () => {
    t = await buildTestApp({ settings: { http: { trusted_proxies: ['10.0.0.0/8'] } } });
    const from = t.logs.lines.length;
    const headers = { authorization: t.basic(), 'x-forwarded-for': '192.0.2.7, 10.9.9.9' };
    await t.app.inject({ url: '/_cluster/health', headers, remoteAddress: '10.1.2.3' });
    await t.app.inject({ url: '/_cluster/health', headers, remoteAddress: '198.51.100.1' });
    const lines = t.logs.lines.slice(from).filter((entry) => entry['msg'] === 'request');
    expect(lines.map((entry) => entry['client'])).toEqual(['192.0.2.7', '198.51.100.1']);
  });

  it('writes health probes at debug only', async () => {
    t = await buildTestApp();
    const from = t.logs.lines.length;
    await t.app.inject({ url: '/_esgate/health' });
    expect(t.logs.lines.slice(from).filter((entry) => entry['msg'] === 'request')).toHaveLength(0);
    await t.close();
    t = await buildTestApp({ settings: { logging: { level: 'debug' } } });
    const start = t.logs.lines.length;
    await t.app.inject({ url: '/_esgate/health' });
    expect(t.logs.lines.slice(start).filter((entry) => entry['msg'] === 'request')).toMatchObject([{ level: 20, path: '/_esgate/health' }]);
  });
});

describe('logging.format text', () => {
  it('turns a JSON line into one readable line with an ISO time', () => {
    const json = JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 31, 10, 0, 0), pid: 1, hostname: 'h', reqId: 'req-1', method: 'GET', path: '/a b', status: 200, user: null, msg: 'request' });
    expect(textLine(json)).toBe('2026-01-31T10:00:00.000Z INFO  request method=GET path="/a b" status=200 user=null');
  });

  it('keeps the stack of an unexpected error under its line', () => {
    const json = JSON.stringify({ level: 50, time: 0, msg: 'request failed', err: { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x (y.js:1:1)' } });
    expect(textLine(json)).toBe('1970-01-01T00:00:00.000Z ERROR request failed err="TypeError: boom"\n    at x (y.js:1:1)');
  });

  it('writes one text line per JSON line, also when a line arrives in two writes', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    });
    const stream = textLogStream(out);
    // A JSON line split across two writes is still one text line.
    stream.write('{"level":40,"time":0,"msg":"half');
    stream.write('way"}\n{"level":30,"time":0,"msg":"next"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks.join('')).toBe('1970-01-01T00:00:00.000Z WARN  halfway\n1970-01-01T00:00:00.000Z INFO  next\n');
  });
});
