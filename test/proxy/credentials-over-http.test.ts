// Credentials never reach the upstream: what the fake upstream recorded after a request through esgate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_SECRETS } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

function lastHeaders(t: TestApp) {
  const last = t.upstream.requests.at(-1);
  if (last === undefined) throw new Error('the upstream received nothing');
  return last.headers;
}

describe('client credentials toward the upstream', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'rdeniro', password: KNOWN_SECRETS.userPassword, roles: ['superuser'] });
  });
  afterAll(() => t.close());

  it('strips Authorization, es-secondary-authorization, es-security-runas-user and Proxy-Authorization', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/_cluster/health',
      headers: {
        authorization: t.basic(),
        'es-secondary-authorization': t.basic('rdeniro', KNOWN_SECRETS.userPassword),
        'es-security-runas-user': 'rdeniro',
        'proxy-authorization': t.basic('proxy', KNOWN_SECRETS.wrongPassword),
        'x-opaque-id': 'kept-1',
      },
    });
    expect(res.statusCode).toBe(200);
    const headers = lastHeaders(t);
    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('es-secondary-authorization');
    expect(headers).not.toHaveProperty('es-security-runas-user');
    expect(headers).not.toHaveProperty('proxy-authorization');
    expect(headers['x-opaque-id']).toBe('kept-1');
    expect(JSON.stringify(t.upstream.requests)).not.toContain(Buffer.from(KNOWN_SECRETS.bootstrapPassword).toString('base64').slice(0, 12));
  });

  it('strips a client credential header that the Connection header tries to protect', async () => {
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic(), connection: 'keep-alive, x-forwarded-for' } });
    expect(lastHeaders(t)).not.toHaveProperty('authorization');
    expect(lastHeaders(t)['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('forwards a client X-Forwarded-User as an ordinary header when no identity header is configured', async () => {
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic(), 'x-forwarded-user': 'someone' } });
    expect(lastHeaders(t)['x-forwarded-user']).toBe('someone');
  });

  it('replaces client X-Forwarded-For, -Proto, -Host and drops Forwarded from a peer that is not a configured proxy', async () => {
    await t.app.inject({
      url: '/_cluster/health',
      remoteAddress: '10.1.2.3',
      headers: {
        authorization: t.basic(),
        host: 'esgate.example:9200',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'spoofed.example',
        forwarded: 'for=6.6.6.6;proto=https',
      },
    });
    const headers = lastHeaders(t);
    expect(headers['x-forwarded-for']).toBe('10.1.2.3');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('esgate.example:9200');
    expect(headers).not.toHaveProperty('forwarded');
    // The upstream sees its own Host, not the client's.
    expect(headers.host).toBe(`127.0.0.1:${t.upstream.port}`);
  });
});

describe('configured upstream credentials and identity header', () => {
  it.each([
    ['basic', { type: 'basic', username: 'gateway', password: 'gateway-pass' }, `Basic ${Buffer.from('gateway:gateway-pass').toString('base64')}`],
    ['api_key', { type: 'api_key', api_key: 'Z2F0ZXdheTprZXk=' }, 'ApiKey Z2F0ZXdheTprZXk='],
  ])('sends the configured %s upstream credentials instead of the client ones', async (_label, auth, expected) => {
    const t = await buildTestApp({ settings: { upstream: { auth } } });
    try {
      const res = await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic() } });
      expect(res.statusCode).toBe(200);
      expect(lastHeaders(t)['authorization']).toBe(expected);
    } finally {
      await t.close();
    }
  });

  it('forwards an unauthenticated OPTIONS preflight without the configured upstream credentials', async () => {
    const t = await buildTestApp({ settings: { upstream: { auth: { type: 'basic', username: 'gateway', password: 'gateway-pass' }, identity_header: 'X-Forwarded-User' } } });
    try {
      const res = await t.app.inject({ method: 'OPTIONS', url: '/logs/_search', headers: { origin: 'http://kibana.example', 'access-control-request-method': 'POST', 'x-forwarded-user': 'elastic' } });
      expect(res.statusCode).toBe(200);
      const headers = lastHeaders(t);
      expect(t.upstream.requests.at(-1)?.method).toBe('OPTIONS');
      expect(headers).not.toHaveProperty('authorization');
      expect(headers).not.toHaveProperty('x-forwarded-user');
    } finally {
      await t.close();
    }
  });

  it('sends the authenticated username in the configured identity header and always removes the client copy', async () => {
    const t = await buildTestApp({ settings: { upstream: { identity_header: 'X-Forwarded-User' } } });
    try {
      // monitor: the cluster health request must be authorized to reach the upstream.
      await t.ctx.users.create({ username: 'rdeniro', password: KNOWN_SECRETS.userPassword, roles: ['remote_monitoring_collector'] });
      await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword), 'X-Forwarded-User': 'elastic' } });
      expect(lastHeaders(t)['x-forwarded-user']).toBe('rdeniro');
      const raw = t.upstream.requests.at(-1);
      expect(Object.keys(raw?.headers ?? {}).filter((name) => name === 'x-forwarded-user')).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('appends the peer to X-Forwarded-For and keeps X-Forwarded-Proto/Host from a configured trusted proxy', async () => {
    const t = await buildTestApp({ settings: { http: { trusted_proxies: ['10.0.0.0/8'] } } });
    try {
      await t.app.inject({
        url: '/_cluster/health',
        remoteAddress: '10.9.9.9',
        headers: { authorization: t.basic(), 'x-forwarded-for': '203.0.113.5', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'search.example', forwarded: 'for=203.0.113.5;proto=https' },
      });
      const headers = lastHeaders(t);
      expect(headers['x-forwarded-for']).toBe('203.0.113.5, 10.9.9.9');
      expect(headers['x-forwarded-proto']).toBe('https');
      expect(headers['x-forwarded-host']).toBe('search.example');
      expect(headers['forwarded']).toMatch(/^for=203\.0\.113\.5;proto=https, for=10\.9\.9\.9;proto=http/);

      // The same proxy list does not make another peer trusted.
      await t.app.inject({ url: '/_cluster/health', remoteAddress: '192.0.2.1', headers: { authorization: t.basic(), 'x-forwarded-for': '203.0.113.5' } });
      expect(lastHeaders(t)['x-forwarded-for']).toBe('192.0.2.1');
    } finally {
      await t.close();
    }
  });
});

describe('an upstream URL with a path prefix', () => {
  it.each(['/es', '/es/'])('forwards every path under the prefix %s', async (prefix) => {
    const t = await buildTestApp();
    const prefixed = await buildTestApp({ upstream: t.upstream, settings: { upstream: { url: `${t.upstream.url}${prefix}` } } });
    try {
      for (const url of ['/', '/idx/_search?q=a', '/_cluster/health']) {
        const res = await prefixed.app.inject({ url, headers: { authorization: prefixed.basic() } });
        expect(res.statusCode, url).toBe(200);
        expect(t.upstream.requests.at(-1)?.url).toBe(url === '/' ? '/es/' : `/es${url}`);
      }
    } finally {
      await prefixed.close();
      await t.close();
    }
  });
});
