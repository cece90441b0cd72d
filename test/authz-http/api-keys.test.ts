// Proxied requests made with API keys: the key's role descriptors ∩ its owner's snapshot decide,
// even when the owner is a superuser; nothing denied reaches the upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { expectNothingForbiddenArrived, send, type RawRequest, type Sent } from './support.js';

let t: TestApp;
let base: string;

interface Created {
  id: string;
  encoded: string;
}

async function createKey(authorization: string, body: Record<string, unknown>): Promise<Created> {
  const res = await send(base, authorization, { method: 'POST', path: '/_security/api_key', body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.json as Created;
}

const apiKey = (key: Created): string => `ApiKey ${key.encoded}`;

async function expectDenied(authorization: string, req: RawRequest, status = 403): Promise<Sent> {
  const before = t.upstream.requests.length;
  const res = await send(base, authorization, req);
  expect(res.status, res.text).toBe(status);
  expect(t.upstream.requests.length).toBe(before);
  return res;
}

async function expectForwarded(authorization: string, req: RawRequest, upstreamUrl?: string): Promise<void> {
  const before = t.upstream.requests.length;
  const res = await send(base, authorization, req);
  expect(res.status, res.text).toBe(200);
  expect(t.upstream.requests.length).toBe(before + 1);
  if (upstreamUrl !== undefined) expect(t.upstream.requests[before]?.url).toBe(upstreamUrl);
}

let readerKey: Created;
let monitorKey: Created;
let writerKey: Created;

beforeAll(async () => {
  t = await buildTestApp();
  base = await t.listen();
  readerKey = await createKey(t.basic(), {
    name: 'index-a-reader',
    role_descriptors: { a_reader: { indices: [{ names: ['index-a*'], privileges: ['read'] }] } },
  });
  monitorKey = await createKey(t.basic(), {
    name: 'index-a-monitor',
    role_descriptors: { a_monitor: { cluster: ['monitor'], indices: [{ names: ['index-a*'], privileges: ['read'] }] } },
  });
  writerKey = await createKey(t.basic(), {
    name: 'index-a-writer',
    role_descriptors: { a_writer: { indices: [{ names: ['index-a*'], privileges: ['write', 'create_index'] }] } },
  });
});

afterAll(() => t.close());

describe('an API key with role descriptors, owned by a superuser', () => {
  it('reads the indices its descriptors grant', async () => {
    await expectForwarded(apiKey(readerKey), { method: 'GET', path: '/index-a1/_search' }, '/index-a1/_search');
  });

  it('is refused any other index with the API key message shape and no roles clause', async () => {
    const res = await expectDenied(apiKey(readerKey), { method: 'GET', path: '/index-b1/_search' });
    expect(res.json.error).toMatchObject({
      type: 'security_exception',
      reason: `action [indices:data/read/search] is unauthorized for API key id [${readerKey.id}] of user [elastic] on indices [index-b1], this action is granted by the index privileges [read,all]`,
    });
    expectNothingForbiddenArrived(t, 'index-b1');
  });

  it('narrows a search on every index to its descriptors, not to its owner’s grant', async () => {
    await expectForwarded(apiKey(readerKey), { method: 'GET', path: '/*/_search' }, '/index-a*/_search');
    await expectForwarded(apiKey(readerKey), { method: 'GET', path: '/_search' }, '/index-a*/_search');
  });

  it('cannot reach restricted indices its owner could', async () => {
    await expectDenied(apiKey(readerKey), { method: 'GET', path: '/.security-7/_search' });
    await expectDenied(apiKey(readerKey), { method: 'GET', path: '/.sec*/_search' });
  });

  it('is refused writes its descriptors do not grant', async () => {
    const res = await expectDenied(apiKey(readerKey), { method: 'PUT', path: '/index-a1/_doc/1', body: '{"a":1}' });
    expect(res.json.error.reason).toContain(`API key id [${readerKey.id}] of user [elastic] on indices [index-a1]`);
  });

  it('has its _bulk items checked although its owner may write everywhere', async () => {
    const body = (index: string) => `{"index":{"_index":"index-a1"}}\n{"a":1}\n{"create":{"_index":"${index}"}}\n{"a":2}\n`;
    const headers = { 'content-type': 'application/x-ndjson' };
    const res = await expectDenied(apiKey(writerKey), { method: 'POST', path: '/_bulk', body: body('index-b1'), headers });
    expect(res.json.error.reason).toMatch(new RegExp(`^action \\[indices:data/write/[^\\]]+\\] is unauthorized for API key id \\[${writerKey.id}\\] of user \\[elastic\\] on indices \\[index-b1\\]`));
    expectNothingForbiddenArrived(t, 'index-b1');
    await expectForwarded(apiKey(writerKey), { method: 'POST', path: '/_bulk', body: body('index-a2'), headers });
  });

  it('is refused cluster health unless its descriptors grant monitor', async () => {
    const res = await expectDenied(apiKey(readerKey), { method: 'GET', path: '/_cluster/health' });
    expect(res.json.error.reason).toBe(
      `action [cluster:monitor/health] is unauthorized for API key id [${readerKey.id}] of user [elastic], this action is granted by the cluster privileges [monitor,manage,all]`,
    );
    await expectForwarded(apiKey(monitorKey), { method: 'GET', path: '/_cluster/health' });
  });

  it('is refused unclassified requests its owner could make', async () => {
    const res = await expectDenied(apiKey(readerKey), { method: 'GET', path: '/_totally/unknown' });
    expect(res.json.error.reason).toContain(`for API key id [${readerKey.id}] of user [elastic], this request is not classified by esgate`);
    await expectForwarded(t.basic(), { method: 'GET', path: '/_totally/unknown' });
  });
});

describe('an API key with empty role descriptors', () => {
  it('has its owner’s privileges as they were when it was created', async () => {
    await t.ctx.roles.put(
      'key_owner',
      parseRoleDescriptor('key_owner', { cluster: ['manage_own_api_key'], indices: [{ names: ['logs-*'], privileges: ['read'] }] }, { allowDescription: true }),
    );
    await t.ctx.users.create({ username: 'owner', password: 'owner-password', roles: ['key_owner'] });
    const key = await createKey(t.basic('owner', 'owner-password'), { name: 'snapshot', role_descriptors: {} });

    await expectForwarded(apiKey(key), { method: 'GET', path: '/logs-1/_search' });
    const denied = await expectDenied(apiKey(key), { method: 'GET', path: '/other-1/_search' });
    expect(denied.json.error.reason).toBe(
      `action [indices:data/read/search] is unauthorized for API key id [${key.id}] of user [owner] on indices [other-1], this action is granted by the index privileges [read,all]`,
    );

    // The owner's role changes afterwards: the key keeps the snapshot (limited_by) it was created with.
    await t.ctx.roles.put(
      'key_owner',
      parseRoleDescriptor('key_owner', { cluster: ['manage_own_api_key'], indices: [{ names: ['other-*'], privileges: ['read'] }] }, { allowDescription: true }),
    );
    await expectForwarded(t.basic('owner', 'owner-password'), { method: 'GET', path: '/other-1/_search' });
    await expectDenied(apiKey(key), { method: 'GET', path: '/other-1/_search' });
    await expectForwarded(apiKey(key), { method: 'GET', path: '/logs-1/_search' });
  });

  it('owned by the superuser, may do what the superuser may', async () => {
    const key = await createKey(t.basic(), { name: 'everything' });
    await expectForwarded(apiKey(key), { method: 'GET', path: '/index-b1/_search' });
    await expectForwarded(apiKey(key), { method: 'GET', path: '/.sec*/_search' }, '/.sec*/_search');
    await expectForwarded(apiKey(key), { method: 'GET', path: '/_totally/unknown' });
  });
});
