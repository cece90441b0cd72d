// TLS toward an https:// upstream, with Elasticsearch's verification modes: full (CA and host
// name), certificate (CA only, for clusters addressed by a name their certificate lacks), none.
import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../config/schema.js';
import { readTlsMaterial } from '../config/tls-files.js';

/** undici `connect` / https.request TLS options; throws ConfigError naming upstream.ssl.* and the file. */
export function upstreamTlsOptions(upstream: Config['upstream']): ConnectionOptions {
  if (!upstream.url.startsWith('https:')) return {};
  const ssl = upstream.ssl;
  const material = readTlsMaterial('upstream.ssl', ssl);
  return {
    ...material,
    // Always explicit: reply-from's undici defaults set tls.rejectUnauthorized to false.
    rejectUnauthorized: ssl.verification_mode !== 'none',
    ...(ssl.verification_mode === 'certificate' ? { checkServerIdentity: () => undefined } : {}),
  };
}
