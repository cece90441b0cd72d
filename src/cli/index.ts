// argv → command: serve (default), users, reset-password. Returns the exit code.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.js';
import { existsSync } from 'node:fs';
import { buildLogger, createContext, openStore, storeFile } from '../context.js';
import { serveUntilSignalled } from '../server.js';
import { CliError, EXIT_CONFIG, EXIT_USAGE } from './errors.js';
import { KEYS_USAGE, keysCommand } from './keys.js';
import type { Io } from './prompt.js';
import { RESET_PASSWORD_USAGE, resetPasswordCommand } from './reset-password.js';
import { rolesCommand } from './roles.js';
import { STORE_USAGE, storeCommand } from './store-migrate.js';
import { USERS_USAGE, usersCommand } from './users.js';
import { esgateVersion } from '../runtime/version.js';

export const USAGE = `Usage: esgate [command] [--config PATH] [--data-dir DIR]

Commands:
  serve             run the gateway (default)
  users ...         manage users of the store (esgate users --help)
  reset-password    reset a user's password (esgate reset-password --help)
  roles [list]      list the roles users can be given
  keys rotate|list  rotate or list the signing keys of the ECE login's JWTs
  store migrate     copy the SQLite store into an empty PostgreSQL store (esgate store --help)
  store backup      copy the store consistently, also while serving (esgate store --help)

Options:
  --config PATH     settings file (default: config/esgate.yml); ESGATE_* variables override it
  --data-dir DIR    the store's directory (overrides data_dir)
  --version         print esgate's version
`;

/** Takes --config PATH and --data-dir DIR out of argv, wherever they stand. */
function splitGlobalFlags(argv: readonly string[]): { configPath: string | undefined; dataDir: string | undefined; rest: string[] } {
  const rest: string[] = [];
  const found: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const flag = ['--config', '--data-dir'].find((name) => arg === name || arg.startsWith(`${name}=`));
    if (flag === undefined) {
      rest.push(arg);
    } else if (arg === flag) {
      found[flag] = argv[++i];
      if (found[flag] === undefined) throw new CliError(EXIT_USAGE, `${flag} needs a path`);
    } else {
      found[flag] = arg.slice(flag.length + 1);
    }
  }
  return { configPath: found['--config'], dataDir: found['--data-dir'], rest };
}

const COMMANDS = ['serve', 'users', 'reset-password', 'roles', 'keys', 'store'];

/** The setting an operator has to change when listening fails. */
function listenSetting(code: string | undefined): string {
  return code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'http.host' : 'http.port';
}

export async function runCli(argv: readonly string[], io: Io, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  try {
    const { configPath, dataDir, rest } = splitGlobalFlags(argv);
    const [command = 'serve', ...args] = rest;
    if (command === '--version' || command === '-V' || command === 'version') {
      io.stdout.write(`esgate ${esgateVersion()} (node ${process.versions.node})\n`);
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help' || args.includes('--help')) {
      io.stdout.write(command === 'users' ? USERS_USAGE : command === 'reset-password' ? RESET_PASSWORD_USAGE : command === 'keys' ? KEYS_USAGE : command === 'store' ? STORE_USAGE : USAGE);
      return 0;
    }
    if (!COMMANDS.includes(command)) {
      throw new CliError(EXIT_USAGE, `unknown command [${command}]\n\n${USAGE}`);
    }
    const config = loadConfig({ configPath, env, ...(dataDir === undefined ? {} : { overrides: { data_dir: dataDir } }) });
    if (command === 'serve') {
      if (args.length > 0) parseArgs({ args, options: {} });
      return await serveUntilSignalled(config, (text) => io.stdout.write(text));
    }
    // A command run from another directory would otherwise create (and change) a new, empty store.
    if (config.store.type === 'sqlite') {
      const file = storeFile(config);
      if (!existsSync(file)) throw new CliError(EXIT_CONFIG, `no store at [${file}]; run \`esgate serve\` first or pass --data-dir`);
    }
    if (command === 'store') {
      await storeCommand(args, config, io);
      return 0;
    }
    // Store commands need no logger output; warnings only.
    const quiet: typeof config = { ...config, logging: { ...config.logging, level: 'warn' } };
    const logger = buildLogger(quiet);
    const ctx = createContext({ config: quiet, logger, store: await openStore(quiet, logger) });
    try {
      if (command === 'users') await usersCommand(args, ctx.users, io);
      else if (command === 'roles') await rolesCommand(args, ctx.roles, io);
      else if (command === 'keys') await keysCommand(args, ctx.jwt, io);
      else await resetPasswordCommand(args, ctx.users, ctx.random, io);
      return 0;
    } finally {
      await ctx.store.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`esgate: ${err.message}\n`);
      return EXIT_CONFIG;
    }
    if (err instanceof CliError) {
      io.stderr.write(`ERROR: ${err.message}\n`);
      return err.exitCode;
    }
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      io.stderr.write(`ERROR: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    const { code, syscall } = err as { code?: string; syscall?: string };
    if (syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo') {
      io.stderr.write(`esgate: ${listenSetting(code)}: cannot listen: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
