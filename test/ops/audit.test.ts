// The audit trail over HTTP: each event field by field in Elasticsearch's audit format, include
// and exclude lists, no secret in any line, reopen on SIGHUP (logrotate).
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KNOWN_SECRETS, expectNoSecrets } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

type Line = Record<string, unknown>;

describe('audit trail', () => {
  let t: TestApp;
  afterEach(() => t.close());

  async function app(settings: Record<string, unknown> = {}): Promise<TestApp> {
    t = await buildTestApp({ settings: { audit: { enabled: true, ...settings } } });
    await t.ctx.users.create({ username: 'reader', password: KNOWN_SECRETS.userPassword, roles: ['viewer'] });
    return t;
  }
  const file = () => path.join(t.dir.path, 'audit.json');
  const lines = (): Line[] =>
    readFileSync(file(), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  const reader = () => t.basic('reader', KNOWN_SECRETS.userPassword);

  it('writes access_granted with who, from where, what and the request ids', async () => {
    await app();
    const res = await t.app.inject({
      url: '/logs/_search?q=x',
      headers: { authorization: reader(), 'x-opaque-id': 'my-opaque', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      remoteAddress: '10.1.2.3',
    });
    expect(res.statusCode).toBe(200);
    const [line] = lines();
    expect(line).toMatchObject({
      type: 'audit',
      'event.type': 'transport',
      'event.action': 'access_granted',
      'authentication.type': 'REALM',
      'user.name': 'reader',
      'user.realm': 'default_native',
      'user.roles': ['viewer'],
      'origin.type': 'rest',
      'url.path': '/logs/_search',
      'url.query': 'q=x',
      'request.method': 'GET',
      action: 'indices:data/read/search',
      indices: ['logs'],
      opaque_id: 'my-opaque',
      'trace.id': '0af7651916cd43dd8448eb211c80319c',
    });
    expect(line?.['origin.address']).toMatch(/^10\.1\.2\.3(:\d+)?$/);
    expect(line?.['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line?.['request.id']).toBeTypeOf('string');
  });

  it('writes access_denied for a 403, and no access_granted', async () => {
    await app();
    const res = await t.app.inject({ method: 'DELETE', url: '/logs', headers: { authorization: reader() } });
    expect(res.statusCode).toBe(403);
    expect(lines().map((line) => line['event.action'])).toEqual(['access_denied']);
    expect(lines()[0]).toMatchObject({ 'user.name': 'reader', action: 'indices:admin/delete', indices: ['logs'], 'request.method': 'DELETE' });
  });

  it('names the indices a body named, the lookups included, and none for a cluster action', async () => {
    await app();
    const body = JSON.stringify({ docs: [{ _index: 'logs', _id: '1' }, { _index: 'metrics', _id: '2' }] });
    await t.app.inject({ method: 'POST', url: '/_mget', payload: body, headers: { authorization: reader(), 'content-type': 'application/json' } });
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: reader() } });
    const [mget, health] = lines();
    expect(mget?.['indices']).toEqual(['logs', 'metrics']);
    expect(health?.['action']).toBe('cluster:monitor/health');
    expect(health?.['indices']).toBeUndefined();
  });

  it('writes authentication_failed with the principal, and anonymous_access_denied without credentials', async () => {
    await app();
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic('reader', KNOWN_SECRETS.wrongPassword) } });
    await t.app.inject({ url: '/_cluster/health' });
    expect(lines()).toMatchObject([
      { 'event.type': 'rest', 'event.action': 'authentication_failed', 'user.name': 'reader', 'url.path': '/_cluster/health' },
      { 'event.type': 'rest', 'event.action': 'anonymous_access_denied', 'url.path': '/_cluster/health' },
    ]);
  });

  it('writes run_as_granted then access_granted with run_by, and run_as_denied', async () => {
    await app();
    await t.ctx.users.create({ username: 'target', password: KNOWN_SECRETS.userPassword, roles: ['viewer'] });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic(), 'es-security-runas-user': 'target' } });
    await t.app.inject({ method: 'DELETE', url: '/logs', headers: { authorization: t.basic(), 'es-security-runas-user': 'target' } });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: reader(), 'es-security-runas-user': 'target' } });
    expect(lines()).toMatchObject([
      { 'event.action': 'run_as_granted', 'user.name': 'elastic', 'user.run_as.name': 'target', action: 'indices:data/read/search' },
      { 'event.action': 'access_granted', 'user.name': 'target', 'user.run_by.name': 'elastic', 'user.realm': 'default_native', 'user.run_by.realm': 'reserved' },
      { 'event.action': 'run_as_granted', 'user.name': 'elastic', 'user.run_as.name': 'target', action: 'indices:admin/delete' },
      { 'event.action': 'access_denied', 'user.name': 'target', 'user.run_by.name': 'elastic' },
      { 'event.action': 'run_as_denied', 'user.name': 'reader', 'user.run_as.name': 'target' },
    ]);
  });

  it('writes security_config_change with the change and its non-secret fields, never the password', async () => {
    await app();
    const res = await t.app.inject({
      method: 'PUT',
      url: '/_security/user/newbie',
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: { password: KNOWN_SECRETS.userPassword, roles: ['viewer'], full_name: 'New Bie' },
    });
    expect(res.statusCode).toBe(200);
    const change = lines().find((line) => line['event.type'] === 'security_config_change');
    expect(change).toMatchObject({ 'event.action': 'put_user', put: { user: { name: 'newbie', roles: ['viewer'], full_name: 'New Bie', has_password: true } }, 'user.name': 'elastic' });
    const key = await t.app.inject({ method: 'POST', url: '/_security/api_key', headers: { authorization: t.basic(), 'content-type': 'application/json' }, payload: { name: 'k1' } });
    const created = key.json() as { api_key: string; encoded: string };
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: `ApiKey ${created.encoded}` } });
    const text = readFileSync(file(), 'utf8');
    expect(lines().find((line) => line['event.action'] === 'create_apikey')).toMatchObject({ create: { apikey: { name: 'k1' } } });
    expect(lines().at(-1)).toMatchObject({ 'event.action': 'access_granted', 'authentication.type': 'API_KEY', 'apikey.name': 'k1' });
    expectNoSecrets(text, [...Object.values(KNOWN_SECRETS), created.api_key, created.encoded]);
  });

  it('follows include and exclude, like xpack.security.audit.logfile.events.*', async () => {
    await app({ events: { include: ['_all'], exclude: ['access_granted'] } });
    await t.app.inject({ url: '/logs/_search', headers: { authorization: reader() } });
    expect(lines()).toMatchObject([{ 'event.type': 'rest', 'event.action': 'authentication_success', realm: 'default_native', 'user.name': 'reader' }]);
    expect(lines()).toHaveLength(1);
  });

  it('audits a proxied POST over a real socket whose upstream is down, and still answers the 502 in Elasticsearch\'s shape', async () => {
    t = await buildTestApp({ settings: { audit: { enabled: true }, upstream: { url: 'http://127.0.0.1:1' } } });
    const base = await t.listen();
    const res = await fetch(`${base}/idx/_search`, { method: 'POST', headers: { authorization: t.basic(), 'content-type': 'application/json' }, body: '{"query":{"match_all":{}}}' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('esgate_upstream_exception');
    expect(lines()).toMatchObject([{ 'event.action': 'access_granted', action: 'indices:data/read/search', 'request.method': 'POST' }]);
    expect(lines()[0]?.['origin.address']).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('reopens the file on reload, so logrotate can move it', async () => {
    await app();
    await t.app.inject({ url: '/logs/_search', headers: { authorization: reader() } });
    renameSync(file(), `${file()}.1`);
    t.ctx.audit?.reopen();
    await t.app.inject({ method: 'DELETE', url: '/logs', headers: { authorization: reader() } });
    expect(lines().map((line) => line['event.action'])).toEqual(['access_denied']);
    expect(readFileSync(`${file()}.1`, 'utf8')).toContain('access_granted');
    expect(t.ctx.audit?.counters).toEqual({ linesWritten: 2, writeErrors: 0 });
  });
});
