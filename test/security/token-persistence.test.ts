import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

const URL = '/_security/oauth2/token';

describe('tokens across restarts and at rest', () => {
  let dir: TempDir;
  let upstream: FakeUpstream;
  let t: TestApp;
  let tokens: { access: string; refresh: string; successorAccess: string; successorRefresh: string; client: string };
  let base: string;

  beforeAll(async () => {
    dir = tempDir();
    upstream = await startFakeUpstream();
    t = await buildTestApp({ dir, upstream });
    // viewer reads indices; monitor lets the token holder ask for the cluster health through esgate.
    await t.ctx.roles.put('health_reader', parseRoleDescriptor('health_reader', { cluster: ['monitor'] }, { allowDescription: true }));
    await t.ctx.users.create({ username: 'web_user', password: 'web-user-password', roles: ['viewer', 'health_reader'] });
    const post = (payload: unknown) =>
      t.app.inject({ method: 'POST', url: URL, headers: { authorization: t.basic(), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    const pair = (await post({ grant_type: 'password', username: 'web_user', password: 'web-user-password' })).json();
    const client = (await post({ grant_type: 'client_credentials' })).json();
    // A refresh stores the successor pair sealed; it must not appear in clear either.
    const successor = (await post({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })).json();
    tokens = {
      access: pair.access_token,
      refresh: pair.refresh_token,
      successorAccess: successor.access_token,
      successorRefresh: successor.refresh_token,
      client: client.access_token,
    };
  });
  afterAll(async () => {
    await t.close();
    await upstream.close();
    dir.remove();
  });

  it('keeps no token in clear in the database files', async () => {
    const secrets = Object.values(tokens);
    const files = readdirSync(dir.path).filter((name) => name.startsWith('esgate.db'));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((name) => readFileSync(path.join(dir.path, name))));
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(bytes.includes(Buffer.from(secret)), 'token found in the store files').toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'base64url')), 'token bytes found in the store files').toBe(false);
    }
  });

  it('accepts the tokens after esgate restarts on the same store', async () => {
    await t.close();
    t = await buildTestApp({ dir, upstream });
    base = await t.listen();
    for (const token of [tokens.access, tokens.successorAccess, tokens.client]) {
      const res = await t.app.inject({ url: '/_security/_authenticate', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().authentication_type).toBe('token');
    }
    const refresh = await t.app.inject({
      method: 'POST',
      url: URL,
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: JSON.stringify({ grant_type: 'refresh_token', refresh_token: tokens.successorRefresh }),
    });
    expect(refresh.statusCode).toBe(200);
  });

  it('lets the official client authenticate with auth.bearer', async () => {
    const client = new Client({ node: base, auth: { bearer: tokens.successorAccess } });
    try {
      const health = await client.cluster.health();
      expect(health.status).toBe('green');
      const me = await client.security.authenticate();
      expect(me.username).toBe('web_user');
      expect(me.authentication_type).toBe('token');
      const forwarded = upstream.requests.find((r) => r.url.startsWith('/_cluster/health'));
      expect(forwarded?.headers.authorization).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('serves the official client getToken, refresh and invalidateToken calls', async () => {
    const client = new Client({ node: base, auth: { username: 'elastic', password: t.password } });
    try {
      const created = await client.security.getToken({ grant_type: 'password', username: 'web_user', password: 'web-user-password' });
      expect(created).toMatchObject({ type: 'Bearer', expires_in: 1200, authentication: { username: 'web_user' } });
      const refreshed = await client.security.getToken({ grant_type: 'refresh_token', refresh_token: created.refresh_token as string });
      expect(refreshed.access_token).not.toBe(created.access_token);
      const invalidated = await client.security.invalidateToken({ token: refreshed.access_token });
      expect(invalidated).toEqual({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
      const unknown = await client.security.invalidateToken({ token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { ignore: [404] });
      expect(unknown).toEqual({ invalidated_tokens: 0, previously_invalidated_tokens: 0, error_count: 0 });
    } finally {
      await client.close();
    }
  });

  it('gives the official client a 401 ResponseError for an invalidated token', async () => {
    await t.app.inject({
      method: 'DELETE',
      url: URL,
      headers: { authorization: t.basic(), 'content-type': 'application/json' },
      payload: JSON.stringify({ token: tokens.client }),
    });
    const client = new Client({ node: base, auth: { bearer: tokens.client } });
    try {
      await expect(client.cluster.health()).rejects.toMatchObject({ meta: { statusCode: 401 }, message: expect.stringContaining('token expired') });
    } finally {
      await client.close();
    }
  });
});
