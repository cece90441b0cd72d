// The body classification reads, prepared once: the request body or `?source=` (with
// `source_content_type`), which Elasticsearch treats as the body; gzip/deflate decompressed within
// a bound; decoded as UTF-8; parsed by the one strict reader into values and their canonical text.
// What goes upstream is that canonical text (UTF-8, no Content-Encoding), never the client's bytes.
import { promisify } from 'node:util';
import { gunzip, gunzipSync, inflate, inflateRaw, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { ambiguousParameter, unreadableBody } from '../errors/authz-request.js';
import { contentTooLong, illegalArgument, unsupportedContentType } from '../errors/request.js';
import { mayHaveLookups } from './search-lookups.js';
import { JSON_SLICE_CHARS, parseCanonicalJson, parseCanonicalJsonAsync, type CanonicalJson, type JsonValue } from './strict-json.js';

const JSON_TYPES = new Set(['', 'application/json', 'application/x-ndjson', 'application/vnd.elasticsearch+json', 'application/vnd.elasticsearch+x-ndjson']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

/** How a body is read: one JSON document, or newline-delimited JSON (`_bulk`, `_msearch`). */
export type BodyFormat = 'json' | 'ndjson';

interface Canonical {
  /** What goes upstream: the canonical text of what was parsed, UTF-8. */
  readonly bytes: Buffer;
  /** Whether the canonical text names a construct that reads another index (search-lookups.ts). */
  readonly mayHaveLookups: boolean;
}

export interface JsonBody extends Canonical {
  readonly format: 'json';
  /** undefined: an empty (or whitespace-only) body. */
  readonly value: JsonValue | undefined;
}

export interface NdjsonBody extends Canonical {
  readonly format: 'ndjson';
  /** One entry per line (the text after the last newline excluded); undefined for an empty line. */
  readonly lines: readonly (JsonValue | undefined)[];
}

export type ParsedBody = JsonBody | NdjsonBody;

/** What goes upstream in place of the client's body. */
export interface PreparedBody {
  readonly parsed: ParsedBody;
  /** The media type the body was read as (the client's Content-Type, or `source_content_type`). */
  readonly contentType: string;
  /** Whether it came from `?source=` (the forwarded request then carries it as its body). */
  readonly fromSourceParam: boolean;
}

/** One value of a query parameter; the same parameter given twice with different values is refused. */
export function singleParam(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  const first = values[0] as string;
  if (values.some((v) => v !== first)) throw ambiguousParameter(name);
  return first;
}

export interface BodySource {
  readonly body?: Buffer | string | undefined;
  readonly contentType?: string | undefined;
  readonly contentEncoding?: string | undefined;
  readonly query: URLSearchParams;
  readonly maxBodyBytes?: number | undefined;
}

type Decompress = (body: Buffer, options: ZlibOptions) => Promise<Buffer>;
const gunzipAsync: Decompress = promisify(gunzip);
const inflateAsync: Decompress = promisify(inflate);
const inflateRawAsync: Decompress = promisify(inflateRaw);

function encodingOf(source: BodySource): 'identity' | 'gzip' | 'deflate' {
  const encoding = (source.contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  if (encoding === 'deflate') return 'deflate';
  // Several codings (`gzip, deflate`), br, zstd…: not read, so not forwarded either.
  throw unreadableBody(`Content-Encoding [${encoding}] is not supported`);
}

function decompressError(error: unknown, limit: number, encoding: string): never {
  if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw contentTooLong(limit);
  throw unreadableBody(`failed to decompress the request body (Content-Encoding [${encoding}])`);
}

/** Off the event loop (zlib's thread pool): a decompression bomb costs the client, not the loop. */
async function decompress(body: Buffer, encoding: 'gzip' | 'deflate', limit: number): Promise<Buffer> {
  const options = { maxOutputLength: limit };
  try {
    if (encoding === 'gzip') return await gunzipAsync(body, options);
    try {
      return await inflateAsync(body, options);
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      // "deflate" sent without the zlib wrapper. Whichever reading esgate takes is what the
      // cluster receives: the decompressed bytes are forwarded, never the compressed ones.
      return await inflateRawAsync(body, options);
    }
  } catch (error) {
    return decompressError(error, limit, encoding);
  }
}

function decompressSync(body: Buffer, encoding: 'gzip' | 'deflate', limit: number): Buffer {
  const options = { maxOutputLength: limit };
  try {
    if (encoding === 'gzip') return gunzipSync(body, options);
    try {
      return inflateSync(body, options);
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      return inflateRawSync(body, options);
    }
  } catch (error) {
    return decompressError(error, limit, encoding);
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Bytes decoded between two yields to the event loop. */
const DECODE_SLICE_BYTES = 4 * 1024 * 1024;

function decodeUtf8(bytes: Buffer): string {
  let text: string;
  try {
    // A UTF-8 BOM is dropped here (TextDecoder's default); the canonical body never has one.
    text = utf8.decode(bytes);
  } catch {
    throw unreadableBody('request body is not valid UTF-8');
  }
  return refuseNul(text);
}

/** decodeUtf8 in slices for large bodies, so other requests run in between. */
async function decodeUtf8Async(bytes: Buffer): Promise<string> {
  if (bytes.length <= DECODE_SLICE_BYTES) return decodeUtf8(bytes);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  try {
    for (let at = 0; at < bytes.length; at += DECODE_SLICE_BYTES) {
      parts.push(decoder.decode(bytes.subarray(at, at + DECODE_SLICE_BYTES), { stream: true }));
      await nextTurn();
    }
    parts.push(decoder.decode());
  } catch {
    throw unreadableBody('request body is not valid UTF-8');
  }
  return refuseNul(parts.join(''));
}

function refuseNul(text: string): string {
  // UTF-16/32 JSON decodes as "UTF-8" full of NULs, and Jackson would detect and read it: no JSON
  // text in UTF-8 holds a raw NUL, so such a body is refused, never guessed.
  if (text.includes('\u0000')) throw unreadableBody('request body is not UTF-8 JSON (it contains NUL characters)');
  return text;
}

interface Located {
  readonly raw: Buffer | string;
  readonly contentType: string;
  readonly fromSourceParam: boolean;
}

/** Where the body is (the body, or `?source=`), and its media type; undefined when there is none. */
function locate(source: BodySource): Located | undefined {
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
  const [media = '', ...params] = contentType.split(';');
  if (!JSON_TYPES.has(media.trim().toLowerCase())) throw unsupportedContentType(contentType);
  // The canonical body is UTF-8: a Content-Type naming another charset would describe it wrongly.
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset' && !/^"?utf-8"?$/i.test(value.trim())) throw unsupportedContentType(contentType);
  }
  return { raw: hasBody ? body : (sourceParam as string), contentType, fromSourceParam: !hasBody };
}

function checkSize(raw: Buffer | string, limit: number): void {
  const size = typeof raw === 'string' ? (raw.length > limit / 3 ? Buffer.byteLength(raw) : 0) : raw.length;
  if (size > limit) throw contentTooLong(limit);
}

type LineParser = (line: string) => CanonicalJson | Promise<CanonicalJson>;

/**
 * NDJSON as Elasticsearch splits it: on `\n` only, and the body must end with one. With `yieldEvery`
 * characters, other requests run between slices of a large body (a large line is itself sliced).
 */
async function parseNdjson(text: string, api: string, parseLine: LineParser, yieldEvery: number): Promise<NdjsonBody> {
  const lines: (JsonValue | undefined)[] = [];
  const out = new CanonicalLines();
  let start = 0;
  let sinceYield = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') {
      lines.push(undefined);
      out.add('');
      continue;
    }
    const { value, canonical } = await parseLine(line);
    lines.push(value);
    out.add(canonical);
    sinceYield += line.length;
    if (sinceYield >= yieldEvery) {
      sinceYield = 0;
      out.flush();
      await nextTurn();
    }
  }
  if (text.slice(start).trim() !== '') throw illegalArgument(`The ${api} request must be terminated by a newline [\\n]`);
  return { format: 'ndjson', lines, ...out.finish() };
}

/** Canonical NDJSON lines, turned into bytes a slice at a time (never one huge string). */
class CanonicalLines {
  private pending: string[] = [];
  private readonly chunks: Buffer[] = [];
  private lookups = false;

  add(canonical: string): void {
    this.pending.push(canonical);
    if (!this.lookups && canonical !== '' && mayHaveLookups(canonical)) this.lookups = true;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.pending.push('');
    this.chunks.push(Buffer.from(this.pending.join('\n'), 'utf8'));
    this.pending = [];
  }

  finish(): Canonical {
    this.flush();
    return { bytes: this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks), mayHaveLookups: this.lookups };
  }
}

/** Synchronous NDJSON reading (tests, classification of small bodies). */
function parseNdjsonSync(text: string, api: string): NdjsonBody {
  const lines: (JsonValue | undefined)[] = [];
  const out = new CanonicalLines();
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end);
    start = end + 1;
    const parsed = line.trim() === '' ? undefined : parseCanonicalJson(line);
    lines.push(parsed?.value);
    out.add(parsed?.canonical ?? '');
  }
  if (text.slice(start).trim() !== '') throw illegalArgument(`The ${api} request must be terminated by a newline [\\n]`);
  return { format: 'ndjson', lines, ...out.finish() };
}

function emptyOr(text: string): JsonBody | undefined {
  return text.trim() === '' ? { format: 'json', value: undefined, bytes: Buffer.alloc(0), mayHaveLookups: false } : undefined;
}

function jsonBody({ value, canonical }: CanonicalJson): JsonBody {
  return { format: 'json', value, bytes: Buffer.from(canonical, 'utf8'), mayHaveLookups: mayHaveLookups(canonical) };
}

export function parseBodyText(text: string, format: BodyFormat, api = 'bulk'): ParsedBody {
  if (format === 'ndjson') return parseNdjsonSync(text, api);
  const empty = emptyOr(text);
  if (empty !== undefined) return empty;
  return jsonBody(parseCanonicalJson(text));
}

/** parseBodyText that lets other requests run while a large body is read. */
export async function parseBodyTextAsync(text: string, format: BodyFormat, api = 'bulk'): Promise<ParsedBody> {
  if (text.length <= JSON_SLICE_CHARS) return parseBodyText(text, format, api);
  const parseLine: LineParser = (line) => (line.length > JSON_SLICE_CHARS ? parseCanonicalJsonAsync(line) : parseCanonicalJson(line));
  if (format === 'ndjson') return parseNdjson(text, api, parseLine, JSON_SLICE_CHARS);
  const empty = emptyOr(text);
  if (empty !== undefined) return empty;
  return jsonBody(await parseCanonicalJsonAsync(text));
}

function textOf(located: Located, bytes: Buffer | undefined): string {
  if (typeof located.raw === 'string' && bytes === undefined) return refuseNul(located.raw);
  return decodeUtf8(bytes ?? (located.raw as Buffer));
}

/** Reads the body synchronously (tests and small bodies); see prepareBody. */
export function prepareBodySync(source: BodySource, format: BodyFormat, api?: string): PreparedBody | undefined {
  const limit = source.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const located = locate(source);
  if (located === undefined) return undefined;
  checkSize(located.raw, limit);
  const encoding = located.fromSourceParam ? 'identity' : encodingOf(source);
  const bytes = encoding === 'identity' ? undefined : decompressSync(Buffer.from(located.raw), encoding, limit);
  const parsed = parseBodyText(textOf(located, bytes), format, api);
  return { parsed, contentType: located.contentType, fromSourceParam: located.fromSourceParam };
}

/** Reads, decompresses (off the event loop), decodes and parses the body; undefined when there is none. */
export async function prepareBody(source: BodySource, format: BodyFormat, api?: string): Promise<PreparedBody | undefined> {
  const limit = source.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const located = locate(source);
  if (located === undefined) return undefined;
  checkSize(located.raw, limit);
  const encoding = located.fromSourceParam ? 'identity' : encodingOf(source);
  const bytes = encoding === 'identity' ? undefined : await decompress(Buffer.from(located.raw), encoding, limit);
  const text = typeof located.raw === 'string' && bytes === undefined ? refuseNul(located.raw) : await decodeUtf8Async(bytes ?? (located.raw as Buffer));
  const parsed = await parseBodyTextAsync(text, format, api);
  return { parsed, contentType: located.contentType, fromSourceParam: located.fromSourceParam };
}
