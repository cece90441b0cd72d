// Found while testing issue 2: a request with `Expect: 100-continue` (curl adds it to every body
// over 1 MB, so `curl --data-binary @big.ndjson .../_bulk`) was answered 502, because the header was
// forwarded and undici refuses it (UND_ERR_NOT_SUPPORTED). A client Upgrade header failed the same way;
// Keep-Alive, which undici also refuses, is covered too.
import http, { type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const BODY = '{"index":{"_index":"logs"}}\n{"a":1}\n';

describe('regression: hop-by-hop request headers that undici refuses', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp();
    port = Number(new URL(await t.listen()).port);
  });
  afterAll(() => t.close());

  function post(headers: Record<string, string>, waitForContinue: boolean): Promise<{ res: IncomingMessage; body: string; continued: boolean }> {
    return new Promise((resolve, reject) => {
      let continued = false;
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/_bulk', headers: { authorization: t.basic(), 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(BODY), ...headers } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ res, body, continued }));
        },
      );
      req.on('error', reject);
      if (waitForContinue) {
        req.on('continue', () => {
          continued = true;
          req.end(BODY);
        });
      } else {
        req.end(BODY);
      }
    });
  }

  it('answers 100 Continue itself and forwards the body without the Expect header', async () => {
    const { res, continued } = await post({ expect: '100-continue' }, true);
    expect(continued).toBe(true);
    expect(res.statusCode).toBe(200);
    const recorded = t.upstream.requests.at(-1);
    expect(recorded?.bodyBytes).toBe(Buffer.byteLength(BODY));
    expect(recorded?.headers).not.toHaveProperty('expect');
  });

  it.each([
    ['Keep-Alive', { 'keep-alive': 'timeout=5' }],
    ['Upgrade', { upgrade: 'h2c' }],
  ])('forwards a request carrying a client %s header instead of answering 502', async (_label, headers) => {
    const { res } = await post(headers, false);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(t.upstream.requests.at(-1)?.headers ?? {})).not.toContain(Object.keys(headers)[0]);
  });
});
