// argv → command: serve (default), users, reset-password. Returns the exit code.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.js';
import { buildLogger, createContext, openStore } from '../context.js';
import { serveUntilSignalled } from '../server.js';
import { CliError, EXIT_CONFIG, EXIT_USAGE } from './errors.js';
import { KEYS_USAGE, keysCommand } from './keys.js';
import type { Io } from './prompt.js';
import { RESET_PASSWORD_USAGE, resetPasswordCommand } from './reset-password.js';
import { rolesCommand } from './roles.js';
import { STORE_USAGE, storeCommand } from './store-migrate.js';
import { USERS_USAGE, usersCommand } from './users.js';

export const USAGE = `Usage: esgate [command] [--config PATH]

Commands:
  serve             run the gateway (default)
  users ...         manage users of the store (esgate users --help)
  reset-password    reset a user's password (esgate reset-password --help)
  roles [list]      list the roles users can be given
  keys rotate|list  rotate or list the signing keys of the ECE login's JWTs
  store migrate     copy the SQLite store into an empty PostgreSQL store (esgate store --help)

Options:
  --config PATH     settings file (default: config/esgate.yml); ESGATE_* variables override it
`;

/** Takes --config PATH out of argv, wherever it stands. */
function splitConfigFlag(argv: readonly string[]): { configPath: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--config') {
      configPath = argv[++i];
      if (configPath === undefined) throw new CliError(EXIT_USAGE, '--config needs a path');
    } else if (arg.startsWith('--config=')) {
      configPath = arg.slice('--config='.length);
    } else {
      rest.push(arg);
    }
  }
  return { configPath, rest };
}

export async function runCli(argv: readonly string[], io: Io, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  try {
    const { configPath, rest } = splitConfigFlag(argv);
    const [command = 'serve', ...args] = rest;
    if (command === '--help' || command === '-h' || command === 'help' || args.includes('--help')) {
      io.stdout.write(command === 'users' ? USERS_USAGE : command === 'reset-password' ? RESET_PASSWORD_USAGE : command === 'keys' ? KEYS_USAGE : command === 'store' ? STORE_USAGE : USAGE);
      return 0;
    }
    if (!['serve', 'users', 'reset-password', 'roles', 'keys', 'store'].includes(command)) {
      throw new CliError(EXIT_USAGE, `unknown command [${command}]\n\n${USAGE}`);
    }
    const config = loadConfig({ configPath, env });
    if (command === 'serve') {
      if (args.length > 0) parseArgs({ args, options: {} });
      return await serveUntilSignalled(config, (text) => io.stdout.write(text));
    }
    if (command === 'store') {
      await storeCommand(args, config, io);
      return 0;
    }
    // Store commands need no logger output; warnings only.
    const quiet: typeof config = { ...config, logging: { level: 'warn' } };
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
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      io.stderr.write(`esgate: cannot listen: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
