import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { tempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = tempDir('esgate-config-');
afterAll(() => dir.remove());

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every leaf setting of the defaults, as its dotted path and default value. */
function leaves(node: Tree, prefix: string[] = []): Array<{ path: string[]; value: unknown }> {
  return Object.entries(node).flatMap(([key, value]) =>
    isTree(value) ? leaves(value, [...prefix, key]) : [{ path: [...prefix, key], value }],
  );
}

function at(tree: unknown, keyPath: readonly string[]): unknown {
  return keyPath.reduce<unknown>((node, key) => (isTree(node) ? node[key] : undefined), tree);
}

function configError(options: LoadConfigOptions): ConfigError {
  try {
    loadConfig({ cwd: dir.path, ...options });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const envName = (keyPath: readonly string[]) => `ESGATE_${keyPath.join('_').toUpperCase()}`;

/**
 * A valid non-default value for each leaf as an ESGATE_* variable, derived from the default's type.
 * Only strings whose values are constrained need an entry here; a new constrained setting fails
 * the test below until it gets one.
 */
const CONSTRAINED_STRINGS: Readonly<Record<string, { raw: string; expected: unknown; env?: Record<string, string> }>> = {
  'upstream.url': { raw: 'https://es.example.com:9243', expected: 'https://es.example.com:9243' },
  'upstream.auth.type': { raw: 'basic', expected: 'basic', env: { ESGATE_UPSTREAM_AUTH_USERNAME: 'gate' } },
  'upstream.identity_header': { raw: 'X-Forwarded-User', expected: 'X-Forwarded-User' },
  'logging.level': { raw: 'debug', expected: 'debug' },
  'logging.format': { raw: 'text', expected: 'text' },
  'http.ssl.enabled': { raw: 'true', expected: true, env: { ESGATE_HTTP_SSL_CERTIFICATE: 'server.crt', ESGATE_HTTP_SSL_KEY: 'server.key' } },
  'http.ssl.client_authentication': { raw: 'optional', expected: 'optional', env: { ESGATE_HTTP_SSL_CERTIFICATE_AUTHORITIES: 'ca.crt' } },
  'http.ssl.supported_protocols': { raw: 'TLSv1.3', expected: ['TLSv1.3'] },
  'upstream.ssl.certificate': { raw: 'client.crt', expected: 'client.crt', env: { ESGATE_UPSTREAM_SSL_KEY: 'client.key' } },
  'upstream.ssl.key': { raw: 'client.key', expected: 'client.key', env: { ESGATE_UPSTREAM_SSL_CERTIFICATE: 'client.crt' } },
  'upstream.ssl.verification_mode': { raw: 'certificate', expected: 'certificate' },
  'audit.events.include': { raw: 'access_denied, run_as_denied', expected: ['access_denied', 'run_as_denied'] },
  'audit.events.exclude': { raw: 'access_granted', expected: ['access_granted'] },
  'metrics.host': { raw: '0.0.0.0', expected: '0.0.0.0' },
  'http.trusted_proxies': { raw: '10.0.0.0/8, 192.168.1.1', expected: ['10.0.0.0/8', '192.168.1.1'] },
  'store.type': { raw: 'postgres', expected: 'postgres', env: { ESGATE_STORE_POSTGRES_URL: 'postgres://esgate@127.0.0.1:5432/esgate' } },
  'store.postgres.url': { raw: 'postgres://esgate@db.example.com:5432/esgate?sslmode=verify-full', expected: 'postgres://esgate@db.example.com:5432/esgate?sslmode=verify-full' },
  // auto | true | false: the variable's text is read as a boolean.
  'console.enabled': { raw: 'false', expected: false },
};

function alternative(keyPath: readonly string[], value: unknown): { raw: string; expected: unknown; env?: Record<string, string> } {
  const dotted = keyPath.join('.');
  const constrained = CONSTRAINED_STRINGS[dotted];
  if (constrained) return constrained;
  if (typeof value === 'number') return { raw: String(value + 1), expected: value + 1 };
  if (typeof value === 'boolean') return { raw: String(!value), expected: !value };
  if (Array.isArray(value)) return { raw: 'alpha, beta', expected: ['alpha', 'beta'] };
  if (typeof value === 'string') return { raw: 'alt-value', expected: 'alt-value' };
  throw new Error(`no alternative for ${dotted} (${typeof value})`);
}

describe('config/esgate.yml', () => {
  it('parses and equals the schema defaults', () => {
    const fromFile = loadConfig({ cwd: repoRoot, env: {} });
    expect(fromFile).toEqual(configSchema.parse({}));
  });

  it('is what the default config path reads when no --config is given', () => {
    const withFile = loadConfig({ cwd: repoRoot, env: {}, overrides: {} });
    const withoutFile = loadConfig({ cwd: dir.path, env: {} });
    expect(withFile).toEqual(withoutFile);
  });

  it('has the documented defaults: 127.0.0.1:9200, upstream http://127.0.0.1:9201, ./data', () => {
    const config = loadConfig({ cwd: repoRoot, env: {} });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 9200 });
    expect(config.upstream.url).toBe('http://127.0.0.1:9201');
    expect(config.data_dir).toBe('./data');
    expect(config.authc.cache.ttl).toBe(20 * 60_000);
    expect(config.authc.token.timeout).toBe(20 * 60_000);
  });
});

describe('ESGATE_* environment variables', () => {
  const defaults = configSchema.parse({}) as Tree;
  const all = leaves(defaults);

  it('cover a non-trivial number of settings', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it('name each setting unambiguously (no two paths share a variable)', () => {
    const names = all.map((leaf) => envName(leaf.path));
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(all.map((leaf) => [envName(leaf.path), leaf] as const))('%s overrides its setting', (name, leaf) => {
    const { raw, expected, env = {} } = alternative(leaf.path, leaf.value);
    const config = loadConfig({ cwd: repoRoot, env: { ...env, [name]: raw } });
    expect(at(config, leaf.path)).toEqual(expected);
    if (!(leaf.path.join('.') in CONSTRAINED_STRINGS && leaf.value === expected)) {
      expect(at(config, leaf.path)).not.toEqual(leaf.value);
    }
  });

  it('refuses a store type it does not know, naming store.type', () => {
    const err = configError({ env: { ESGATE_STORE_TYPE: 'mysql' } });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatch(/^store\.type: /);
  });

  it('requires store.postgres.url with the postgres store, and refuses a URL of another scheme', () => {
    expect(configError({ env: { ESGATE_STORE_TYPE: 'postgres' } }).issues).toEqual([
      'store.postgres.url: is required when store.type is postgres',
    ]);
    expect(configError({ env: { ESGATE_STORE_POSTGRES_URL: 'mysql://x@h/db' } }).issues[0]).toMatch(/^store\.postgres\.url: must be a postgres:\/\/ URL/);
  });

  it('accept Elasticsearch time values and byte sizes', () => {
    const config = loadConfig({
      cwd: dir.path,
      env: { ESGATE_UPSTREAM_TIMEOUT: '90s', ESGATE_AUTHC_CACHE_TTL: '1h', ESGATE_HTTP_MAX_CONTENT_LENGTH: '5mb', ESGATE_AUTHC_TOKEN_TIMEOUT: '500000ms' },
    });
    expect(config.upstream.timeout).toBe(90_000);
    expect(config.authc.cache.ttl).toBe(3_600_000);
    expect(config.http.max_content_length).toBe(5 * 1024 * 1024);
    expect(config.authc.token.timeout).toBe(500_000);
  });

  it('override the settings file', () => {
    const file = path.join(dir.path, 'env-over-file.yml');
    writeFileSync(file, 'http:\n  port: 9400\n  host: 0.0.0.0\n');
    const config = loadConfig({ cwd: dir.path, configPath: file, env: { ESGATE_HTTP_PORT: '9500' } });
    expect(config.http.port).toBe(9500);
    expect(config.http.host).toBe('0.0.0.0');
  });

  it('accept ESGATE_PORT as a short name for http.port', () => {
    expect(loadConfig({ cwd: dir.path, env: { ESGATE_PORT: '9300' } }).http.port).toBe(9300);
  });

  it('refuse ESGATE_PORT and ESGATE_HTTP_PORT with different values', () => {
    const err = configError({ env: { ESGATE_PORT: '9300', ESGATE_HTTP_PORT: '9301' } });
    expect(err.issues).toEqual([expect.stringMatching(/^http\.port: .*ESGATE_PORT.*ESGATE_HTTP_PORT/)]);
  });
});

describe('--config PATH', () => {
  it('reads the named file instead of config/esgate.yml', () => {
    const file = path.join(dir.path, 'custom.yml');
    writeFileSync(file, 'upstream:\n  url: http://10.1.2.3:9200\ndata_dir: /var/lib/esgate\nauthc:\n  cache:\n    ttl: 5m\n');
    const config = loadConfig({ cwd: repoRoot, configPath: file, env: {} });
    expect(config.upstream.url).toBe('http://10.1.2.3:9200');
    expect(config.data_dir).toBe('/var/lib/esgate');
    expect(config.authc.cache.ttl).toBe(300_000);
    expect(config.http.port).toBe(9200);
  });

  it('resolves a relative path against the working directory', () => {
    writeFileSync(path.join(dir.path, 'relative.yml'), 'http:\n  port: 9333\n');
    expect(loadConfig({ cwd: dir.path, configPath: 'relative.yml', env: {} }).http.port).toBe(9333);
  });

  it('can be given as ESGATE_CONFIG', () => {
    writeFileSync(path.join(dir.path, 'via-env.yml'), 'http:\n  port: 9334\n');
    expect(loadConfig({ cwd: dir.path, env: { ESGATE_CONFIG: 'via-env.yml' } }).http.port).toBe(9334);
  });

  it('reports a missing file as a configuration problem', () => {
    const err = configError({ configPath: 'nope.yml', env: {} });
    expect(err.issues).toEqual([expect.stringContaining('nope.yml: cannot be read (ENOENT)')]);
  });

  it('reports a file that is not YAML, or not a mapping', () => {
    writeFileSync(path.join(dir.path, 'broken.yml'), 'http: [unclosed\n');
    expect(configError({ configPath: 'broken.yml', env: {} }).issues[0]).toContain('broken.yml: is not valid YAML');
    writeFileSync(path.join(dir.path, 'list.yml'), '- a\n- b\n');
    expect(configError({ configPath: 'list.yml', env: {} }).issues[0]).toContain('list.yml: must hold a YAML mapping');
  });
});

describe('invalid configuration', () => {
  it('is reported as one ConfigError listing every problem with its dotted path', () => {
    const file = path.join(dir.path, 'many-problems.yml');
    writeFileSync(file, 'http:\n  bogus: 1\nsurprise: true\nauthc:\n  password_hashing:\n    memory_cost: 8192\n    time_cost: 2\n');
    const err = configError({
      configPath: file,
      env: {
        ESGATE_HTTP_PORT: '99999',
        ESGATE_UPSTREAM_URL: 'ftp://example.com',
        ESGATE_UPSTREAM_TIMEOUT: 'soon',
        ESGATE_AUTHC_TOKEN_TIMEOUT: '2h',
        ESGATE_NOT_A_SETTING: 'x',
      },
    });
    const byPath = (prefix: string) => err.issues.filter((issue) => issue.startsWith(`${prefix}: `));
    expect(byPath('http.port')).toEqual([expect.stringContaining('65535')]);
    expect(byPath('upstream.url')).toEqual([expect.stringContaining('must be an http(s) URL')]);
    expect(byPath('upstream.timeout')).toEqual([expect.stringContaining('[soon] is not a time value')]);
    expect(byPath('authc.token.timeout')).toEqual([expect.stringContaining('[2h] must be between')]);
    expect(byPath('authc.password_hashing.time_cost')).toEqual([expect.stringContaining('OWASP')]);
    expect(byPath('http.bogus')).toEqual([expect.stringContaining('not an esgate setting')]);
    expect(byPath('surprise')).toEqual([expect.stringContaining('not an esgate setting')]);
    expect(byPath('ESGATE_NOT_A_SETTING')).toEqual([expect.stringContaining('not an esgate setting')]);
    expect(err.issues).toHaveLength(8);
    // The message alone is enough for an operator: every issue, one per line.
    for (const issue of err.issues) expect(err.message).toContain(issue);
  });

  it.each([
    ['ESGATE_HTTP_PORT', '-1', 'http.port'],
    ['ESGATE_HTTP_PORT', 'abc', 'http.port'],
    ['ESGATE_UPSTREAM_URL', 'not a url', 'upstream.url'],
    ['ESGATE_UPSTREAM_URL', 'http://127.0.0.1:9201/?q=1', 'upstream.url'],
    ['ESGATE_UPSTREAM_CONNECT_TIMEOUT', '10 parsecs', 'upstream.connect_timeout'],
    ['ESGATE_AUTHC_TOKEN_TIMEOUT', '61m', 'authc.token.timeout'],
    ['ESGATE_AUTHC_TOKEN_ENABLED', 'yes', 'authc.token.enabled'],
    ['ESGATE_HTTP_MAX_CONTENT_LENGTH', 'huge', 'http.max_content_length'],
    ['ESGATE_LOGGING_LEVEL', 'loud', 'logging.level'],
    ['ESGATE_UPSTREAM_IDENTITY_HEADER', 'Authorization', 'upstream.identity_header'],
    ['ESGATE_AUTHC_PASSWORD_HASHING_MEMORY_COST', '4096', 'authc.password_hashing.memory_cost'],
    ['ESGATE_AUTHC_PASSWORD_HASHING_TIME_COST', '1', 'authc.password_hashing.time_cost'],
    ['ESGATE_BOOTSTRAP_PASSWORD', 'abc', 'bootstrap.password'],
  ])('names the setting when %s=%j', (name, raw, dotted) => {
    const err = configError({ env: { [name]: raw } });
    expect(err.issues).toContainEqual(expect.stringMatching(new RegExp(`^${dotted.replace(/\./g, '\\.')}: `)));
    expect(err.issues.every((issue) => /^[a-z_.]+: /.test(issue))).toBe(true);
  });

  it('accepts argon2id parameters on OWASP\'s table (46 MiB with 1 iteration, 12 MiB with 3)', () => {
    expect(() => loadConfig({ cwd: dir.path, env: { ESGATE_AUTHC_PASSWORD_HASHING_MEMORY_COST: '47104', ESGATE_AUTHC_PASSWORD_HASHING_TIME_COST: '1' } })).not.toThrow();
    expect(() => loadConfig({ cwd: dir.path, env: { ESGATE_AUTHC_PASSWORD_HASHING_MEMORY_COST: '12288', ESGATE_AUTHC_PASSWORD_HASHING_TIME_COST: '3' } })).not.toThrow();
  });

  it('says which variable set a bad value', () => {
    expect(configError({ env: { ESGATE_PORT: 'abc' } }).issues).toEqual([expect.stringMatching(/^http\.port: .*\(set by ESGATE_PORT\)$/)]);
    expect(configError({ env: { ESGATE_AUTHC_CACHE_TTL: 'forever' } }).issues).toEqual([expect.stringMatching(/^authc\.cache\.ttl: .*\(set by ESGATE_AUTHC_CACHE_TTL\)$/)]);
    writeFileSync(path.join(dir.path, 'bad-port.yml'), 'http:\n  port: 70000\n');
    expect(configError({ configPath: 'bad-port.yml', env: {} }).issues[0]).not.toContain('set by');
  });

  it('requires upstream credentials for the upstream auth type that needs them', () => {
    expect(configError({ env: { ESGATE_UPSTREAM_AUTH_TYPE: 'basic' } }).issues).toEqual([expect.stringMatching(/^upstream\.auth\.username: /)]);
    expect(configError({ env: { ESGATE_UPSTREAM_AUTH_TYPE: 'api_key' } }).issues).toEqual([expect.stringMatching(/^upstream\.auth\.api_key: /)]);
  });

  it('never echoes the value of a secret setting in its message', () => {
    const err = configError({ env: { ESGATE_UPSTREAM_AUTH_PASSWORD: 'upstream-Secret-99', ESGATE_HTTP_PORT: 'x', ESGATE_BOOTSTRAP_PASSWORD: 'S3cr!' } });
    expect(err.issues).toContainEqual(expect.stringMatching(/^bootstrap\.password: must be at least 6 characters/));
    expect(err.message).not.toContain('upstream-Secret-99');
    expect(err.message).not.toContain('S3cr!');
  });
});

describe('the loaded config', () => {
  it('is deeply frozen', () => {
    const config = loadConfig({ cwd: dir.path, env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.http.trusted_proxies)).toBe(true);
    expect(Object.isFrozen(config.authc.password_hashing)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.http.trusted_proxies as string[]).push('10.0.0.1');
    }).toThrow(TypeError);
    expect(config.http.port).toBe(9200);
  });

  it('is a fresh object on each load, so one test cannot change another\'s', () => {
    expect(loadConfig({ cwd: dir.path, env: {} })).not.toBe(loadConfig({ cwd: dir.path, env: {} }));
  });
});
