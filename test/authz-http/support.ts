// Shared helpers for the authorization-over-HTTP suites: raw requests on a real socket (so no
// client library normalises the path), and checks on what the fake upstream received.
import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { RecordedRequest } from '../support/fake-upstream.js';
import type { TestApp } from '../support/test-app.js';

export interface Sent {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export interface RawRequest {
  readonly method: string;
  /** Sent exactly as written (no normalisation, no encoding). */
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Send the body with Transfer-Encoding: chunked, in two pieces. */
  readonly chunked?: boolean;
}

export function send(base: string, authorization: string | null, req: RawRequest): Promise<Sent> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (authorization !== null) headers['authorization'] = authorization;
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    if (body !== undefined && !req.chunked) headers['content-length'] = String(body.length);
    if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    const r = http.request(
      { host: url.hostname, port: Number(url.port), method: req.method, path: req.path, headers, agent: false, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('request timed out')));
    r.on('error', reject);
    if (body !== undefined && req.chunked) {
      const half = body.length >> 1;
      r.write(body.subarray(0, half));
      r.write(body.subarray(half));
    } else if (body !== undefined) {
      r.write(body);
    }
    r.end();
  });
}

/** Writes a raw HTTP/1.1 request (any request line) and returns the status code of the answer. */
export function sendRawLine(base: string, requestLine: string, authorization: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('connect', () => {
      socket.write(`${requestLine}\r\nHost: ${url.host}\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

/** Everything a recorded request says: decoded url and (decompressed) body. */
export function recordedText(req: RecordedRequest): string {
  let url = req.url;
  try {
    url = decodeURIComponent(req.url);
  } catch {
    // keep raw
  }
  let body = req.body;
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (encoding.includes('gzip') && body.length > 0) {
    try {
      body = gunzipSync(body);
    } catch {
      // keep raw
    }
  }
  return `${req.method} ${url}\n${body.toString('utf8')}`.toLowerCase();
}

/** Asserts no request the upstream ever received mentions the forbidden index. */
export function expectNothingForbiddenArrived(t: TestApp, forbidden = 'secret'): void {
  // A whole word: `.fleet-secrets*` or `.*secret*` (exclusions esgate adds) are not the index `secret`.
  const word = new RegExp(`(^|[^a-z0-9_*])${forbidden}([^a-z0-9_*]|$)`);
  const leaked = t.upstream.requests.map(recordedText).filter((text) => word.test(text));
  expect(leaked).toEqual([]);
}

export const INDEX_DENIED = /^action \[[^\]]+\] is unauthorized for user \[rdeniro\] with effective roles \[logs_reader\] on indices \[[^\]]+\], this action is granted by the index privileges \[[^\]]+\]$/;
