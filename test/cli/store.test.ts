import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { openSqliteStore, sqliteFile } from '../../src/store/sqlite/index.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { cli, storedUser } from './support.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdin: new PassThrough(),
      stdout: new PassThrough().on('data', (c: Buffer) => out.push(String(c))),
      stderr: new PassThrough().on('data', (c: Buffer) => err.push(String(c))),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('store and CLI safety', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('esgate-store-cli-');
  });
  afterEach(() => dir.remove());

  it('prints its version for --version', async () => {
    const run = await cli(dir.path, ['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^esgate \d+\.\d+\.\d+ \(node \d+/);
  });

  it('refuses to create an empty store for a user command and names where it looked', async () => {
    const missing = path.join(dir.path, 'nothing-here');
    const streams = io();
    const code = await runCli(['users', 'useradd', 'someone', '-p', 'some-Secret-1'], streams.io, { ESGATE_DATA_DIR: missing });
    expect(code).toBe(78);
    expect(streams.stderr()).toContain(`no store at [${sqliteFile(missing)}]; run \`esgate serve\` first or pass --data-dir`);
    expect(existsSync(missing)).toBe(false);
  });

  it('takes the store directory from --data-dir', async () => {
    await cli(dir.path, ['users', 'list']);
    const streams = io();
    expect(await runCli(['users', 'useradd', 'viaflag', '-p', 'flag-Secret-1', '--data-dir', dir.path], streams.io, {})).toBe(0);
    expect(await storedUser(dir.path, 'viaflag')).not.toBeNull();
  });

  it('creates the store directory 0700 and its files (WAL included) 0600', async () => {
    const data = path.join(dir.path, 'fresh');
    const store = openSqliteStore(sqliteFile(data));
    try {
      await cli(data, ['users', 'useradd', 'u1', '-p', 'mode-Secret-1']);
      expect(mode(data)).toBe(0o700);
      for (const file of [sqliteFile(data), `${sqliteFile(data)}-wal`, `${sqliteFile(data)}-shm`]) expect(mode(file)).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('backs up a store that is open and whose last writes are only in the WAL', async () => {
    await cli(dir.path, ['users', 'useradd', 'walonly', '-p', 'wal-Secret-1']);
    // Keep a connection open so the WAL is not checkpointed into esgate.db on close.
    const live = openSqliteStore(sqliteFile(dir.path));
    try {
      await cli(dir.path, ['users', 'useradd', 'second', '-p', 'wal-Secret-2']);
      const out = path.join(dir.path, 'backups', 'copy.db');
      mkdirSync(path.dirname(out));
      const run = await cli(dir.path, ['store', 'backup', '--out', out]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`store copied to ${out}`);
      expect(mode(out)).toBe(0o600);
      const copy = openSqliteStore(out);
      try {
        expect((await copy.users.get('walonly'))?.username).toBe('walonly');
        expect((await copy.users.get('second'))?.username).toBe('second');
      } finally {
        await copy.close();
      }
      const again = await cli(dir.path, ['store', 'backup', '--out', out]);
      expect(again.code).toBe(65);
      expect(again.stderr).toContain('already exists');
      const noOut = await cli(dir.path, ['store', 'backup']);
      expect(noOut.code).toBe(64);
    } finally {
      await live.close();
    }
  });

  it('names data_dir when the store cannot be opened', async () => {
    // A file where a directory should be: refused even for root.
    const notADir = path.join(dir.path, 'a-file');
    writeFileSync(notADir, '');
    const streams = io();
    const code = await runCli(['serve'], streams.io, { ESGATE_DATA_DIR: path.join(notADir, 'sub'), ESGATE_LOGGING_LEVEL: 'silent' });
    expect(code).toBe(78);
    expect(streams.stderr()).toMatch(/data_dir: cannot open the store \[.*esgate\.db\] \(ENOTDIR\)/);
  });

  it('names http.port when the port is taken, without a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const streams = io();
    try {
      const code = await runCli(['serve'], streams.io, {
        ESGATE_DATA_DIR: dir.path,
        ESGATE_HTTP_PORT: String(port),
        ESGATE_LOGGING_LEVEL: 'silent',
        ESGATE_BOOTSTRAP_PASSWORD: 'bootstrap-Secret-1',
      });
      expect(code).toBe(1);
      expect(streams.stderr()).toMatch(/^esgate: http\.port: cannot listen: .*EADDRINUSE/);
      expect(streams.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
