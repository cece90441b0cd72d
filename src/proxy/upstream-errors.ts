// reply-from's failures → Elasticsearch-shaped 502/504. Its own defaults would answer a refused
// or reset connection with a generic 500.
import type { EsError } from '../errors/es-error.js';
import { badGateway, gatewayTimeout } from '../errors/request.js';

const TIMEOUT_CODES = new Set([
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
  'FST_REPLY_FROM_HTTP_REQUEST_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function codeOf(error: unknown): string {
  const outer = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const inner = outer?.cause?.code;
  return typeof inner === 'string' ? inner : typeof outer?.code === 'string' ? outer.code : 'UNKNOWN';
}

/** The upstream URL as clients and logs may see it: never the userinfo (user:password@) part. */
export function publicUpstreamUrl(upstreamUrl: string): string {
  try {
    const url = new URL(upstreamUrl);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '[upstream]';
  }
}

/** `upstreamUrl` must already be the public form (publicUpstreamUrl), computed once at start-up. */
export function upstreamError(error: unknown, upstreamUrl: string): EsError {
  const outerCode = (error as { code?: unknown } | null)?.code;
  const code = codeOf(error);
  if (TIMEOUT_CODES.has(code) || (typeof outerCode === 'string' && TIMEOUT_CODES.has(outerCode))) {
    return gatewayTimeout(`the upstream cluster [${upstreamUrl}] did not answer in time [${code}]`, error);
  }
  return badGateway(`the upstream cluster [${upstreamUrl}] could not be reached [${code}]`, error);
}

/** The upstream answered 401 to esgate's own credentials (upstream.auth is wrong or missing). */
export function upstreamRejectedCredentials(shownUrl: string): EsError {
  return badGateway(`the upstream cluster [${shownUrl}] rejected esgate's credentials [401]; check upstream.auth`);
}
