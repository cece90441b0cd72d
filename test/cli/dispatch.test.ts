import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { promptNewPassword, promptSecret } from '../../src/cli/prompt.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { cli, ensureStore, storedUser } from './support.js';

describe('esgate command dispatch', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('esgate-dispatch-');
  });
  afterEach(() => dir.remove());

  it('answers an unknown command with exit code 64 and the usage', async () => {
    const run = await cli(dir.path, ['frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('ERROR: unknown command [frobnicate]');
    expect(run.stderr).toContain('Usage: esgate [command] [--config PATH]');
    expect(run.stdout).toBe('');
  });

  it('prints the usage for --help with exit code 0', async () => {
    const run = await cli(dir.path, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('reset-password');
  });

  it('prints each command\'s own usage for `users --help` and `reset-password --help`', async () => {
    const users = await cli(dir.path, ['users', '--help']);
    expect(users.code).toBe(0);
    expect(users.stdout).toContain('Usage: esgate users <command>');
    const reset = await cli(dir.path, ['reset-password', '--help']);
    expect(reset.stdout).toContain('Usage: esgate reset-password -u NAME');
  });

  it('reads --config PATH (anywhere in argv) for store commands', async () => {
    const other = path.join(dir.path, 'elsewhere');
    const file = path.join(dir.path, 'esgate.yml');
    writeFileSync(file, `data_dir: ${JSON.stringify(other)}\n`);
    await ensureStore(other);
    const stdout: string[] = [];
    const io = {
      stdin: new PassThrough(),
      stdout: new PassThrough().on('data', (c: Buffer) => stdout.push(String(c))),
      stderr: new PassThrough(),
    };
    expect(await runCli(['users', '--config', file, 'useradd', 'viaconfig', '-p', 'config-Secret-1'], io, {})).toBe(0);
    expect(await storedUser(other, 'viaconfig')).not.toBeNull();
    expect(await runCli([`--config=${file}`, 'users', 'list'], io, {})).toBe(0);
    expect(stdout.join('')).toContain('viaconfig');
  });

  it('answers --config without a path with exit code 64', async () => {
    const run = await cli(dir.path, ['users', 'list', '--config']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--config needs a path');
  });

  it('answers invalid configuration with exit code 78, naming the setting, without a stack trace', async () => {
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    const errors: string[] = [];
    io.stderr.on('data', (c: Buffer) => errors.push(String(c)));
    expect(await runCli(['users', 'list'], io, { ESGATE_DATA_DIR: dir.path, ESGATE_HTTP_PORT: '99999' })).toBe(78);
    const text = errors.join('');
    expect(text).toContain('http.port');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('keeps a user-facing store command quiet: no log lines on stdout', async () => {
    const run = await cli(dir.path, ['users', 'useradd', 'quiet', '-p', 'quiet-Secret-1']);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('the password prompt', () => {
  function terminal() {
    const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void; modes: boolean[] };
    stdin.isTTY = true;
    stdin.modes = [];
    stdin.setRawMode = (mode) => {
      stdin.modes.push(mode);
    };
    const out: string[] = [];
    const stdout = new PassThrough().on('data', (c: Buffer) => out.push(String(c)));
    const stderr = new PassThrough().on('data', (c: Buffer) => out.push(String(c)));
    return { io: { stdin, stdout, stderr }, stdin, output: () => out.join('') };
  }

  it('reads a terminal in raw mode, handles backspace, restores the mode and echoes nothing', async () => {
    const { io, stdin, output } = terminal();
    const answer = promptSecret(io, 'Password: ');
    stdin.write('tty-Secrex\u007ft-1\r');
    expect(await answer).toBe('tty-Secret-1');
    expect(stdin.modes).toEqual([true, false]);
    expect(output()).toBe('Password: \n');
  });

  it('keeps what was pasted after the first Enter for the second prompt', async () => {
    const { io, stdin, output } = terminal();
    const answer = promptNewPassword(io, 'pasted');
    stdin.write('paste-Secret-1\r\npaste-Secret-1\r');
    expect(await answer).toBe('paste-Secret-1');
    expect(output()).not.toContain('paste-Secret-1');
  });

  it('stops with exit code 130 on Ctrl-C', async () => {
    const { io, stdin } = terminal();
    const answer = promptSecret(io, 'Password: ');
    stdin.write('abc\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: 130, message: 'interrupted' });
    expect(stdin.modes).toEqual([true, false]);
  });

  it('reads a multi-byte character split across two piped chunks whole', async () => {
    const stdin = new PassThrough();
    const io = { stdin, stdout: new PassThrough(), stderr: new PassThrough() };
    const bytes = Buffer.from('pässwörd-1\n', 'utf8');
    const answer = promptSecret(io, 'Password: ');
    stdin.write(bytes.subarray(0, 2));
    stdin.write(bytes.subarray(2));
    expect(await answer).toBe('pässwörd-1');
  });
});
