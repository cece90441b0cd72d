// The one schema of esgate's settings: every setting, its default and its meaning.
// config/esgate.yml and the README's reference follow it; a test checks the file equals these defaults.
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { parseByteSize, parseTimeValue } from './units.js';

const HOUR = 3_600_000;

/** An Elasticsearch time value ("20m"), turned into milliseconds and bounded. */
function timeValue(defaultValue: string, minMs: number, maxMs: number) {
  return z
    .union([z.string(), z.number()])
    .default(defaultValue)
    .transform((raw, ctx) => {
      const ms = typeof raw === 'number' ? raw : parseTimeValue(raw);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `[${raw}] is not a time value (e.g. 30s, 20m, 1h)` });
        return z.NEVER;
      }
      if (ms < minMs || ms > maxMs) {
        ctx.addIssue({ code: 'custom', message: `[${raw}] must be between ${minMs}ms and ${maxMs}ms` });
        return z.NEVER;
      }
      return ms;
    });
}

function byteSize(defaultValue: string) {
  return z
    .union([z.string(), z.number().int().positive()])
    .default(defaultValue)
    .transform((raw, ctx) => {
      const bytes = typeof raw === 'number' ? raw : parseByteSize(raw);
      if (bytes === null || bytes <= 0) {
        ctx.addIssue({ code: 'custom', message: `[${raw}] is not a byte size (e.g. 100mb)` });
        return z.NEVER;
      }
      return bytes;
    });
}

const httpUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      // Credentials belong in upstream.auth: undici ignores user:pass@ and it would leak into messages.
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, query or fragment, e.g. http://127.0.0.1:9201 (credentials go in upstream.auth)');

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]*$/, 'must be an HTTP header name (letters, digits, dashes) or empty to disable')
  .refine(
    (name) =>
      !/^(authorization|proxy-authorization|es-secondary-authorization|es-security-runas-user|host|connection|content-length|transfer-encoding|expect|upgrade|keep-alive|forwarded|x-forwarded-for|x-forwarded-proto|x-forwarded-host)$/i.test(name),
    'must not be a header esgate or HTTP already uses',
  );

/** An address or CIDR range proxy-addr understands (it throws on anything else when the app starts). */
const proxyAddress = z
  .string()
  .min(1)
  .refine((value) => {
    try {
      proxyAddr.compile([value]);
      return true;
    } catch {
      return false;
    }
  }, 'must be an IP address or CIDR range (e.g. 10.0.0.0/8)');

// ---- TLS (Elasticsearch's xpack.security.http.ssl.* and xpack.security.transport-like client names) ----
const TLS_PROTOCOLS = ['TLSv1.3', 'TLSv1.2'] as const;

const sslFiles = {
  certificate: z.string().default('').describe('PEM certificate (chain) file.'),
  key: z.string().default('').describe('PEM private key file of the certificate.'),
  key_passphrase: z.string().default('').describe('Passphrase of an encrypted key (prefer the ESGATE_* variable).'),
  certificate_authorities: z.array(z.string().min(1)).default([]).describe('PEM files of the CAs to trust.'),
};

const httpSsl = z
  .object({
    enabled: z.boolean().default(false).describe('Serve HTTPS instead of HTTP (Elasticsearch xpack.security.http.ssl.enabled).'),
    ...sslFiles,
    client_authentication: z
      .enum(['none', 'optional', 'required'])
      .default('none')
      .describe('Client certificates: none, optional (verified when sent) or required; checked against certificate_authorities.'),
    supported_protocols: z
      .array(z.enum(TLS_PROTOCOLS))
      .min(1)
      .default([...TLS_PROTOCOLS])
      .describe('TLS versions accepted (TLSv1.3, TLSv1.2).'),
  })
  .strict()
  .prefault({})
  .superRefine((ssl, ctx) => {
    if (!ssl.enabled) return;
    if (ssl.certificate === '') ctx.addIssue({ code: 'custom', path: ['certificate'], message: 'is required when http.ssl.enabled is true' });
    if (ssl.key === '') ctx.addIssue({ code: 'custom', path: ['key'], message: 'is required when http.ssl.enabled is true' });
    if (ssl.client_authentication !== 'none' && ssl.certificate_authorities.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['certificate_authorities'], message: `is required when http.ssl.client_authentication is ${ssl.client_authentication}` });
    }
  });

const upstreamSsl = z
  .object({
    ...sslFiles,
    certificate: sslFiles.certificate.describe('PEM client certificate for mutual TLS to the cluster.'),
    key: sslFiles.key.describe('PEM key of upstream.ssl.certificate.'),
    verification_mode: z
      .enum(['full', 'certificate', 'none'])
      .default('full')
      .describe("How the cluster's certificate is checked: full (CA and host name), certificate (CA only) or none (warned at start)."),
  })
  .strict()
  .prefault({})
  .superRefine((ssl, ctx) => {
    if ((ssl.certificate === '') !== (ssl.key === '')) {
      ctx.addIssue({ code: 'custom', path: [ssl.certificate === '' ? 'certificate' : 'key'], message: 'upstream.ssl.certificate and upstream.ssl.key go together' });
    }
  });

const http = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 (or ::) for all interfaces.'),
    port: z.number().int().min(0).max(65535).default(9200).describe('Port to listen on (9200, like Elasticsearch).'),
    trusted_proxies: z
      .array(proxyAddress)
      .default([])
      .describe('Addresses or CIDR ranges of proxies in front of esgate whose X-Forwarded-*/Forwarded headers are trusted.'),
    max_content_length: byteSize('100mb').describe('Largest request body esgate reads itself (security APIs); larger bodies get 413.'),
    ssl: httpSsl,
  })
  .strict()
  .prefault({});

const upstreamAuth = z
  .object({
    type: z.enum(['none', 'basic', 'api_key']).default('none').describe('How esgate authenticates to the upstream.'),
    username: z.string().default('').describe('Upstream user for type basic.'),
    password: z.string().default('').describe('Upstream password for type basic.'),
    api_key: z.string().default('').describe('Upstream encoded API key (base64 of id:key) for type api_key.'),
  })
  .strict()
  .prefault({})
  .superRefine((auth, ctx) => {
    if (auth.type === 'basic' && auth.username === '') {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required when upstream.auth.type is basic' });
    }
    if (auth.type === 'api_key' && auth.api_key === '') {
      ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'is required when upstream.auth.type is api_key' });
    }
  });

const upstream = z
  .object({
    url: httpUrl.default('http://127.0.0.1:9201').describe('The Elasticsearch/OpenSearch cluster esgate forwards to.'),
    auth: upstreamAuth,
    timeout: timeValue('60s', 100, 24 * HOUR).describe('How long to wait for the upstream response headers before answering 504.'),
    connect_timeout: timeValue('10s', 100, HOUR).describe('How long to wait for a TCP connection to the upstream before answering 504.'),
    connections: z.number().int().min(1).max(10_000).default(128).describe('Keep-alive connections kept to the upstream.'),
    identity_header: headerName
      .default('')
      .describe('Header carrying the authenticated username to the upstream (e.g. X-Forwarded-User); empty: none. Client copies are always removed.'),
    ssl: upstreamSsl,
  })
  .strict()
  .prefault({});

const anonymous = z
  .object({
    username: z.string().min(1).default('_anonymous').describe('Username of the anonymous user.'),
    roles: z.array(z.string().min(1)).default([]).describe('Roles of anonymous requests; none (the default) disables anonymous access.'),
    authz_exception: z.boolean().default(true).describe('Denied anonymous requests get 403 (true) or 401 with challenges (false).'),
  })
  .strict()
  .prefault({});

const authc = z
  .object({
    token: z
      .object({
        enabled: z.boolean().default(true).describe('Serve /_security/oauth2/token and accept Bearer tokens.'),
        timeout: timeValue('20m', 1000, HOUR).describe('Access token lifetime (Elasticsearch: default 20m, at most 1h).'),
        delete_interval: timeValue('30m', 1000, 24 * HOUR).describe('How often tokens older than 24 hours are deleted from the store.'),
      })
      .strict()
      .prefault({}),
    api_key: z
      .object({
        enabled: z.boolean().default(true).describe('Serve /_security/api_key and accept ApiKey credentials.'),
        delete_retention_period: timeValue('7d', 0, 365 * 24 * HOUR).describe('How long expired and invalidated API keys stay readable before they are deleted (Elasticsearch api_key.delete.retention_period).'),
        delete_interval: timeValue('24h', 1000, 7 * 24 * HOUR).describe('How often API keys past their retention period are deleted from the store.'),
        cache: z
          .object({
            ttl: timeValue('1d', 0, 7 * 24 * HOUR).describe('How long a verified API key stays cached after its last use (0 disables the cache).'),
            max_keys: z.number().int().min(0).default(25_000).describe('Most cached API keys.'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    service_token: z
      .object({
        cache: z
          .object({
            ttl: timeValue('20m', 0, 24 * HOUR).describe('How long a verified service account token stays cached (Elasticsearch service_token.cache.ttl; 0 disables the cache).'),
            max_tokens: z.number().int().min(0).default(100_000).describe('Most cached service account tokens.'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    anonymous,
    cache: z
      .object({
        ttl: timeValue('20m', 0, 24 * HOUR).describe('How long a verified username/password stays cached (0 disables the cache).'),
        max_users: z.number().int().min(0).default(100_000).describe('Most cached credentials.'),
      })
      .strict()
      .prefault({}),
    throttle: z
      .object({
        enabled: z.boolean().default(true).describe('Refuse (429) sources that fail password verification too often, before argon2 runs.'),
        max_failures_per_user: z.number().int().min(1).default(10).describe('Failures of one username from one client address within the window before that pair is blocked.'),
        max_failures_per_address: z.number().int().min(1).default(100).describe('Failures of any usernames from one client address within the window before the address is blocked.'),
        window: timeValue('5m', 1000, 24 * HOUR).describe('Sliding window over which failures are counted.'),
        block: timeValue('1m', 1000, 24 * HOUR).describe('First block of a source; each further block of it doubles, up to max_block.'),
        max_block: timeValue('30m', 1000, 7 * 24 * HOUR).describe('Longest block; strikes decay by one per window without failures.'),
        max_tracked: z.number().int().min(100).default(100_000).describe('Most sources counted at once (memory bound); the least recently failing are forgotten.'),
        tarpit: timeValue('1s', 0, 60_000).describe('How long a refused attempt waits before its 429 (0: at once); slows a flood to one attempt per connection per tarpit.'),
      })
      .strict()
      .prefault({}),
    password_hashing: z
      .object({
        memory_cost: z.number().int().min(7168).default(19_456).describe('argon2id memory in KiB (OWASP minimum 19456 with time_cost 2).'),
        time_cost: z.number().int().min(1).max(20).default(2).describe('argon2id iterations.'),
        parallelism: z.number().int().min(1).max(16).default(1).describe('argon2id lanes.'),
        max_concurrent: z.number().int().min(1).max(64).default(4).describe('Most password verifications running at once.'),
      })
      .strict()
      .prefault({})
      .superRefine((hashing, ctx) => {
        // OWASP's argon2id table: each memory cost needs at least this many iterations.
        const minIterations = hashing.memory_cost >= 47_104 ? 1 : hashing.memory_cost >= 19_456 ? 2 : hashing.memory_cost >= 12_288 ? 3 : hashing.memory_cost >= 9216 ? 4 : 5;
        if (hashing.time_cost < minIterations) {
          ctx.addIssue({ code: 'custom', path: ['time_cost'], message: `must be at least ${minIterations} with memory_cost ${hashing.memory_cost} (OWASP argon2id minimums)` });
        }
      }),
  })
  .strict()
  .prefault({});

/** true/false, or "auto": on when esgate listens on a loopback address only. */
const consoleEnabled = z
  .preprocess((raw) => (raw === 'true' ? true : raw === 'false' ? false : raw), z.union([z.boolean(), z.literal('auto')]))
  .default('auto');

const webConsole = z
  .object({
    enabled: consoleEnabled.describe('Serve the web console at /_esgate/console/: true, false, or auto (on when http.host is a loopback address).'),
    ece_login: z.boolean().default(true).describe('Serve the Elastic Cloud Enterprise login POST /api/v1/users/auth/_login, which answers a JWT usable as a Bearer token.'),
  })
  .strict()
  .prefault({});
const postgresUrl = z.string().refine((value) => {
  if (value === '') return true;
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}, 'must be a postgres:// URL, e.g. postgres://esgate@127.0.0.1:5432/esgate');

const store = z
  .object({
    type: z.enum(['sqlite', 'postgres']).default('sqlite').describe('Security store: sqlite (embedded, one instance) or postgres (shared by a fleet).'),
    postgres: z
      .object({
        url: postgresUrl
          .default('')
          .describe('PostgreSQL URL (postgres://user@host:5432/db, sslmode honoured); the password may come from PGPASSWORD. Never logged.'),
        ca_file: z.string().default('').describe('CA certificate file the server certificate must chain to (TLS); empty: the URL\'s sslmode decides.'),
        pool_size: z.number().int().min(1).max(1000).default(10).describe('Connections each instance keeps to PostgreSQL.'),
        statement_timeout: timeValue('5s', 100, HOUR).describe('Longest a statement (or a lock wait) may run before the request gets 503.'),
        connect_timeout: timeValue('5s', 100, HOUR).describe('Longest to wait for a connection before the request gets 503.'),
        poll_interval: timeValue('1s', 10, HOUR).describe('How often the change feed is read when no notification arrived (and the heartbeat).'),
        propagation_timeout: timeValue('2s', 0, HOUR).describe('Longest a revoking call waits for every live instance to apply it before answering anyway (with a warning).'),
        listen: z.boolean().default(true).describe('Wake up on LISTEN/NOTIFY; false relies on polling alone.'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})
  .superRefine((value, ctx) => {
    if (value.type === 'postgres' && value.postgres.url === '') {
      ctx.addIssue({ code: 'custom', path: ['postgres', 'url'], message: 'is required when store.type is postgres' });
    }
  });

// ---- audit (Elasticsearch's xpack.security.audit.* and its logfile event names) ----
export const AUDIT_EVENTS = [
  'authentication_success',
  'authentication_failed',
  'anonymous_access_denied',
  'access_granted',
  'access_denied',
  'run_as_granted',
  'run_as_denied',
  'tampered_request',
  'security_config_change',
] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];
const auditEvent = z.enum(['_all', ...AUDIT_EVENTS]);

const audit = z
  .object({
    enabled: z.boolean().default(false).describe('Write the audit trail (Elasticsearch xpack.security.audit.enabled).'),
    path: z.string().default('').describe('The audit file (JSON lines); empty: audit.json in data_dir.'),
    events: z
      .object({
        // Elasticsearch's default list: everything but authentication_success.
        include: z
          .array(auditEvent)
          .default(AUDIT_EVENTS.filter((name) => name !== 'authentication_success'))
          .describe('Events written (_all for every one), as xpack.security.audit.logfile.events.include.'),
        exclude: z.array(auditEvent).default([]).describe('Events never written, as xpack.security.audit.logfile.events.exclude.'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export const configSchema = z
  .object({
    http,
    upstream,
    data_dir: z.string().min(1).default('./data').describe('Directory of the SQLite store (esgate.db).'),
    store,
    authc,
    console: webConsole,
    audit,
    metrics: z
      .object({
        port: z.number().int().min(0).max(65535).default(0).describe('Also serve /metrics without authentication on this port (0: off; GET /_esgate/metrics needs `monitor`).'),
        host: z.string().min(1).default('127.0.0.1').describe('Address of the metrics.port listener.'),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
        format: z.enum(['json', 'text']).default('json').describe('json: one JSON object per line (pino); text: one readable line with an ISO time.'),
      })
      .strict()
      .prefault({}),
    bootstrap: z
      .object({
        password: z
          .string()
          // The user service's own rule (6 characters), checked here so a bad value stops start-up as a config error.
          .refine((value) => value === '' || value.length >= 6, 'must be at least 6 characters long, or empty to generate one')
          .default('')
          .describe('Password of `elastic` on first start with an empty store; empty: generate and print one. Use ESGATE_BOOTSTRAP_PASSWORD.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
