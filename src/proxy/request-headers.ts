// Strip, then set: the client's credentials and identity headers never reach the upstream;
// only esgate's own upstream credentials and identity header do. Unconditional, not an option.
import type { IncomingHttpHeaders } from 'node:http';
import type { ForwardPlan } from '../authz/forward-plan.js';
import type { ForwardedOutput } from './forwarded.js';

const ALWAYS_STRIPPED: ReadonlySet<string> = new Set([
  // Hop-by-hop (RFC 9110 §7.6.1) and refused by undici: esgate's own server already answered
  // `Expect: 100-continue` (curl sends it for every body over 1 MB), so it must not travel on.
  'expect',
  'keep-alive',
  'upgrade',
  'connection',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  // Headers through which Elasticsearch trusts internal callers (system index access for its own
  // products): only esgate may speak for the cluster's internals, and it never does.
  'x-elastic-product-origin',
  'x-elastic-internal-origin',
  'x-elastic-project-id',
  // The JWT realm's client secret, and a header Elasticsearch copies into its logs and tasks.
  'es-client-authentication',
  'trace.id',
  'authorization',
  'es-secondary-authorization',
  'es-security-runas-user',
  'proxy-authorization',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
]);

export interface UpstreamHeaderPolicy {
  /** Authorization value esgate sends upstream, or null. */
  readonly upstreamAuthorization: string | null;
  /** Lower-case identity header name, or '' when disabled. */
  readonly identityHeader: string;
}

export function upstreamHeaderPolicy(config: {
  auth: { type: 'none' | 'basic' | 'api_key'; username: string; password: string; api_key: string };
  identity_header: string;
}): UpstreamHeaderPolicy {
  const { auth } = config;
  const upstreamAuthorization =
    auth.type === 'basic'
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
      : auth.type === 'api_key'
        ? `ApiKey ${auth.api_key}`
        : null;
  return Object.freeze({ upstreamAuthorization, identityHeader: config.identity_header.toLowerCase() });
}

export function rewriteRequestHeaders(
  headers: IncomingHttpHeaders,
  policy: UpstreamHeaderPolicy,
  username: string | null,
  forwarded: ForwardedOutput,
): IncomingHttpHeaders {
  // Copy only what may pass (deleting from a copy would leave V8 a slow dictionary object).
  const out: IncomingHttpHeaders = {};
  for (const name in headers) {
    if (!ALWAYS_STRIPPED.has(name) && name !== policy.identityHeader) out[name] = headers[name];
  }

  // Only requests esgate authenticated borrow its upstream credentials; an unauthenticated CORS
  // preflight (OPTIONS) goes on without them, as Elasticsearch itself serves it unauthenticated.
  if (policy.upstreamAuthorization !== null && username !== null) out['authorization'] = policy.upstreamAuthorization;
  if (policy.identityHeader !== '' && username !== null) out[policy.identityHeader] = username;
  out['x-forwarded-for'] = forwarded.for;
  out['x-forwarded-proto'] = forwarded.proto;
  if (forwarded.host !== undefined) out['x-forwarded-host'] = forwarded.host;
  if (forwarded.forwarded !== undefined) out['forwarded'] = forwarded.forwarded;
  return out;
}

/** Headers that describe the body; esgate sets them from the plan, never from what the client's Connection header left. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding'] as const;

/**
 * The body headers of what goes upstream. A canonical body is UTF-8 JSON of a known length without
 * Content-Encoding. A streamed body keeps the client's own body headers, taken from the request
 * itself: a client's `Connection: content-encoding` made the proxy drop that header from its copy,
 * which would let the cluster read the bytes as something else.
 */
export function setBodyHeaders(out: IncomingHttpHeaders, plan: ForwardPlan | null, original: IncomingHttpHeaders): IncomingHttpHeaders {
  if (plan !== null && plan.body.kind === 'canonical') {
    delete out['content-encoding'];
    if (plan.body.contentType === '') delete out['content-type'];
    else out['content-type'] = plan.body.contentType;
    out['content-length'] = String(plan.body.bytes.length);
    return out;
  }
  for (const name of BODY_HEADERS) {
    const value = original[name];
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}
