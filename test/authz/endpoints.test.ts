// The endpoint table's own invariants: one row per method and template, real action names, and
// targets that fit the action's kind (cluster actions name no indices of their own).
import { describe, expect, it } from 'vitest';
import { isClusterAction } from '../../src/authz/classify.js';
import { ENDPOINTS, matchEndpoint, UNKNOWN_ENDPOINT_PRIVILEGE } from '../../src/authz/endpoints.js';

const CLUSTER_TARGETS = new Set(['none', 'async_search', 'body:datafeed', 'body:transform', 'body:enrich']);

describe('endpoint table', () => {
  it('has one row per method and path template', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const row of ENDPOINTS) {
      const key = `${row.method} ${row.path.replace(/\{[^}]+\}/g, '{}')}`;
      if (seen.has(key)) duplicates.push(`${key}: ${seen.get(key)} / ${row.action}`);
      seen.set(key, row.action);
    }
    expect(duplicates).toEqual([]);
  });

  it('uses Elasticsearch action names and well-formed templates', () => {
    for (const row of ENDPOINTS) {
      expect(row.action).toMatch(/^(cluster|indices):[a-z_]+(\/[a-z_\-:[\]]+)+$/);
      expect(row.path).toMatch(/^\/([A-Za-z_]+|\{[a-z_]+\})?(\/([A-Za-z_]+|\{[a-z_]+\}))*$/);
    }
  });

  it('gives cluster actions no index targets of their own, and index actions a source of indices', () => {
    for (const row of ENDPOINTS) {
      if (isClusterAction(row.action)) expect(CLUSTER_TARGETS.has(row.targets), `${row.method} ${row.path}`).toBe(true);
      else expect(row.targets, `${row.method} ${row.path}`).not.toBe('none');
    }
  });

  it('reads {index} from every template whose targets are the path index', () => {
    for (const row of ENDPOINTS.filter((r) => r.targets === 'path:index+name' || r.targets === 'body:resize')) {
      expect(row.path).toContain('{index}');
    }
  });

  it('states in one place that an unknown endpoint requires the cluster privilege all', () => {
    expect(UNKNOWN_ENDPOINT_PRIVILEGE).toBe('all');
    expect(matchEndpoint('GET', ['_no_such_api'])).toBeNull();
  });

  it('prefers an explicit segment to a parameter, as Elasticsearch\'s path trie does', () => {
    expect(matchEndpoint('GET', ['_nodes', 'stats'])?.endpoint.action).toBe('cluster:monitor/nodes/stats');
    expect(matchEndpoint('GET', ['_nodes', 'node-1'])?.endpoint.action).toBe('cluster:monitor/nodes/info');
    expect(matchEndpoint('GET', ['_data_stream', '_stats'])?.endpoint.action).toBe('indices:monitor/data_stream/stats');
    expect(matchEndpoint('GET', ['_snapshot', 'repo', '_status'])?.endpoint.action).toBe('cluster:admin/snapshot/status');
    expect(matchEndpoint('GET', ['_all'])?.endpoint.action).toBe('indices:admin/get');
  });
});
