// One JSON summary line per request (method, path, status, duration, user, scheme), and no secret in
// any log line, whichever path the request took: proxied, esgate's own API, 401, upstream failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_SECRETS, expectNoSecrets } from '../support/secrets.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

const UPSTREAM_PASSWORD = 'upstream-Secret-5150';

describe('request logging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      settings: { upstream: { auth: { type: 'basic', username: 'gateway', password: UPSTREAM_PASSWORD } }, logging: { level: 'trace' } },
    });
    await t.ctx.users.create({ username: 'rdeniro', password: KNOWN_SECRETS.userPassword, roles: ['superuser'] });
  });
  afterAll(() => t.close());

  function summaryLines(from: number) {
    return t.logs.lines.slice(from).filter((line) => line['msg'] === 'request');
  }

  it('writes exactly one summary line for a proxied request, with user, scheme, status and duration', async () => {
    const from = t.logs.lines.length;
    const res = await t.app.inject({ url: '/logs/_search?q=secret', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword) } });
    expect(res.statusCode).toBe(200);
    const lines = summaryLines(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/logs/_search', status: 200, user: 'rdeniro' });
    expect(lines[0]?.['scheme']).toBeTypeOf('string');
    expect(lines[0]?.['duration_ms']).toBeTypeOf('number');
  });

  it('writes exactly one summary line for a 401, with the reason and no user', async () => {
    const from = t.logs.lines.length;
    await t.app.inject({ url: '/logs/_search', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.wrongPassword) } });
    const lines = summaryLines(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 401, user: null, reason: 'unable to authenticate user [rdeniro] for REST request [/logs/_search]' });
  });

  it('keeps every credential out of the logs, even at trace level and on upstream failures', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/_bulk',
      headers: {
        authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword),
        'es-secondary-authorization': t.basic('elastic', t.password),
        'proxy-authorization': t.basic('proxy', KNOWN_SECRETS.wrongPassword),
        'content-type': 'application/x-ndjson',
      },
      payload: '{"index":{"_index":"x"}}\n{"a":1}\n',
    });
    await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: t.basic('elastic', KNOWN_SECRETS.wrongPassword) } });
    t.upstream.behaviour = 'reset';
    await t.app.inject({ url: '/_cluster/health', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword) } });
    t.upstream.behaviour = 'normal';
    const text = t.logs.text();
    expect(text.length).toBeGreaterThan(0);
    expectNoSecrets(text, [...Object.values(KNOWN_SECRETS), UPSTREAM_PASSWORD]);
    // Basic values are base64 of user:password, which expectNoSecrets' per-secret base64 would miss.
    const headerValues = [
      t.basic('rdeniro', KNOWN_SECRETS.userPassword),
      t.basic('elastic', t.password),
      t.basic('proxy', KNOWN_SECRETS.wrongPassword),
      t.basic('elastic', KNOWN_SECRETS.wrongPassword),
      t.basic('gateway', UPSTREAM_PASSWORD),
    ];
    for (const value of headerValues) expect(text).not.toContain(value.slice('Basic '.length));
    // The upstream credentials were really in use: the upstream got them, the log did not.
    expect(t.upstream.requests.some((r) => r.headers.authorization === `Basic ${Buffer.from(`gateway:${UPSTREAM_PASSWORD}`).toString('base64')}`)).toBe(true);
  });
});
