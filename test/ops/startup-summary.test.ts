import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { sqliteFile } from '../../src/store/sqlite/index.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { logSink } from '../support/log-sink.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';

describe('start-up summary', () => {
  let dir: TempDir;
  let upstream: FakeUpstream;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await upstream.close();
    dir.remove();
  });

  it('logs version, listen address, TLS, upstream URL, store, realms and whether the upstream answers', async () => {
    dir = tempDir();
    upstream = await startFakeUpstream();
    const logs = logSink();
    const config = loadConfig({
      env: {},
      cwd: dir.path,
      overrides: { data_dir: dir.path, http: { port: 0 }, upstream: { url: upstream.url }, bootstrap: { password: 'bootstrap-pw-1' } },
    });
    server = await startServer(config, () => undefined, logs);
    const line = logs.lines.find((entry) => entry['msg'] === 'esgate started');
    expect(line).toMatchObject({
      level: 30,
      tls: false,
      upstream: upstream.url.replace(/\/$/, ''),
      upstream_reachable: true,
      store: { type: 'sqlite', path: sqliteFile(dir.path) },
      realms: ['reserved', 'native', 'token', 'api_key'],
    });
    expect(line?.['version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(line?.['listen']).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
