// GET /_security/privilege/_builtin listed 55 cluster privileges; Elasticsearch 9.x lists 62 and
// 23 index privileges (x-pack yamlRestTest privileges/11_builtin.yml), sorted by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission } from '../../src/authz/permission.js';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('regression: the built-in privilege list is Elasticsearch 9.x’s', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('lists 62 cluster and 23 index privileges, each usable in a role', async () => {
    const res = await t.app.inject({ url: '/_security/privilege/_builtin', headers: { authorization: t.basic() } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { cluster: string[]; index: string[]; remote_cluster: string[] };
    expect(body.cluster).toHaveLength(62);
    expect(body.index).toHaveLength(23);
    expect(body.cluster).toEqual([...body.cluster].sort());
    expect(body.cluster).toEqual(
      expect.arrayContaining(['monitor_stats', 'post_behavioral_analytics_event', 'read_fleet_secrets', 'write_fleet_secrets', 'read_connector_secrets', 'write_connector_secrets', 'manage_data_stream_global_retention', 'monitor_data_stream_global_retention']),
    );
    expect(body.cluster).not.toContain('send_behavioral_analytics_event');
    expect(body.remote_cluster).toEqual(['monitor_enrich', 'monitor_stats']);
    const role = parseRoleDescriptor('all-named', { cluster: body.cluster, indices: [{ names: ['x'], privileges: body.index }] }, { allowDescription: true });
    expect(role.cluster).toHaveLength(62);
  });

  it('grants what Elasticsearch’s definitions grant', () => {
    const p = (cluster: string[]) => Permission.compile([parseRoleDescriptor('r', { cluster }, { allowDescription: true })]);
    expect(p(['monitor_stats']).checkCluster('cluster:monitor/stats')).toBe(true);
    expect(p(['monitor_enrich']).checkCluster('cluster:monitor/xpack/enrich/coordinator_stats')).toBe(true);
    expect(p(['manage_connector']).checkCluster('cluster:admin/xpack/connector/put')).toBe(true);
    expect(p(['manage_connector']).checkCluster('cluster:admin/xpack/connector/secret/get')).toBe(false);
    expect(p(['read_connector_secrets']).checkCluster('cluster:admin/xpack/connector/secret/get')).toBe(true);
    expect(p(['write_fleet_secrets']).checkCluster('cluster:admin/fleet/secrets/post')).toBe(true);
    expect(p(['manage_inference']).checkCluster('cluster:admin/xpack/ml/trained_models/deployment/start')).toBe(true);
  });
});
