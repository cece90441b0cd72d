// Authorization header → Credentials, parsed once, no I/O. Scheme prefixes are matched
// case-insensitively and need at least one character after the space, as in Elasticsearch.

export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'basic-invalid'; readonly problem: 'value' }
  | { readonly kind: 'basic-invalid'; readonly problem: 'encoding'; readonly detail: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'apikey'; readonly value: string }
  /** A scheme no authenticator understands (Digest, Token, "ApiKey " with nothing after it…). */
  | { readonly kind: 'unknown' };

const NONE: Credentials = Object.freeze({ kind: 'none' });
const UNKNOWN: Credentials = Object.freeze({ kind: 'unknown' });
const BASIC_INVALID_VALUE: Credentials = Object.freeze({ kind: 'basic-invalid', problem: 'value' });

function hasPrefix(value: string, prefix: string): boolean {
  return value.length >= prefix.length && value.slice(0, prefix.length).toLowerCase() === prefix;
}

/**
 * Strict standard base64, like java.util.Base64.getDecoder(): the same error texts, so the
 * 401's caused_by reads as Elasticsearch's does.
 */
export function decodeBase64Strict(text: string): Buffer | string {
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isAlphabet =
      (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47;
    if (code === 61) {
      padding++;
      continue;
    }
    if (!isAlphabet || padding > 0) {
      if (isAlphabet) return 'Input byte array has incorrect ending byte at ' + i;
      return `Illegal base64 character ${code.toString(16)}`;
    }
  }
  const dataLength = text.length - padding;
  if (padding > 2 || (padding > 0 && text.length % 4 !== 0)) return 'Input byte array has wrong 4-byte ending unit';
  if (dataLength % 4 === 1) return 'Last unit does not have enough valid bits';
  return Buffer.from(text, 'base64');
}

export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header === '') return NONE;
  if (hasPrefix(header, 'basic ')) {
    const decoded = decodeBase64Strict(header.slice(6).trim());
    if (typeof decoded === 'string') return { kind: 'basic-invalid', problem: 'encoding', detail: decoded };
    const text = decoded.toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return BASIC_INVALID_VALUE;
    return { kind: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  if (hasPrefix(header, 'bearer ') && header.length > 7) return { kind: 'bearer', token: header.slice(7).trim() };
  if (hasPrefix(header, 'apikey ') && header.length > 7) return { kind: 'apikey', value: header.slice(7).trim() };
  return UNKNOWN;
}
