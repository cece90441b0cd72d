import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import { logSink } from '../support/log-sink.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

describe('start-up', () => {
  let dir: TempDir;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    dir.remove();
  });

  it('warns that field- and document-level security in stored roles is not enforced, naming the roles', async () => {
    dir = tempDir();
    const store = openSqliteStore(sqliteFile(dir.path));
    const descriptor = (extra: Record<string, unknown>) => ({
      cluster: [],
      indices: [{ names: ['hr-*'], privileges: ['read'], allow_restricted_indices: false, ...extra }],
      applications: [],
      run_as: [],
      metadata: {},
    });
    await store.roles.put({ name: 'hr_partial', descriptor: descriptor({ field_security: { grant: ['name'] } }), createdAt: 1, updatedAt: 1 });
    await store.roles.put({ name: 'hr_plain', descriptor: descriptor({}), createdAt: 1, updatedAt: 1 });
    await store.close();
    const logs = logSink();
    const config = loadConfig({ env: {}, cwd: dir.path, overrides: { data_dir: dir.path, http: { port: 0 }, bootstrap: { password: 'bootstrap-pw-1' } } });
    server = await startServer(config, () => undefined, logs);
    const warning = logs.lines.find((line) => line['level'] === 40 && String(line['msg']).includes('field- or document-level security'));
    expect(warning?.['roles']).toEqual(['hr_partial']);
  });
});
