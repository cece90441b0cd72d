// The body classification reads: the request body, or `?source=` (with `source_content_type`),
// which Elasticsearch treats as the body; gzip/deflate bodies decompressed within a bound.
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { ambiguousParameter, unreadableBody } from '../errors/authz-request.js';
import { contentTooLong, illegalArgument, unsupportedContentType } from '../errors/request.js';

const JSON_TYPES = new Set(['', 'application/json', 'application/x-ndjson', 'application/vnd.elasticsearch+json', 'application/vnd.elasticsearch+x-ndjson']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

/** One value of a query parameter; the same parameter given twice with different values is refused. */
export function singleParam(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  const first = values[0] as string;
  if (values.some((v) => v !== first)) throw ambiguousParameter(name);
  return first;
}

function decompress(body: Buffer, encoding: string, limit: number): Buffer {
  const options = { maxOutputLength: limit };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
    try {
      return inflateSync(body, options);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      return inflateRawSync(body, options); // "deflate" sent without the zlib wrapper
    }
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw contentTooLong(limit);
    throw unreadableBody(`failed to decompress the request body (Content-Encoding [${encoding}])`);
  }
}

export interface BodySource {
  readonly body?: Buffer | string | undefined;
  readonly contentType?: string | undefined;
  readonly contentEncoding?: string | undefined;
  readonly query: URLSearchParams;
  readonly maxBodyBytes?: number | undefined;
}

/**
 * The body text whose targets must be read, or undefined when there is none. Only JSON and NDJSON
 * can be classified: other content types (SMILE, CBOR, YAML) are refused where targets live in the body.
 */
export function bodyText(source: BodySource): string | undefined {
  const limit = source.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { body } = source;
  const sourceParam = singleParam(source.query, 'source');
  const hasBody = body !== undefined && body.length > 0;
  if (hasBody && sourceParam !== undefined) throw illegalArgument('request has both a body and a [source] parameter');
  if (!hasBody && sourceParam === undefined) return undefined;
  let contentType = source.contentType ?? '';
  if (!hasBody) {
    const type = singleParam(source.query, 'source_content_type');
    if (type === undefined) throw illegalArgument('source and source_content_type parameters are required');
    contentType = type;
  }
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (!JSON_TYPES.has(mediaType)) throw unsupportedContentType(contentType);
  if (!hasBody) return sourceParam;
  const encoding = (source.contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') {
    // A string body is already text: no byte round trip on the hot path.
    if (typeof body === 'string') {
      if (body.length > limit / 3 && Buffer.byteLength(body) > limit) throw contentTooLong(limit);
      return body;
    }
    if ((body as Buffer).length > limit) throw contentTooLong(limit);
    return decodeUtf8(body as Buffer);
  }
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') throw unreadableBody(`Content-Encoding [${encoding}] is not supported`);
  return decodeUtf8(decompress(typeof body === 'string' ? Buffer.from(body, 'utf8') : (body as Buffer), encoding, limit));
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw unreadableBody('request body is not valid UTF-8');
  }
}
