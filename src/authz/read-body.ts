// The request body whose targets the decision depends on: read within http.max_content_length,
// prepared once (request-body.ts), and what will be forwarded in its place (canonical bytes).
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentTooLong, illegalArgument } from '../errors/request.js';
import { bodyFormatOf } from './classify.js';
import type { EndpointMatch } from './endpoints.js';
import { STREAM_BODY, type ForwardBody } from './forward-plan.js';
import type { NormalizedPath } from './path.js';
import { prepareBody, type PreparedBody } from './request-body.js';

export function announcesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** The body stream: the proxy's raw parser hands it over, and a GET body is the request itself. */
function bodyStream(request: FastifyRequest): Readable | undefined {
  const body = request.body;
  if (body !== undefined && body !== null && typeof (body as Readable).on === 'function') return body as Readable;
  if (request.method === 'GET' && (body === undefined || body === null)) return request.raw;
  return undefined;
}

/**
 * Reads the whole body, up to `limit` bytes. Above it: 413, and the rest is never read. The stream
 * is the client's socket: destroying it would reset the connection before the 413 goes out (a
 * for-await loop left early destroys it too), so it is only paused and the answer closes the
 * connection.
 */
function readBounded(stream: Readable, limit: number, reply: FastifyReply): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > limit) {
        cleanup();
        stream.pause();
        reply.header('connection', 'close');
        reject(contentTooLong(limit));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/** The query string forwarded with a body that came from `?source=`: the canonical text replaces it. */
function queryWithCanonicalSource(path: NormalizedPath, prepared: PreparedBody): string {
  const query = new URLSearchParams(path.query);
  query.set('source', prepared.parsed.bytes.toString('utf8'));
  query.set('source_content_type', prepared.contentType);
  return query.toString();
}

export interface ReadBody {
  readonly prepared: PreparedBody | undefined;
  readonly forward: ForwardBody;
  readonly rawQuery: string;
}

/** Reads the body the decision depends on; what it answers is what will be forwarded. */
export async function readTargetBody(request: FastifyRequest, reply: FastifyReply, match: EndpointMatch, path: NormalizedPath, limit: number): Promise<ReadBody> {
  let raw: Buffer | string | undefined;
  if (announcesBody(request)) {
    const stream = bodyStream(request);
    if (stream !== undefined) raw = await readBounded(stream, limit, reply);
    // A content type Fastify parsed as text (text/plain): classified as received, so it is
    // refused (406) like Elasticsearch does rather than forwarded unread.
    else if (typeof request.body === 'string') raw = request.body;
    else throw illegalArgument('request body cannot be read to find its targets');
  }
  const source = { body: raw, contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'], query: path.query, maxBodyBytes: limit };
  const prepared = await prepareBody(source, bodyFormatOf(match));
  if (prepared === undefined) {
    // The stream was consumed (an empty body) or there was none: nothing goes upstream either way.
    return { prepared, forward: raw === undefined ? STREAM_BODY : { kind: 'canonical', bytes: Buffer.alloc(0), contentType: request.headers['content-type'] ?? 'application/json' }, rawQuery: path.rawQuery };
  }
  if (prepared.fromSourceParam) return { prepared, forward: STREAM_BODY, rawQuery: queryWithCanonicalSource(path, prepared) };
  return { prepared, forward: { kind: 'canonical', bytes: prepared.parsed.bytes, contentType: prepared.contentType }, rawQuery: path.rawQuery };
}

