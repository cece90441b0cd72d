import { loadConfig } from '../../src/config/load.js';
import { createContext } from '../../src/context.js';
import { bootstrapSuperuser } from '../../src/ops/bootstrap.js';
import { logSink } from '../support/log-sink.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../support/temp-dir.js';
import { cli, passwordVerifies, storedUser } from './support.js';

const PASSWORD = 'cli-Secret-2468';
const OTHER = 'cli-Other-1357';

describe('esgate users', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('esgate-cli-');
  });
  afterEach(() => dir.remove());

  describe('useradd', () => {
    it('adds a user with the given password and roles, hashed with argon2id', async () => {
      const run = await cli(dir.path, ['users', 'useradd', 'rdeniro', '-p', PASSWORD, '-r', 'admin,other_role1']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const user = await storedUser(dir.path, 'rdeniro');
      expect(user).toMatchObject({ username: 'rdeniro', roles: ['admin', 'other_role1'], enabled: true });
      expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
      expect(user?.passwordHash.split('$')[3]?.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
      expect(user?.passwordHash).not.toContain(PASSWORD);
      expect(await passwordVerifies(dir.path, 'rdeniro', PASSWORD)).toBe(true);
    });

    it('adds a user without roles when -r is absent', async () => {
      expect((await cli(dir.path, ['users', 'useradd', 'plain', '-p', PASSWORD])).code).toBe(0);
      expect((await storedUser(dir.path, 'plain'))?.roles).toEqual([]);
    });

    it('reads the password twice from standard input when -p is absent, never echoing it', async () => {
      const run = await cli(dir.path, ['users', 'useradd', 'prompted', '-r', 'viewer'], [PASSWORD, PASSWORD]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('Enter password for [prompted]: ');
      expect(run.stderr).toContain('Re-enter password for [prompted]: ');
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(await passwordVerifies(dir.path, 'prompted', PASSWORD)).toBe(true);
    });

    it('fails with exit code 65 and adds nobody when the two typed passwords differ', async () => {
      const run = await cli(dir.path, ['users', 'useradd', 'mismatch'], [PASSWORD, OTHER]);
      expect(run.code).toBe(65);
      expect(run.stderr).toContain('ERROR: Passwords do not match');
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(run.stdout + run.stderr).not.toContain(OTHER);
      expect(await storedUser(dir.path, 'mismatch')).toBeNull();
    });

    it('fails when standard input ends before a password was typed', async () => {
      const run = await cli(dir.path, ['users', 'useradd', 'noinput'], []);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/no input/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await storedUser(dir.path, 'noinput')).toBeNull();
    });

    it('fails with exit code 65 and "User [x] already exists" for a duplicate, leaving the first one intact', async () => {
      await cli(dir.path, ['users', 'useradd', 'dup', '-p', PASSWORD, '-r', 'first']);
      const run = await cli(dir.path, ['users', 'useradd', 'dup', '-p', OTHER, '-r', 'second']);
      expect(run.code).toBe(65);
      expect(run.stderr).toBe('ERROR: User [dup] already exists\n');
      expect((await storedUser(dir.path, 'dup'))?.roles).toEqual(['first']);
      expect(await passwordVerifies(dir.path, 'dup', PASSWORD)).toBe(true);
    });

    it('refuses a password shorter than 6 characters with exit code 65 and Elasticsearch\'s reason', async () => {
      const run = await cli(dir.path, ['users', 'useradd', 'short', '-p', 'abc']);
      expect(run.code).toBe(65);
      expect(run.stderr).toContain('passwords must be at least [6] characters long');
      expect(await storedUser(dir.path, 'short')).toBeNull();
    });

    it('refuses an invalid username with exit code 65', async () => {
      const run = await cli(dir.path, ['users', 'useradd', ' padded', '-p', PASSWORD]);
      expect(run.code).toBe(65);
      expect(run.stderr).toContain('Invalid username [ padded]');
    });

    it('needs exactly one username (exit code 64 with usage)', async () => {
      const run = await cli(dir.path, ['users', 'useradd', '-p', PASSWORD]);
      expect(run.code).toBe(64);
      expect(run.stderr).toContain('Usage: esgate users');
      expect(run.stderr).not.toContain(PASSWORD);
    });
  });

  describe('passwd', () => {
    it('changes the password given with -p; the old one stops verifying', async () => {
      await cli(dir.path, ['users', 'useradd', 'changer', '-p', PASSWORD, '-r', 'keep']);
      const run = await cli(dir.path, ['users', 'passwd', 'changer', '-p', OTHER]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(await passwordVerifies(dir.path, 'changer', OTHER)).toBe(true);
      expect(await passwordVerifies(dir.path, 'changer', PASSWORD)).toBe(false);
      expect((await storedUser(dir.path, 'changer'))?.roles).toEqual(['keep']);
    });

    it('prompts twice for the new password when -p is absent', async () => {
      await cli(dir.path, ['users', 'useradd', 'changer', '-p', PASSWORD]);
      const run = await cli(dir.path, ['users', 'passwd', 'changer'], [OTHER, OTHER]);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(OTHER);
      expect(await passwordVerifies(dir.path, 'changer', OTHER)).toBe(true);
    });

    it('fails with exit code 67 for an unknown user, without prompting', async () => {
      const run = await cli(dir.path, ['users', 'passwd', 'ghost'], [OTHER, OTHER]);
      expect(run.code).toBe(67);
      expect(run.stderr).toBe("ERROR: User [ghost] doesn't exist\n");
    });
  });

  describe('roles', () => {
    it('adds and removes roles in one call, keeping the others in order', async () => {
      await cli(dir.path, ['users', 'useradd', 'jacknich', '-p', PASSWORD, '-r', 'a,b,c']);
      const run = await cli(dir.path, ['users', 'roles', 'jacknich', '-a', 'd,e', '-r', 'b,e']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect((await storedUser(dir.path, 'jacknich'))?.roles).toEqual(['a', 'c', 'd']);
      expect(await passwordVerifies(dir.path, 'jacknich', PASSWORD)).toBe(true);
    });

    it('does not duplicate a role that is added again', async () => {
      await cli(dir.path, ['users', 'useradd', 'jacknich', '-p', PASSWORD, '-r', 'a']);
      await cli(dir.path, ['users', 'roles', 'jacknich', '-a', 'a,b']);
      expect((await storedUser(dir.path, 'jacknich'))?.roles).toEqual(['a', 'b']);
    });

    it('prints the user\'s roles when neither -a nor -r is given', async () => {
      await cli(dir.path, ['users', 'useradd', 'jacknich', '-p', PASSWORD, '-r', 'a,b']);
      const run = await cli(dir.path, ['users', 'roles', 'jacknich']);
      expect(run.stdout).toBe('jacknich       : a,b\n');
    });

    it('fails with exit code 67 for an unknown user', async () => {
      const run = await cli(dir.path, ['users', 'roles', 'ghost', '-a', 'x']);
      expect(run.code).toBe(67);
      expect(run.stderr).toBe("ERROR: User [ghost] doesn't exist\n");
    });
  });

  describe('list', () => {
    it('prints one line per user, "%-15s: roles" like elasticsearch-users, sorted by name', async () => {
      await cli(dir.path, ['users', 'useradd', 'zed', '-p', PASSWORD, '-r', 'r1,r2']);
      await cli(dir.path, ['users', 'useradd', 'a_very_long_username', '-p', PASSWORD, '-r', 'admin']);
      await cli(dir.path, ['users', 'useradd', 'noroles', '-p', PASSWORD]);
      const run = await cli(dir.path, ['users', 'list']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(['a_very_long_username: admin', 'noroles        : -', 'zed            : r1,r2', ''].join('\n'));
    });

    it('prints nothing for an empty store', async () => {
      expect(await cli(dir.path, ['users', 'list'])).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('lists one user by name, or fails with 67 for an unknown one', async () => {
      await cli(dir.path, ['users', 'useradd', 'zed', '-p', PASSWORD, '-r', 'r1']);
      expect((await cli(dir.path, ['users', 'list', 'zed'])).stdout).toBe('zed            : r1\n');
      const run = await cli(dir.path, ['users', 'list', 'ghost']);
      expect(run.code).toBe(67);
      expect(run.stderr).toBe("ERROR: User [ghost] doesn't exist\n");
    });
  });

  describe('userdel', () => {
    it('deletes a user', async () => {
      await cli(dir.path, ['users', 'useradd', 'gone', '-p', PASSWORD]);
      const run = await cli(dir.path, ['users', 'userdel', 'gone']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(await storedUser(dir.path, 'gone')).toBeNull();
    });

    it('fails with exit code 67 for an unknown user', async () => {
      const run = await cli(dir.path, ['users', 'userdel', 'ghost']);
      expect(run.code).toBe(67);
      expect(run.stderr).toBe("ERROR: User [ghost] doesn't exist\n");
    });
  });

  it('answers an unknown users subcommand with exit code 64 and the usage', async () => {
    const run = await cli(dir.path, ['users', 'frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('unknown users command [frobnicate]');
    expect(run.stderr).toContain('useradd NAME');
  });

  it('answers an unknown option with exit code 64, without a stack trace', async () => {
    const run = await cli(dir.path, ['users', 'useradd', 'x', '--frobnicate']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^ERROR: .*frobnicate/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('esgate users and the built-in users', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = tempDir('esgate-cli-reserved-');
    const ctx = createContext({ config: loadConfig({ env: {}, cwd: dir.path, overrides: { data_dir: dir.path } }), logDestination: logSink() });
    await bootstrapSuperuser(ctx.users, ctx.random, PASSWORD, () => undefined);
    await ctx.store.close();
  });
  afterEach(() => dir.remove());

  it('refuses to add a reserved username with exit code 65, as elasticsearch-users does', async () => {
    const run = await cli(dir.path, ['users', 'useradd', 'kibana_system', '-p', PASSWORD]);
    expect(run.code).toBe(65);
    expect(run.stderr).toBe('ERROR: Invalid username [kibana_system]... Username [kibana_system] is reserved and may not be used.\n');
    expect(await storedUser(dir.path, 'kibana_system')).toBeNull();
  });

  it('refuses to delete elastic or change its roles, but lets its password change', async () => {
    const del = await cli(dir.path, ['users', 'userdel', 'elastic']);
    expect(del.code).toBe(65);
    expect(del.stderr).toBe('ERROR: user [elastic] is reserved and cannot be deleted\n');
    const roles = await cli(dir.path, ['users', 'roles', 'elastic', '-r', 'superuser']);
    expect(roles.code).toBe(65);
    expect(roles.stderr).toBe('ERROR: user [elastic] is reserved and only the password can be changed\n');
    expect((await storedUser(dir.path, 'elastic'))?.roles).toEqual(['superuser']);
    expect((await cli(dir.path, ['users', 'passwd', 'elastic', '-p', OTHER])).code).toBe(0);
    expect(await passwordVerifies(dir.path, 'elastic', OTHER)).toBe(true);
  });
});
