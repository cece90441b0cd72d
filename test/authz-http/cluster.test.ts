// Cluster actions, unclassified requests, run-as, anonymous access and work the upstream runs later
// (transforms, datafeeds) on proxied requests: denied before the upstream, allowed ones forwarded.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { expectNothingForbiddenArrived, send, type RawRequest, type Sent } from './support.js';

const ROLES: Record<string, unknown> = {
  logs_reader: { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata'] }] },
  cluster_manager: { cluster: ['manage'] },
  pipeline_manager: { cluster: ['manage_ingest_pipelines'] },
  no_cluster: { indices: [{ names: ['logs-*'], privileges: ['read'] }] },
  impersonator: { run_as: ['rdeniro'] },
  transformer: { cluster: ['manage_transform', 'manage_ml'] },
  logs_owner: { indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata', 'index', 'create_index'] }] },
};

const USERS = [
  { username: 'rdeniro', password: 'taxidriver', roles: ['logs_reader'] },
  { username: 'admin', password: 'admin-password', roles: ['cluster_manager'] },
  { username: 'plumber', password: 'plumber-password', roles: ['pipeline_manager'] },
  { username: 'plain', password: 'plain-password', roles: ['no_cluster'] },
  { username: 'kibana_svc', password: 'svc-password', roles: ['impersonator'] },
  { username: 'etl', password: 'etl-password', roles: ['transformer'] },
  { username: 'etl_owner', password: 'etl-owner-password', roles: ['transformer', 'logs_owner'] },
  { username: 'data_owner', password: 'data-owner-password', roles: ['logs_owner'] },
];

let t: TestApp;
let base: string;

const as = (username: string): string => {
  const user = USERS.find((u) => u.username === username);
  if (user === undefined) throw new Error(`no test user ${username}`);
  return t.basic(username, user.password);
};

async function setUp(settings: Record<string, unknown> = {}): Promise<void> {
  t = await buildTestApp({ settings });
  for (const [name, json] of Object.entries(ROLES)) await t.ctx.roles.put(name, parseRoleDescriptor(name, json, { allowDescription: true }));
  for (const user of USERS) await t.ctx.users.create(user);
  base = await t.listen();
}

async function denied(authorization: string | null, req: RawRequest, reason: string, headers: Record<string, string> = {}): Promise<Sent> {
  const before = t.upstream.requests.length;
  const res = await send(base, authorization, { ...req, headers: { ...(req.headers ?? {}), ...headers } });
  expect(res.status, res.text).toBe(403);
  expect(res.json.error).toMatchObject({ type: 'security_exception', reason });
  expect(t.upstream.requests.length).toBe(before);
  return res;
}

async function forwarded(authorization: string | null, req: RawRequest, headers: Record<string, string> = {}): Promise<void> {
  const before = t.upstream.requests.length;
  const res = await send(base, authorization, { ...req, headers: { ...(req.headers ?? {}), ...headers } });
  expect(res.status, res.text).toBe(200);
  expect(t.upstream.requests.length).toBe(before + 1);
  expect(t.upstream.requests[before]?.url).toBe(req.path);
}

describe('cluster actions and unclassified requests', () => {
  beforeAll(() => setUp());
  afterAll(() => t.close());

  const settings: RawRequest = { method: 'PUT', path: '/_cluster/settings', body: JSON.stringify({ persistent: { 'cluster.routing.allocation.enable': 'all' } }) };

  it('updates cluster settings only with manage', async () => {
    await denied(
      as('rdeniro'),
      settings,
      'action [cluster:admin/settings/update] is unauthorized for user [rdeniro] with effective roles [logs_reader], this action is granted by the cluster privileges [manage,all]',
    );
    await forwarded(as('admin'), settings);
  });

  it('puts an ingest pipeline only for who may also write every index, since a pipeline can reroute any document', async () => {
    const pipeline: RawRequest = { method: 'PUT', path: '/_ingest/pipeline/p1', body: JSON.stringify({ processors: [{ set: { field: 'a', value: 1 } }] }) };
    const res = await denied(as('rdeniro'), pipeline, 'action [indices:data/write/index] is unauthorized for user [rdeniro] with effective roles [logs_reader] on indices [_all], this action is granted by the index privileges [create_doc,create,index,write,all]');
    expect(res.json.status).toBe(403);
    // manage_ingest_pipelines alone amounts to writing anywhere behind esgate (issue 10's inventory).
    await denied(as('plumber'), pipeline, 'action [indices:data/write/index] is unauthorized for user [plumber] with effective roles [pipeline_manager] on indices [_all], this action is granted by the index privileges [create_doc,create,index,write,all]');
    await forwarded(t.basic(), pipeline);
  });

  it('reads cluster health with monitor and refuses it without', async () => {
    await forwarded(as('rdeniro'), { method: 'GET', path: '/_cluster/health' });
    await denied(
      as('plain'),
      { method: 'GET', path: '/_cluster/health' },
      'action [cluster:monitor/health] is unauthorized for user [plain] with effective roles [no_cluster], this action is granted by the cluster privileges [monitor,manage,all]',
    );
  });

  it('forwards a request no endpoint describes only for the cluster privilege all', async () => {
    const unknown: RawRequest = { method: 'GET', path: '/_totally/unknown' };
    await denied(
      as('rdeniro'),
      unknown,
      'action [GET /_totally/unknown] is unauthorized for user [rdeniro] with effective roles [logs_reader], this request is not classified by esgate and is granted by the cluster privileges [all]',
    );
    await denied(
      as('admin'),
      unknown,
      'action [GET /_totally/unknown] is unauthorized for user [admin] with effective roles [cluster_manager], this request is not classified by esgate and is granted by the cluster privileges [all]',
    );
    await forwarded(t.basic(), unknown);
  });
});

describe('run as on proxied requests', () => {
  beforeAll(() => setUp());
  afterAll(() => t.close());

  it('authorizes with the run-as user’s privileges when run_as is granted', async () => {
    await forwarded(as('kibana_svc'), { method: 'GET', path: '/logs-1/_search' }, { 'es-security-runas-user': 'rdeniro' });
    await denied(
      as('kibana_svc'),
      { method: 'GET', path: '/secret/_search' },
      'action [indices:data/read/search] is unauthorized for user [kibana_svc] run as [rdeniro] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]',
      { 'es-security-runas-user': 'rdeniro' },
    );
    expectNothingForbiddenArrived(t);
  });

  it('gives the authenticating user nothing of the run-as user’s privileges without the header', async () => {
    await denied(
      as('kibana_svc'),
      { method: 'GET', path: '/logs-1/_search' },
      'action [indices:data/read/search] is unauthorized for user [kibana_svc] with effective roles [impersonator] on indices [logs-1], this action is granted by the index privileges [read,all]',
    );
  });

  it('refuses run as a user the roles do not name, with the run-as message', async () => {
    await denied(
      as('kibana_svc'),
      { method: 'GET', path: '/logs-1/_search' },
      'action [indices:data/read/search] is unauthorized for user [kibana_svc] with effective roles [impersonator], because user [kibana_svc] is unauthorized to run as [admin]',
      { 'es-security-runas-user': 'admin' },
    );
    await denied(
      as('rdeniro'),
      { method: 'GET', path: '/logs-1/_search' },
      'action [indices:data/read/search] is unauthorized for user [rdeniro] with effective roles [logs_reader], because user [rdeniro] is unauthorized to run as [kibana_svc]',
      { 'es-security-runas-user': 'kibana_svc' },
    );
  });
});

describe('anonymous access on proxied requests', () => {
  beforeAll(() => setUp({ authc: { anonymous: { username: 'guest', roles: ['logs_reader'] } } }));
  afterAll(() => t.close());

  it('authorizes requests without credentials with the anonymous roles', async () => {
    await forwarded(null, { method: 'GET', path: '/logs-1/_search' });
    await denied(
      null,
      { method: 'GET', path: '/secret/_search' },
      'action [indices:data/read/search] is unauthorized for user [guest] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]',
    );
    await denied(
      null,
      { method: 'PUT', path: '/_cluster/settings', body: '{"persistent":{}}' },
      'action [cluster:admin/settings/update] is unauthorized for user [guest] with effective roles [logs_reader], this action is granted by the cluster privileges [manage,all]',
    );
    expectNothingForbiddenArrived(t);
  });
});

describe('anonymous access with authz_exception false', () => {
  beforeAll(() => setUp({ authc: { anonymous: { username: 'guest', roles: ['logs_reader'], authz_exception: false } } }));
  afterAll(() => t.close());

  it('answers a denied anonymous request 401 with challenges, so the client can log in, and forwards nothing', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, null, { method: 'GET', path: '/secret/_search' });
    expect(res.status).toBe(401);
    expect(res.json.error.reason).toBe('action [indices:data/read/search] requires authentication');
    expect(res.headers['www-authenticate']).toBeDefined();
    expect(t.upstream.requests.length).toBe(before);
    await forwarded(null, { method: 'GET', path: '/logs-1/_search' });
    // A user who logs in gets the 403 of Elasticsearch, not the anonymous 401.
    await denied(as('rdeniro'), { method: 'GET', path: '/secret/_search' }, 'action [indices:data/read/search] is unauthorized for user [rdeniro] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]');
  });
});

describe('bodies read to find their targets are bounded by http.max_content_length', () => {
  beforeAll(() => setUp({ http: { max_content_length: '4kb' } }));
  afterAll(() => t.close());

  const line = (i: number) => `{"create":{"_index":"logs-1","_id":"${i}"}}\n{"pad":"${'x'.repeat(100)}"}\n`;
  const bulk = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('');
  const ndjson = { 'content-type': 'application/x-ndjson' };

  it('answers 413 for a larger _bulk and forwards nothing, and forwards one within the bound', async () => {
    const before = t.upstream.requests.length;
    const big = await send(base, as('etl_owner'), { method: 'POST', path: '/_bulk', body: bulk(60), headers: ndjson });
    expect(big.status).toBe(413);
    const chunked = await send(base, as('etl_owner'), { method: 'POST', path: '/_bulk', body: bulk(60), headers: ndjson, chunked: true });
    expect(chunked.status).toBe(413);
    expect(t.upstream.requests.length).toBe(before);
    await forwarded(as('etl_owner'), { method: 'POST', path: '/_bulk', body: bulk(10), headers: ndjson });
  });

  it('answers 413 for a gzip body that decompresses beyond the bound', async () => {
    const before = t.upstream.requests.length;
    const bomb = gzipSync(bulk(200));
    expect(bomb.length).toBeLessThan(4096);
    const res = await send(base, as('etl_owner'), { method: 'POST', path: '/_bulk', body: bomb, headers: { ...ndjson, 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('work the upstream runs later: the creator or the secondary identity must hold the index privileges', () => {
  beforeAll(() => setUp());
  afterAll(() => t.close());

  const transform = (source: string): RawRequest => ({
    method: 'PUT',
    path: '/_transform/t1',
    body: JSON.stringify({ source: { index: [source] }, dest: { index: 'logs-summary' }, pivot: { group_by: { u: { terms: { field: 'u' } } }, aggregations: { n: { value_count: { field: 'u' } } } } }),
  });
  const datafeed = (index: string): RawRequest => ({ method: 'PUT', path: '/_ml/datafeeds/feed-1', body: JSON.stringify({ job_id: 'job-1', indices: [index] }) });

  it('refuses a transform whose creator may not read its source', async () => {
    const res = await send(base, as('etl'), transform('secret'));
    expect(res.status).toBe(403);
    expect(res.json.error.reason).toMatch(/^action \[indices:data\/read\/search\] is unauthorized for user \[etl\] with effective roles \[transformer\] on indices \[secret\]/);
    await denied(as('etl'), transform('logs-1'), 'action [indices:data/read/search] is unauthorized for user [etl] with effective roles [transformer] on indices [logs-1], this action is granted by the index privileges [read,all]');
    await forwarded(as('etl_owner'), transform('logs-1'));
    expectNothingForbiddenArrived(t);
  });

  it('takes the index privileges from the es-secondary-authorization identity when present', async () => {
    const secondary = { 'es-secondary-authorization': as('data_owner') };
    await forwarded(as('etl'), transform('logs-1'), secondary);
    // The denial names the identity whose privileges were missing.
    await denied(
      as('etl'),
      transform('secret'),
      'action [indices:data/read/search] is unauthorized for user [data_owner] with effective roles [logs_owner] on indices [secret], this action is granted by the index privileges [read,all]',
      secondary,
    );
    // The secondary identity needs no cluster privilege, the primary one does.
    await denied(
      as('data_owner'),
      transform('logs-1'),
      'action [cluster:admin/transform/put] is unauthorized for user [data_owner] with effective roles [logs_owner], this action is granted by the cluster privileges [manage_data_frame_transforms,manage_transform,manage,all]',
      { 'es-secondary-authorization': as('etl') },
    );
    expectNothingForbiddenArrived(t);
  });

  it('refuses a datafeed whose creator may not read its indices', async () => {
    await denied(as('etl'), datafeed('secret'), 'action [indices:data/read/search] is unauthorized for user [etl] with effective roles [transformer] on indices [secret], this action is granted by the index privileges [read,all]');
    await forwarded(as('etl'), datafeed('logs-1'), { 'es-secondary-authorization': as('data_owner') });
    await forwarded(as('etl_owner'), datafeed('logs-1'));
  });

  it('refuses an anomaly detection job that embeds a datafeed on indices its creator may not read', async () => {
    const job = (index: string): RawRequest => ({
      method: 'PUT',
      path: '/_ml/anomaly_detectors/job-2',
      body: JSON.stringify({ analysis_config: { detectors: [{ function: 'count' }] }, data_description: { time_field: 't' }, datafeed_config: { indices: [index] } }),
    });
    await denied(as('etl'), job('secret'), 'action [indices:data/read/search] is unauthorized for user [etl] with effective roles [transformer] on indices [secret], this action is granted by the index privileges [read,all]');
    await forwarded(as('etl_owner'), job('logs-1'));
    expectNothingForbiddenArrived(t);
  });
});
