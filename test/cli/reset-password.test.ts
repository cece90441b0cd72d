import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { bootstrapSuperuser } from '../../src/ops/bootstrap.js';
import { logSink } from '../support/log-sink.js';
import { KNOWN_SECRETS } from '../support/secrets.js';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { cli, passwordVerifies, storedUser } from './support.js';

const OLD = KNOWN_SECRETS.bootstrapPassword;
const TYPED = 'typed-Secret-9753';

describe('esgate reset-password', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = tempDir('esgate-reset-');
    // A store as a first start leaves it: `elastic` with the bootstrap password.
    const ctx = createContext({ config: loadConfig({ env: {}, cwd: dir.path, overrides: { data_dir: dir.path } }), logDestination: logSink() });
    await bootstrapSuperuser(ctx.users, ctx.random, OLD, () => undefined);
    await ctx.store.close();
  });
  afterEach(() => dir.remove());

  it('-u elastic -b prints a generated password exactly once; it verifies and the old one no longer does', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic', '-b']);
    expect(run.code).toBe(0);
    const match = /^Password for the \[elastic\] user successfully reset\.\nNew value: (\S+)\n$/.exec(run.stdout);
    expect(match).not.toBeNull();
    const generated = match?.[1] as string;
    expect(generated.length).toBeGreaterThanOrEqual(20);
    expect(run.stdout.split(generated)).toHaveLength(2);
    expect(run.stderr).not.toContain(generated);
    expect(await passwordVerifies(dir.path, 'elastic', generated)).toBe(true);
    expect(await passwordVerifies(dir.path, 'elastic', OLD)).toBe(false);
  });

  it('-u kibana_system sets the first password of a reserved user that was never stored', async () => {
    expect(await storedUser(dir.path, 'kibana_system')).toBeNull();
    const run = await cli(dir.path, ['reset-password', '-u', 'kibana_system', '-b']);
    expect(run.code).toBe(0);
    const generated = /New value: (\S+)\n$/.exec(run.stdout)?.[1] as string;
    expect(await passwordVerifies(dir.path, 'kibana_system', generated)).toBe(true);
    expect((await storedUser(dir.path, 'kibana_system'))?.roles).toEqual(['kibana_system']);
  });

  it('generates a different password each time', async () => {
    const first = (await cli(dir.path, ['reset-password', '-u', 'elastic', '-b'])).stdout;
    const second = (await cli(dir.path, ['reset-password', '-u', 'elastic', '-b'])).stdout;
    expect(first).not.toBe(second);
  });

  it('asks for confirmation without -b and resets on "y"', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic'], ['y']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('This tool will reset the password of the [elastic] user to an auto-generated value, printed in the console.');
    expect(run.stderr).toContain('[y/N]');
    expect(await passwordVerifies(dir.path, 'elastic', OLD)).toBe(false);
  });

  it('changes nothing when the confirmation is not "y"', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic'], ['n']);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('Password reset was cancelled');
    expect(run.stdout).toBe('');
    expect(await passwordVerifies(dir.path, 'elastic', OLD)).toBe(true);
  });

  it('-i prompts for the new password twice and prints neither it nor a generated one', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic', '-i'], ['y', TYPED, TYPED]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('to a value you enter');
    expect(run.stderr).toContain('Enter password for [elastic]: ');
    expect(run.stderr).toContain('Re-enter password for [elastic]: ');
    expect(run.stdout).toBe('Password for the [elastic] user successfully reset.\n');
    expect(run.stdout + run.stderr).not.toContain(TYPED);
    expect(await passwordVerifies(dir.path, 'elastic', TYPED)).toBe(true);
  });

  it('-i -b fails with 65 when the two typed passwords differ, keeping the old one', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic', '-i', '-b'], [TYPED, 'something-else']);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('Passwords do not match');
    expect(await passwordVerifies(dir.path, 'elastic', OLD)).toBe(true);
  });

  it('-i refuses a too-short password with 65', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'elastic', '-i', '-b'], ['abc', 'abc']);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain('passwords must be at least [6] characters long');
    expect(await passwordVerifies(dir.path, 'elastic', OLD)).toBe(true);
  });

  it('fails with exit code 67 for an unknown user', async () => {
    const run = await cli(dir.path, ['reset-password', '-u', 'ghost', '-b']);
    expect(run.code).toBe(67);
    expect(run.stderr).toBe("ERROR: User [ghost] doesn't exist\n");
  });

  it('needs -u (exit code 64 with usage)', async () => {
    const run = await cli(dir.path, ['reset-password', '-b']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Usage: esgate reset-password -u NAME');
  });
});
