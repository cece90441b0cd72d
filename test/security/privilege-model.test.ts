import { describe, expect, it } from 'vitest';
import { globCovers, compilePatterns } from '../../src/authz/patterns.js';
import { IntersectionPermission, Permission, privilegesGranting } from '../../src/authz/permission.js';
import { BUILTIN_ROLES } from '../../src/services/builtin-roles.js';
import { parseRoleDescriptor, type RoleDescriptor } from '../../src/services/role-descriptor.js';

const role = (body: unknown): RoleDescriptor => parseRoleDescriptor('r', body, { allowDescription: true });
const superuser = BUILTIN_ROLES.get('superuser') as RoleDescriptor;

describe('the privilege model', () => {
  it('grants index actions through wildcard and regex name patterns', () => {
    const p = Permission.compile([role({ indices: [{ names: ['logs-*', '/metrics-[0-9]{4}/'], privileges: ['read'] }] })]);
    expect(p.checkIndex('indices:data/read/search', 'logs-2026.11')).toBe(true);
    expect(p.checkIndex('indices:data/read/search', 'metrics-2026')).toBe(true);
    expect(p.checkIndex('indices:data/read/search', 'metrics-26')).toBe(false);
    expect(p.checkIndex('indices:data/read/search', 'secret')).toBe(false);
    expect(p.checkIndex('indices:data/write/index', 'logs-1')).toBe(false);
  });

  it('matches a pathological regex pattern in linear time instead of backtracking', () => {
    const p = Permission.compile([role({ indices: [{ names: ['/(a+)+b/'], privileges: ['read'] }] })]);
    const started = performance.now();
    expect(p.checkIndex('indices:data/read/search', 'a'.repeat(5000) + 'c')).toBe(false);
    // A backtracking engine takes astronomically long here; RE2 answers at once.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('is the union of the roles', () => {
    const p = Permission.compile([
      role({ cluster: ['monitor'], indices: [{ names: ['a-*'], privileges: ['read'] }] }),
      role({ indices: [{ names: ['b-*'], privileges: ['write'] }] }),
    ]);
    expect(p.checkCluster('cluster:monitor/health')).toBe(true);
    expect(p.checkIndex('indices:data/read/search', 'a-1')).toBe(true);
    expect(p.checkIndex('indices:data/write/bulk[s]', 'b-1')).toBe(true);
    expect(p.checkIndex('indices:data/write/bulk[s]', 'a-1')).toBe(false);
  });

  it('keeps restricted indices out of wildcards unless allow_restricted_indices is set', () => {
    const p = Permission.compile([role({ indices: [{ names: ['*'], privileges: ['read'] }] })]);
    expect(p.checkIndex('indices:data/read/search', 'logs')).toBe(true);
    expect(p.checkIndex('indices:data/read/search', '.security-7')).toBe(false);
    expect(Permission.compile([superuser]).checkIndex('indices:data/read/search', '.security-7')).toBe(true);
  });

  it('lets manage do everything in the cluster except security', () => {
    const p = Permission.compile([role({ cluster: ['manage'] })]);
    expect(p.checkCluster('cluster:admin/ingest/pipeline/put')).toBe(true);
    expect(p.checkCluster('cluster:admin/xpack/security/user/put')).toBe(false);
    expect(p.hasClusterPrivilege('monitor')).toBe(true);
    expect(p.hasClusterPrivilege('manage_security')).toBe(false);
  });

  it('accepts cluster action patterns in roles', () => {
    const p = Permission.compile([role({ cluster: ['cluster:monitor/main'] })]);
    expect(p.checkCluster('cluster:monitor/main')).toBe(true);
    expect(p.checkCluster('cluster:monitor/health')).toBe(false);
  });

  it('tests requested index patterns as patterns in has_privileges', () => {
    const p = Permission.compile([role({ indices: [{ names: ['logs-*'], privileges: ['write'] }] })]);
    expect(p.hasIndexPrivilege('logs-2026-*', 'index', false)).toBe(true);
    expect(p.hasIndexPrivilege('log*', 'index', false)).toBe(false);
    expect(p.hasIndexPrivilege('*', 'index', false)).toBe(false);
    expect(p.hasIndexPrivilege('logs-1', 'create_doc', false)).toBe(true);
    expect(p.hasIndexPrivilege('logs-1', 'delete_index', false)).toBe(false);
  });

  it('intersects an API key’s descriptors with its limited_by snapshot', () => {
    const key = Permission.compile([role({ cluster: ['all'], indices: [{ names: ['index-a*'], privileges: ['read'] }] })]);
    const owner = Permission.compile([superuser]);
    const p = new IntersectionPermission(key, owner);
    expect(p.checkIndex('indices:data/read/search', 'index-a1')).toBe(true);
    expect(p.checkIndex('indices:data/read/search', 'index-b1')).toBe(false);
    const limited = new IntersectionPermission(key, Permission.compile([role({ cluster: ['monitor'] })]));
    expect(limited.checkCluster('cluster:monitor/health')).toBe(true);
    expect(limited.checkCluster('cluster:admin/settings/update')).toBe(false);
    expect(limited.checkIndex('indices:data/read/search', 'index-a1')).toBe(false);
  });

  it('lists the privileges that grant an action from least to most privileged', () => {
    expect(privilegesGranting('cluster:admin/xpack/security/user/put', 'cluster')).toEqual(['manage_security', 'all']);
    expect(privilegesGranting('cluster:admin/xpack/security/api_key/grant', 'cluster')).toEqual(['grant_api_key', 'manage_api_key', 'manage_security', 'all']);
    expect(privilegesGranting('indices:data/read/search', 'index')).toEqual(['read', 'all']);
  });

  it('decides glob containment exactly for single patterns', () => {
    expect(globCovers('log*', 'logs-*')).toBe(true);
    expect(globCovers('logs-*', 'log*')).toBe(false);
    expect(globCovers('a*', 'a*b')).toBe(true);
    expect(globCovers('logs-*', '*')).toBe(false);
    expect(globCovers('*', 'anything*')).toBe(true);
    expect(compilePatterns(['a?c'])('abc')).toBe(true);
  });

  it('rejects unknown index privileges and invalid regex patterns when roles are parsed', () => {
    expect(() => role({ indices: [{ names: ['x'], privileges: ['reed'] }] })).toThrow(/^unknown index privilege \[reed\]/);
    expect(() => role({ indices: [{ names: ['/(unclosed/'], privileges: ['read'] }] })).toThrow(/invalid index name pattern/);
    expect(() => role({ clusterz: [] })).toThrow('failed to parse role [r]. unexpected field [clusterz]');
    expect(() => role({ metadata: { _secret: 1 } })).toThrow('Validation Failed: 1: role descriptor metadata keys may not start with [_];');
  });
});

describe('the conditional manage_own_api_key privilege', () => {
  it('is held only when granted, or implied by manage_api_key', () => {
    expect(Permission.compile([role({ cluster: ['monitor'] })]).hasClusterPrivilege('manage_own_api_key')).toBe(false);
    expect(Permission.compile([role({ cluster: ['manage_own_api_key'] })]).hasClusterPrivilege('manage_own_api_key')).toBe(true);
    expect(Permission.compile([role({ cluster: ['manage_api_key'] })]).hasClusterPrivilege('manage_own_api_key')).toBe(true);
  });
});

describe('restricted system indices', () => {
  it.each(['.watches', '.tasks', '.ml-config', '.transform-internal-007', '.kibana_8.17.0', '.fleet-agents'])('keeps %s out of a write grant on *', (index) => {
    const p = Permission.compile([role({ indices: [{ names: ['*'], privileges: ['write'] }] })]);
    expect(p.checkIndex('indices:data/write/index', index)).toBe(false);
    expect(p.checkIndex('indices:data/write/index', 'logs-1')).toBe(true);
    const allowed = Permission.compile([role({ indices: [{ names: ['*'], privileges: ['write'], allow_restricted_indices: true }] })]);
    expect(allowed.checkIndex('indices:data/write/index', index)).toBe(true);
  });
});
