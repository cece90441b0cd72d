// Path normalisation before classification: what esgate authorizes must be exactly what the
// upstream executes, so the path is decoded once, strictly, and re-encoded canonically; anything
// an intermediary (nginx, a load balancer) or Elasticsearch could read another way is a 400.
import { ambiguousPath } from '../errors/authz-request.js';

export interface NormalizedPath {
  /** Canonical path esgate forwards: `/` + canonically encoded segments, no empty or trailing segment. */
  readonly path: string;
  /** Decoded segments, what classification reads. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** The raw query string (validated, without `?`), forwarded as received. */
  readonly rawQuery: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const HEX = /^[0-9A-Fa-f]{2}$/;
// RFC 3986 pchar minus the characters Elasticsearch or a proxy could treat specially.
const SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Strict percent-decoding: every `%` must start a valid escape and the bytes must be UTF-8. */
function decodeStrict(raw: string, whole: string): string {
  if (raw.indexOf('%') < 0) return raw;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!HEX.test(hex)) throw ambiguousPath(whole, 'invalid percent-encoding');
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of encoder.encode(ch)) bytes.push(byte);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw ambiguousPath(whole, 'percent-encoding is not UTF-8');
  }
}

/** A decoded `/` is only legitimate inside date math (`<logs-{now/d}>`), where Elasticsearch needs it encoded. */
function slashOnlyInDateMath(segment: string): boolean {
  let depth = 0;
  for (const ch of segment) {
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === '/' && depth === 0) return false;
  }
  return true;
}

/** Canonical encoding of one decoded segment. */
const ALL_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;

export function encodeSegment(segment: string): string {
  if (ALL_SAFE.test(segment)) return segment;
  let out = '';
  for (const ch of segment) {
    if (SAFE.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function validateQuery(rawQuery: string, whole: string): void {
  // Elasticsearch also splits parameters on ';' (RestUtils.decodeQueryString): a ';' would make it
  // read parameters esgate did not see. An encoded %3B is an ordinary character.
  if (rawQuery.includes(';')) throw ambiguousPath(whole, 'the query string contains [;], which Elasticsearch reads as a parameter separator; encode it as %3B');
  for (let i = rawQuery.indexOf('%'); i >= 0; i = rawQuery.indexOf('%', i + 1)) {
    if (!HEX.test(rawQuery.slice(i + 1, i + 3))) throw ambiguousPath(whole, 'invalid percent-encoding in the query string');
  }
  for (const part of rawQuery.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw ambiguousPath(whole, 'query string percent-encoding is not UTF-8');
    }
  }
}

/**
 * Normalises a raw request target (`/idx//_search/?q=x`): duplicate and trailing slashes collapse,
 * escapes of ordinary characters are decoded (`%5Fsearch` is `_search`). Refused with 400:
 * `%2F` outside date math, `.`/`..` segments (raw or encoded), bad escapes, control characters, `#`.
 */
export function normalizePath(rawPathWithQuery: string): NormalizedPath {
  const queryAt = rawPathWithQuery.indexOf('?');
  const rawPath = queryAt < 0 ? rawPathWithQuery : rawPathWithQuery.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : rawPathWithQuery.slice(queryAt + 1);
  if (!rawPath.startsWith('/')) throw ambiguousPath(rawPath, 'the path must start with [/]');
  // Netty ends the path at '#', a proxy may not: refuse rather than guess.
  if (rawPathWithQuery.includes('#')) throw ambiguousPath(rawPath, 'fragment [#] in the request target');
  if (hasControl(rawPathWithQuery)) throw ambiguousPath(rawPath, 'control character in the request target');
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue;
    const segment = decodeStrict(raw, rawPath);
    if (segment === '.' || segment === '..') throw ambiguousPath(rawPath, 'dot segment');
    if (hasControl(segment)) throw ambiguousPath(rawPath, 'control character in a segment');
    if (segment.includes('/') && !slashOnlyInDateMath(segment)) throw ambiguousPath(rawPath, 'encoded slash [%2F] inside a segment');
    segments.push(segment);
  }
  validateQuery(rawQuery, rawPath);
  return {
    path: '/' + segments.map(encodeSegment).join('/'),
    segments,
    query: new URLSearchParams(rawQuery),
    rawQuery,
  };
}
