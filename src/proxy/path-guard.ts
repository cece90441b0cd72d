// Paths that must not reach the upstream although esgate's router did not see /_security in them:
// encoded slashes, dot segments or doubled slashes that a normalising hop between esgate and the
// cluster (nginx, a load balancer) could turn into /_security/..., a namespace esgate owns and that
// would then run with the upstream credentials. Pure; the usual path costs two indexOf calls.

const SECURITY = '_security';

/** True when the raw request path (no query) would resolve to /_security once decoded and normalised. */
export function isUnforwardablePath(rawPath: string): boolean {
  if (rawPath.indexOf('%') < 0 && rawPath.indexOf('/.') < 0 && rawPath.indexOf('//') < 0) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  // RFC 3986 §5.2.4 dot-segment removal, with empty segments merged as nginx's merge_slashes does.
  const resolved: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') resolved.pop();
    else resolved.push(segment);
  }
  return resolved[0] === SECURITY;
}
