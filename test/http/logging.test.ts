// One JSON summary line per request (method, path, status, duration, user, scheme), and no secret in
// any log line, whichever path the request took: proxied, esgate's own API, 401, upstream failure.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/support.js';
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

describe('secrets on every path', () => {
  let t: TestApp;
  const bodies: string[] = [];
  beforeAll(async () => {
    t = await buildTestApp();
    await t.ctx.users.create({ username: 'rdeniro', password: KNOWN_SECRETS.userPassword, roles: ['superuser'] });
  });
  afterAll(() => t.close());

  async function send(options: InjectOptions) {
    const res = await t.app.inject(options);
    bodies.push(res.body, JSON.stringify(res.headers));
    return res;
  }

  const summaries = (from: number) => t.logs.lines.slice(from).filter((line) => line['msg'] === 'request');

  it('logs one summary line with method, path, status, duration_ms, user and scheme for a Basic success on esgate\'s own API', async () => {
    const from = t.logs.lines.length;
    const res = await send({ url: '/_security/_authenticate?pretty', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword) } });
    expect(res.statusCode).toBe(200);
    const lines = summaries(from);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/_security/_authenticate', status: 200, user: 'rdeniro', scheme: 'basic' });
    expect(lines[0]?.['duration_ms']).toBeTypeOf('number');
    expect(lines[0]?.['duration_ms']).toBeGreaterThanOrEqual(0);
  });

  it('logs the same fields, user and scheme null, for a Basic failure and for missing credentials', async () => {
    const from = t.logs.lines.length;
    await send({ method: 'PUT', url: '/idx', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.wrongPassword) } });
    await send({ method: 'PUT', url: '/idx' });
    const lines = summaries(from);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ method: 'PUT', path: '/idx', status: 401, user: null, scheme: null });
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['method', 'path', 'status', 'duration_ms', 'user', 'scheme']));
    }
  });

  it('keeps es-secondary-authorization out of logs and bodies, whether it authenticates or not', async () => {
    await send({
      url: '/_security/_authenticate',
      headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword), 'es-secondary-authorization': t.basic('elastic', t.password) },
    });
    const res = await send({
      url: '/_security/_authenticate',
      headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword), 'es-secondary-authorization': t.basic('elastic', KNOWN_SECRETS.wrongPassword) },
    });
    expect(res.statusCode).toBe(401);
  });

  it('keeps passwords sent in JSON bodies to the security APIs out of logs and bodies', async () => {
    const admin = { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword), 'content-type': 'application/json' };
    const put = await send({ method: 'PUT', url: '/_security/user/jacknich', headers: admin, payload: { password: KNOWN_SECRETS.userPassword, roles: [] } });
    expect(put.statusCode).toBeLessThan(500);
    await send({ method: 'POST', url: '/_security/user/jacknich/_password', headers: admin, payload: { password: KNOWN_SECRETS.wrongPassword } });
    await send({ method: 'POST', url: '/_security/oauth2/token', headers: admin, payload: { grant_type: 'password', username: 'rdeniro', password: KNOWN_SECRETS.userPassword } });
    await send({ method: 'POST', url: '/_security/oauth2/token', headers: admin, payload: { grant_type: 'password', username: 'rdeniro', password: KNOWN_SECRETS.wrongPassword } });
    // Too short: a validation error must not quote the password it refused.
    await send({ method: 'PUT', url: '/_security/user/short', headers: admin, payload: { password: 'abc', roles: [] } });
  });

  it('keeps a password out of the error for a malformed JSON body that contains it', async () => {
    const admin = { authorization: t.basic('rdeniro', KNOWN_SECRETS.userPassword), 'content-type': 'application/json' };
    const secret = KNOWN_SECRETS.userPassword;
    // JSON.parse quotes a piece of its input in its message ("Unexpected token 'u', "user-Secret…" is not valid JSON").
    const payloads = [`{"password":"${secret}" "roles": []}`, `{"password":${secret}}`, secret];
    for (const url of ['/_security/user/broken', '/_security/oauth2/token']) {
      for (const payload of payloads) {
        const res = await send({ method: 'POST', url, headers: admin, payload });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/json');
        expect(res.body).not.toContain(secret.slice(0, 8));
      }
    }
    expect(t.logs.text()).not.toContain(secret.slice(0, 8));
  });

  it('keeps the password of a CLI command out of its output and out of the server\'s logs', async () => {
    const run = await cli(t.dir.path, ['users', 'passwd', 'rdeniro', '-p', KNOWN_SECRETS.wrongPassword]);
    expect(run.code).toBe(0);
    expectNoSecrets(run.stdout + run.stderr);
    const res = await send({ url: '/_security/_authenticate', headers: { authorization: t.basic('rdeniro', KNOWN_SECRETS.wrongPassword) } });
    expect(res.statusCode).toBe(200);
  });

  it('leaves no known secret, plain or base64, in any log line or response', () => {
    const logText = t.logs.text();
    expect(t.logs.lines.length).toBeGreaterThan(5);
    expectNoSecrets(logText);
    expectNoSecrets(bodies.join('\n'));
    for (const [user, password] of [
      ['rdeniro', KNOWN_SECRETS.userPassword],
      ['rdeniro', KNOWN_SECRETS.wrongPassword],
      ['elastic', t.password],
      ['elastic', KNOWN_SECRETS.wrongPassword],
    ] as const) {
      const encoded = Buffer.from(`${user}:${password}`).toString('base64');
      expect(logText).not.toContain(encoded);
      expect(bodies.join('\n')).not.toContain(encoded);
    }
  });
});
