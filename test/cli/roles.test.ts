import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { cli } from './support.js';

describe('esgate roles', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('esgate-cli-roles-');
  });
  afterEach(() => dir.remove());

  it('lists the built-in roles, marked reserved, and the stored ones', async () => {
    const store = openSqliteStore(sqliteFile(dir.path));
    await store.roles.put({
      name: 'logs_reader',
      descriptor: { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read'], allow_restricted_indices: false }], applications: [], run_as: [], metadata: {} },
      createdAt: 1,
      updatedAt: 1,
    });
    await store.close();
    const run = await cli(dir.path, ['roles']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^superuser\s+: cluster=\[all\] indices=\[\*:all\] \(reserved\)$/m);
    expect(run.stdout).toMatch(/^logs_reader\s+: cluster=\[monitor\] indices=\[logs-\*:read\]$/m);
  });

  it('lists only the named roles and fails with 67 for an unknown one', async () => {
    const one = await cli(dir.path, ['roles', 'list', 'viewer']);
    expect(one.stdout.trim().split('\n')).toHaveLength(1);
    const unknown = await cli(dir.path, ['roles', 'list', 'nope']);
    expect(unknown.code).toBe(67);
    expect(unknown.stderr).toContain("Role [nope] doesn't exist");
  });
});
